import { parseEventLogs, type Address, type Hex } from "viem";
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
   * a signature that recovers to no enclave records nothing. The answer is cached for this program's receipts
   * (`livenessCache`); receipts of other programs in the batch are checked against their own program at
   * inclusion, in full until refreshBatchLiveness caches them too.
   */
  programId: Hex;
};
export type SubmitBatchReturnType = TransactionResult & {
  enclave: Address;
  /**
   * The signer's liveness for `programId` as cached for this batch: inclusions of that program's receipts then
   * skip the registry (about 7.6k gas instead of 28k) until `liveUntil` or the next revocation, rotation or
   * removal anywhere. Undefined when BatchReceipts is not a liveness sink of its MeasurementRegistry.
   */
  livenessCache?: { programId: Hex; liveUntil: bigint; epoch: bigint };
};
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
  const [cached] = parseEventLogs({ abi: batchReceiptsAbi, eventName: "BatchLivenessCached", logs: tx.receipt.logs });
  return {
    hash: tx.hash,
    gasUsed: tx.gasUsed,
    receipt: tx.receipt,
    enclave: tx.result as Address,
    ...(cached ? { livenessCache: { programId: cached.args.programId, liveUntil: cached.args.liveUntil, epoch: cached.args.epoch } } : {}),
  };
}
