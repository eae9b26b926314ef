import { hashTypedData, type Address, type Hex } from "viem";
import { TeezkError } from "../errors/index.js";
import { recoverDigestSigner } from "../util/recoverDigestSigner.js";
import { parseContractDomain, parseReceipt } from "./parseReceipt.js";
import { receiptTypes, receiptVerifierDomain } from "./typedData.js";
import type { ContractDomain, Receipt } from "./types.js";

export type RecoverReceiptSignerParameters = { receipt: Receipt; signature: Hex; domain: ContractDomain };
export type RecoverReceiptSignerReturnType = Address;
export type RecoverReceiptSignerErrorType = TeezkError;

/**
 * The address that signed `receipt` (off-chain). Whether that address is a live enclave for the program is the
 * chain's answer (verifyReceipt), not this function's.
 */
export async function recoverReceiptSigner({ receipt, signature, domain }: RecoverReceiptSignerParameters): Promise<RecoverReceiptSignerReturnType> {
  const parsed = parseReceipt(receipt);
  try {
    const hash = hashTypedData({ domain: receiptVerifierDomain(parseContractDomain(domain)), types: receiptTypes, primaryType: "Receipt", message: parsed });
    return recoverDigestSigner({ hash, signature });
  } catch (cause) {
    throw new TeezkError("SIGNATURE_INVALID", "The receipt signature does not recover to an address", { cause });
  }
}
