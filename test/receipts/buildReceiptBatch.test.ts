import { concat, encodeAbiParameters, keccak256 } from "viem";
import { describe, expect, it } from "vitest";
import { buildReceiptBatch, getInclusionProof, hashReceiptLeaf, verifyInclusionProof } from "../../src/receipts/index.js";
import { receiptOf } from "./receiptSamples.js";

describe("buildReceiptBatch", () => {
  it("batch leaves are keccak256(keccak256(abi.encode(fields))) and every proof leads to the root", () => {
    const receipts = Array.from({ length: 37 }, (_, i) => receiptOf(i));
    const built = buildReceiptBatch({ receipts, issuedAt: 1_750_000_500n });
    expect(built.batch.count).toBe(37);
    for (const index of [0, 1, 17, 36]) {
      const { receipt, leaf, proof } = getInclusionProof({ batch: built, index });
      const r = receipts[index]!;
      const manual = keccak256(
        keccak256(
          encodeAbiParameters(
            [{ type: "bytes32" }, { type: "bytes32" }, { type: "bytes32" }, { type: "bytes32" }, { type: "uint64" }, { type: "bytes32" }],
            [r.programId, r.inputDigest, r.outputDigest, r.proofDigest, r.issuedAt, r.nonce],
          ),
        ),
      );
      expect(leaf).toBe(manual);
      expect(hashReceiptLeaf(receipt)).toBe(manual);
      // Walk the proof with OZ MerkleProof's sorted-pair rule, independently of the library's verify.
      let node = leaf;
      for (const sibling of proof) node = keccak256(node < sibling ? concat([node, sibling]) : concat([sibling, node]));
      expect(node).toBe(built.batch.root);
      verifyInclusionProof({ receipt, root: built.batch.root, proof });
    }
  });

  it("refuses empty batches and duplicate receipts", () => {
    expect(() => buildReceiptBatch({ receipts: [], issuedAt: 1n })).toThrow(/RECEIPT_INVALID/);
    expect(() => buildReceiptBatch({ receipts: [receiptOf(1), receiptOf(2), receiptOf(1)], issuedAt: 1n })).toThrow(/repeats/);
  });
});
