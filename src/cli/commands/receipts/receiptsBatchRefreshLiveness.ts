import type { Address, Hex } from "viem";
import { refreshBatchLiveness, type TeezkClients } from "../../../chain/index.js";
import type { TeezkError } from "../../../errors/index.js";
import { isoTime, transactionOutput, type ChainCommandOutput } from "../../support/chainCommandOutput.js";
import { explainChainError } from "../../support/explainChainError.js";
import { requireAddress, type ChainDeployment } from "../../support/resolveDeployment.js";

export type ReceiptsBatchRefreshLivenessParameters = TeezkClients & { deployment: ChainDeployment; root: Hex; signer: Address; programId: Hex };
export type ReceiptsBatchRefreshLivenessErrorType = TeezkError;

/**
 * `teezk receipts batch refresh-liveness`: BatchReceipts.refreshBatchLiveness for one (root, signer, program).
 * After any revocation, rotation or removal, and for programs other than the one named at submission, inclusion
 * checks of the batch ask the registry in full (more gas); this caches a still-live signer's answer again. Anyone
 * may send it, and a signer that is not live is refused (EnclaveNotLive), so it can never make one live.
 */
export async function receiptsBatchRefreshLiveness({ deployment, root, signer, programId, ...clients }: ReceiptsBatchRefreshLivenessParameters): Promise<ChainCommandOutput> {
  const batchReceipts = requireAddress(deployment, "batchReceipts");
  try {
    const tx = await refreshBatchLiveness({ ...clients, batchReceipts, root, signer, programId });
    return transactionOutput(
      "receipts batch refresh-liveness",
      `batch ${root} of ${signer}: program ${programId} cached live until ${isoTime(tx.liveUntil)} under liveness epoch ${tx.epoch}`,
      tx,
      deployment,
      { root, signer, programId, liveUntil: tx.liveUntil, liveUntilIso: isoTime(tx.liveUntil), epoch: tx.epoch },
    );
  } catch (error) {
    throw explainChainError(error, "receipts batch refresh-liveness");
  }
}
