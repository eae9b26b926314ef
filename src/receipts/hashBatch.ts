import { hashTypedData, type Hex } from "viem";
import type { TeezkError } from "../errors/index.js";
import { parseBatch, parseContractDomain } from "./parseReceipt.js";
import { batchReceiptsDomain, batchTypes } from "./typedData.js";
import type { Batch, ContractDomain } from "./types.js";

export type HashBatchParameters = { batch: Batch; domain: ContractDomain };
export type HashBatchErrorType = TeezkError;

/** The EIP-712 digest BatchReceipts.batchDigest returns for `batch`. */
export function hashBatch({ batch, domain }: HashBatchParameters): Hex {
  return hashTypedData({
    domain: batchReceiptsDomain(parseContractDomain(domain)),
    types: batchTypes,
    primaryType: "Batch",
    message: parseBatch(batch),
  });
}
