import type { Hex, LocalAccount } from "viem";
import type { TeezkError } from "../errors/index.js";
import { parseBatch, parseContractDomain } from "./parseReceipt.js";
import { batchReceiptsDomain, batchTypes } from "./typedData.js";
import type { Batch, ContractDomain } from "./types.js";

export type SignBatchParameters = {
  /** The enclave's signing key. */
  account: LocalAccount;
  batch: Batch;
  /** The BatchReceipts contract the batch is for. */
  domain: ContractDomain;
};
export type SignBatchErrorType = TeezkError;

/** Signs a batch root (from buildReceiptBatch) as EIP-712 typed data for BatchReceipts.submitBatch. */
export async function signBatch({ account, batch, domain }: SignBatchParameters): Promise<Hex> {
  return account.signTypedData({
    domain: batchReceiptsDomain(parseContractDomain(domain)),
    types: batchTypes,
    primaryType: "Batch",
    message: parseBatch(batch),
  });
}
