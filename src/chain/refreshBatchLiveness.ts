import { parseEventLogs, type Address, type Hex } from "viem";
import { TeezkError } from "../errors/index.js";
import { batchReceiptsAbi } from "./contractAbis.js";
import { sendContractTransaction } from "./sendContractTransaction.js";
import type { TeezkClients, TransactionResult } from "./types.js";

export type RefreshBatchLivenessParameters = TeezkClients & {
  batchReceipts: Address;
  /** The batch root, as submitted. */
  root: Hex;
  /** The enclave that submitted it (batches are keyed by root and signer). */
  signer: Address;
  /** The program whose receipts in the batch should take the cached path. */
  programId: Hex;
};
export type RefreshBatchLivenessReturnType = TransactionResult & {
  /** Until when the cached answer says "live" (unless the liveness epoch advances first). */
  liveUntil: bigint;
  /** The liveness epoch the cache was taken under. */
  epoch: bigint;
};
export type RefreshBatchLivenessErrorType = TeezkError;

/**
 * BatchReceipts.refreshBatchLiveness: inclusion of a batch's receipts reads the signer's liveness from the batch's
 * own cache while no revocation, rotation or removal has happened since it was taken; after one (or for a program
 * other than the one named at submission) each inclusion asks the registry in full, about 28k gas instead of 7.6k.
 * This re-runs the full check once and caches it for (root, signer, programId). Anyone may send it: it stores only
 * what the full check shows now, and reverts with EnclaveNotLive, BatchNotFound or LivenessEpochNotMirrored.
 */
export async function refreshBatchLiveness({ batchReceipts, root, signer, programId, ...clients }: RefreshBatchLivenessParameters): Promise<RefreshBatchLivenessReturnType> {
  const tx = await sendContractTransaction(clients, {
    address: batchReceipts,
    abi: batchReceiptsAbi,
    functionName: "refreshBatchLiveness",
    args: [root, signer, programId],
  });
  const [event] = parseEventLogs({ abi: batchReceiptsAbi, eventName: "BatchLivenessCached", logs: tx.receipt.logs });
  if (!event) throw new TeezkError("CHAIN_CALL_FAILED", "refreshBatchLiveness emitted no BatchLivenessCached event", { details: tx.hash });
  return { hash: tx.hash, gasUsed: tx.gasUsed, receipt: tx.receipt, liveUntil: event.args.liveUntil, epoch: event.args.epoch };
}
