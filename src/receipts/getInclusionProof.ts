import type { Hex } from "viem";
import { TeezkError } from "../errors/index.js";
import type { ReceiptBatch } from "./buildReceiptBatch.js";
import type { Receipt } from "./types.js";

export type GetInclusionProofParameters = {
  batch: ReceiptBatch;
  /** The receipt's position in the list given to buildReceiptBatch. */
  index: number;
};
export type GetInclusionProofReturnType = { receipt: Receipt; leaf: Hex; proof: Hex[] };
export type GetInclusionProofErrorType = TeezkError;

/** The Merkle proof BatchReceipts.verifyIncluded takes for receipt `index` of a batch. */
export function getInclusionProof({ batch, index }: GetInclusionProofParameters): GetInclusionProofReturnType {
  const receipt = batch.receipts[index];
  if (!Number.isInteger(index) || receipt === undefined) {
    throw new TeezkError("RECEIPT_NOT_IN_BATCH", `The batch has no receipt at index ${String(index)} (it holds ${batch.receipts.length})`);
  }
  const values = batch.tree.at(index)!;
  return { receipt, leaf: batch.tree.leafHash(values) as Hex, proof: batch.tree.getProof(index) as Hex[] };
}
