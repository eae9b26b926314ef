import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { Hex } from "viem";
import { TeezkError } from "../errors/index.js";
import { receiptLeafValues } from "./hashReceiptLeaf.js";
import { parseReceipt } from "./parseReceipt.js";
import { RECEIPT_LEAF_ENCODING } from "./typedData.js";
import type { Batch, Receipt } from "./types.js";

/** Largest batch built in memory (a tree of 2^20 leaves is ~100 MB of hex strings in the OZ library). */
export const MAX_BATCH_RECEIPTS = 1 << 20;

export type ReceiptLeafValues = ReturnType<typeof receiptLeafValues>;

export type ReceiptBatch = {
  /** What the enclave signs (signBatch) and BatchReceipts.submitBatch takes. */
  batch: Batch;
  /** The receipts in the order given; proofs are asked for by this index. */
  receipts: readonly Receipt[];
  tree: StandardMerkleTree<ReceiptLeafValues>;
};

export type BuildReceiptBatchParameters = {
  receipts: readonly Receipt[];
  /** When the enclave signs the batch, in seconds. */
  issuedAt: bigint;
};
export type BuildReceiptBatchReturnType = ReceiptBatch;
export type BuildReceiptBatchErrorType = TeezkError;

/**
 * Builds the StandardMerkleTree (npm @openzeppelin/merkle-tree) of a batch with exactly the leaf encoding
 * BatchReceipts checks (ReceiptTypes.batchLeaf). Duplicate receipts are refused: two equal leaves would make one
 * inclusion proof stand for two receipts.
 */
export function buildReceiptBatch({ receipts, issuedAt }: BuildReceiptBatchParameters): BuildReceiptBatchReturnType {
  if (!Array.isArray(receipts) || receipts.length === 0) throw new TeezkError("RECEIPT_INVALID", "A batch needs at least one receipt");
  if (receipts.length > MAX_BATCH_RECEIPTS) {
    throw new TeezkError("RECEIPT_INVALID", `A batch holds at most ${MAX_BATCH_RECEIPTS} receipts; got ${receipts.length}`);
  }
  if (typeof issuedAt !== "bigint" || issuedAt < 0n || issuedAt >= 1n << 64n) {
    throw new TeezkError("RECEIPT_INVALID", "issuedAt must be a uint64 bigint");
  }
  const parsed = receipts.map((receipt) => parseReceipt(receipt));
  const values = parsed.map((receipt) => receiptLeafValues(receipt));
  const tree = StandardMerkleTree.of(values, RECEIPT_LEAF_ENCODING);
  const seen = new Set<string>();
  for (let i = 0; i < values.length; i++) {
    const leaf = tree.leafHash(values[i]!);
    if (seen.has(leaf)) throw new TeezkError("RECEIPT_INVALID", `Receipt ${i} repeats an earlier receipt of the batch`);
    seen.add(leaf);
  }
  const batch = { root: tree.root as Hex, count: parsed.length, issuedAt };
  return { batch, receipts: parsed, tree };
}
