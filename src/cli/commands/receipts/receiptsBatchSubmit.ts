import type { Hex } from "viem";
import { checkBatchSigner, submitBatch, type TeezkClients } from "../../../chain/index.js";
import { TeezkError } from "../../../errors/index.js";
import { buildReceiptBatch } from "../../../receipts/index.js";
import { transactionOutput, type ChainCommandOutput } from "../../support/chainCommandOutput.js";
import { explainChainError } from "../../support/explainChainError.js";
import { loadReceiptLines } from "./loadReceiptFiles.js";
import { requireAddress, type ChainDeployment } from "../../support/resolveDeployment.js";

export type ReceiptsBatchSubmitParameters = TeezkClients & {
  deployment: ChainDeployment;
  /** JSON lines, one receipt per line (the tree sorts its leaves, so order matters only for --index). */
  receiptsFile: string;
  /** The enclave's EIP-712 signature over Batch(root, count, issuedAt). */
  signature: Hex;
  /** The batch's issuedAt (seconds) as the enclave signed it. */
  issuedAt: bigint;
};
export type ReceiptsBatchSubmitErrorType = TeezkError;

/**
 * `teezk receipts batch submit`: rebuilds the StandardMerkleTree from the receipts file (the root is never taken
 * on trust from a flag), then records the root in BatchReceipts under (root, signer); inclusions are checked
 * against it with `receipts batch verify-inclusion --signer <enclave>`.
 *
 * BatchReceipts checks that the signer is live for one program at submission (and caches that answer for the
 * program's receipts) and the rest per receipt, at inclusion. A wrong --issued-at or receipts file would recover some other address and the
 * receipts would never verify; so checkBatchSigner (src/chain) requires the recovered signer to be a live enclave
 * for every program in the batch before anything is sent, and the contract is given the first of them.
 */
export async function receiptsBatchSubmit(parameters: ReceiptsBatchSubmitParameters): Promise<ChainCommandOutput> {
  const { deployment, publicClient, walletClient, signature, issuedAt } = parameters;
  const batchReceipts = requireAddress(deployment, "batchReceipts");
  const receipts = await loadReceiptLines(parameters.receiptsFile);
  const { batch } = buildReceiptBatch({ receipts, issuedAt });
  try {
    const programs = [...new Set(receipts.map((r) => r.programId))];
    const { signer } = await checkBatchSigner({ publicClient, batchReceipts, batch, signature, programIds: programs });
    const tx = await submitBatch({ publicClient, walletClient, batchReceipts, batch, signature, programId: programs[0]! });
    if (tx.enclave.toLowerCase() !== signer.toLowerCase()) {
      throw new TeezkError("INTERNAL", `BatchReceipts recovered ${tx.enclave} but the local digest recovers ${signer}`);
    }
    // Inclusion of the named program's receipts reads the batch's liveness cache; the others ask the registry
    // in full until someone caches them too.
    const uncached = programs.filter((p) => p !== tx.livenessCache?.programId);
    const cacheLine = tx.livenessCache
      ? uncached.length === 0
        ? "; liveness cached for its program"
        : `; liveness cached for program ${tx.livenessCache.programId} only: \`receipts batch refresh-liveness --root ${batch.root} --signer ${tx.enclave} --program-id <id>\` caches the other ${uncached.length}`
      : "; no liveness cache (BatchReceipts is not a liveness sink): inclusions take the full check";
    return transactionOutput(
      "receipts batch submit",
      `submitted batch ${batch.root} of ${batch.count} receipt(s) signed by enclave ${tx.enclave} (${(Number(tx.gasUsed) / batch.count).toFixed(1)} gas per receipt)${cacheLine}; verify inclusions with --signer ${tx.enclave}`,
      tx,
      deployment,
      {
        root: batch.root,
        count: batch.count,
        issuedAt: batch.issuedAt,
        enclave: tx.enclave,
        livenessCachedFor: tx.livenessCache ? [tx.livenessCache.programId] : [],
        livenessUncachedFor: tx.livenessCache ? uncached : programs,
      },
    );
  } catch (error) {
    throw explainChainError(error, "receipts batch submit");
  }
}
