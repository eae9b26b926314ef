import { hashTypedData, type Hex } from "viem";
import type { TeezkError } from "../errors/index.js";
import { parseContractDomain, parseReceipt } from "./parseReceipt.js";
import { receiptTypes, receiptVerifierDomain } from "./typedData.js";
import type { ContractDomain, Receipt } from "./types.js";

export type HashReceiptParameters = { receipt: Receipt; domain: ContractDomain };
export type HashReceiptReturnType = Hex;
export type HashReceiptErrorType = TeezkError;

/** The EIP-712 digest ReceiptVerifier.receiptDigest returns for `receipt`: what an enclave signs. */
export function hashReceipt({ receipt, domain }: HashReceiptParameters): HashReceiptReturnType {
  return hashTypedData({
    domain: receiptVerifierDomain(parseContractDomain(domain)),
    types: receiptTypes,
    primaryType: "Receipt",
    message: parseReceipt(receipt),
  });
}
