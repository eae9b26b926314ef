import type { Address, Hex } from "viem";
import { verifyInclusion, type TeezkClients } from "../../../chain/index.js";
import { TeezkError } from "../../../errors/index.js";
import { buildReceiptBatch, getInclusionProof, verifyInclusionProof, type Receipt } from "../../../receipts/index.js";
import { viewOutput, type ChainCommandOutput } from "../../support/chainCommandOutput.js";
import { explainChainError } from "../../support/explainChainError.js";
import { loadReceipt, loadReceiptLines } from "./loadReceiptFiles.js";
import { requireAddress, type ChainDeployment } from "../../support/resolveDeployment.js";

export type ReceiptsBatchVerifyInclusionParameters = Pick<TeezkClients, "publicClient"> & {
  deployment: ChainDeployment;
  /** The enclave that submitted the batch (batches are keyed by root and signer; `receipts batch submit` prints it). */
  signer: Address;
} & (
    | {
        /** The batch's receipts file: the tree is rebuilt and the proof for `index` derived from it. */
        receiptsFile: string;
        index: number;
      }
    | {
        /** One receipt (bare or `{ receipt, … }`), with the batch root and its Merkle proof. */
        receiptFile: string;
        root: Hex;
        proof: readonly Hex[];
      }
  );
export type ReceiptsBatchVerifyInclusionErrorType = TeezkError;

/**
 * `teezk receipts batch verify-inclusion`: BatchReceipts.verifyIncluded (a view): `signer` submitted the batch,
 * the receipt is a leaf of it and `signer` is live for the receipt's program now. The Merkle step is checked
 * locally first, so a wrong proof is told apart from an unknown batch or a dead signer.
 */
export async function receiptsBatchVerifyInclusion(parameters: ReceiptsBatchVerifyInclusionParameters): Promise<ChainCommandOutput> {
  const { publicClient, deployment, signer } = parameters;
  const batchReceipts = requireAddress(deployment, "batchReceipts");
  let receipt: Receipt;
  let root: Hex;
  let proof: readonly Hex[];
  let index: number | null = null;
  if ("receiptsFile" in parameters) {
    const receipts = await loadReceiptLines(parameters.receiptsFile);
    // issuedAt is not part of the tree: the root depends on the receipts alone.
    const batch = buildReceiptBatch({ receipts, issuedAt: 0n });
    const inclusion = getInclusionProof({ batch, index: parameters.index });
    ({ receipt, proof } = inclusion);
    root = batch.batch.root;
    index = parameters.index;
  } else {
    receipt = loadReceipt(parameters.receiptFile);
    ({ root, proof } = parameters);
  }
  verifyInclusionProof({ receipt, root, proof });
  try {
    await verifyInclusion({ publicClient, batchReceipts, receipt, root, signer, proof });
    return viewOutput(
      "receipts batch verify-inclusion",
      `included: receipt${index === null ? "" : ` ${index}`} is in batch ${root} signed by live enclave ${signer} (proof of ${proof.length} node(s))`,
      { included: true, root, index, enclave: signer, proof: [...proof], programId: receipt.programId },
    );
  } catch (error) {
    throw explainChainError(error, "receipts batch verify-inclusion");
  }
}
