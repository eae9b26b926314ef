import type { Address, Hex } from "viem";
import type { TeezkError } from "../errors/index.js";
import { parseBatch } from "../receipts/parseReceipt.js";
import type { Batch } from "../receipts/types.js";
import { batchReceiptsAbi } from "./contractAbis.js";
import { sendContractTransaction } from "./sendContractTransaction.js";
import type { TeezkClients, TransactionResult } from "./types.js";

export type SubmitBatchParameters = TeezkClients & {
  batchReceipts: Address;
  batch: Batch;
  signature: Hex;
  /**
   * A program the signer is live for now: BatchReceipts refuses the submission otherwise (EnclaveNotLive), so
   * a signature that recovers to no enclave records nothing. Receipts of other programs in the batch are still
   * checked against their own program at inclusion.
   */
  programId: Hex;
};
export type SubmitBatchReturnType = TransactionResult & { enclave: Address };
export type SubmitBatchErrorType = TeezkError;

/**
 * Records a signed batch root (buildReceiptBatch + signBatch) in BatchReceipts under (root, signer); returns the
 * signing enclave, which every inclusion check of this batch must name (verifyInclusion's `signer`).
 */
export async function submitBatch({ batchReceipts, batch, signature, programId, ...clients }: SubmitBatchParameters): Promise<SubmitBatchReturnType> {
  const tx = await sendContractTransaction(clients, {
    address: batchReceipts,
    abi: batchReceiptsAbi,
    functionName: "submitBatch",
    args: [parseBatch(batch), programId, signature],
  });
  return { hash: tx.hash, gasUsed: tx.gasUsed, receipt: tx.receipt, enclave: tx.result as Address };
}
