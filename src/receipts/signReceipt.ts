import type { Hex, LocalAccount } from "viem";
import type { TeezkError } from "../errors/index.js";
import { parseContractDomain, parseReceipt } from "./parseReceipt.js";
import { receiptTypes, receiptVerifierDomain } from "./typedData.js";
import type { ContractDomain, Receipt } from "./types.js";

export type SignReceiptParameters = {
  /** The enclave's signing key (the address it registered). */
  account: LocalAccount;
  receipt: Receipt;
  /** The ReceiptVerifier the receipt is for. */
  domain: ContractDomain;
};
export type SignReceiptReturnType = Hex;
export type SignReceiptErrorType = TeezkError;

/**
 * Signs `receipt` as EIP-712 typed data for the ReceiptVerifier at `domain`: a 65-byte signature that
 * `verifyReceipt`/`consumeReceipt` recover to the enclave's address.
 *
 * @example
 * const signature = await signReceipt({ account: privateKeyToAccount(key), receipt, domain: { chainId, verifyingContract } });
 */
export async function signReceipt({ account, receipt, domain }: SignReceiptParameters): Promise<SignReceiptReturnType> {
  return account.signTypedData({
    domain: receiptVerifierDomain(parseContractDomain(domain)),
    types: receiptTypes,
    primaryType: "Receipt",
    message: parseReceipt(receipt),
  });
}
