import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeMerkleProof, poseidonHash } from "../../../src/prover/index.js";

/** Folds a leaf up its path, the way the circuit's BinaryMerkleRoot does. */
function rootFromPath(leaf: bigint, siblings: readonly bigint[], pathIndices: readonly number[]): bigint {
  let node = leaf;
  siblings.forEach((sibling, i) => {
    node = pathIndices[i] === 1 ? poseidonHash([sibling, node]) : poseidonHash([node, sibling]);
  });
  return node;
}

describe("computeMerkleProof", () => {
  it("gives a path that folds back to the root, for every leaf of random trees", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.bigInt({ min: 0n, max: (1n << 250n) - 1n }), { minLength: 1, maxLength: 12 }),
        (depth, values) => {
          const leaves = values.slice(0, 2 ** depth);
          const roots = new Set<bigint>();
          leaves.forEach((leaf, index) => {
            const proof = computeMerkleProof({ leaves, index, depth });
            expect(proof.leaf).toBe(leaf);
            expect(proof.pathIndices).toEqual(
              Array.from({ length: depth }, (_, level) => (index >> level) & 1),
            );
            expect(rootFromPath(leaf, proof.siblings, proof.pathIndices)).toBe(proof.root);
            roots.add(proof.root);
          });
          expect(roots.size).toBe(1);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("fills empty positions with zero subtrees", () => {
    const z1 = poseidonHash([0n, 0n]);
    const proof = computeMerkleProof({ leaves: [7n], index: 0, depth: 2 });
    expect(proof.siblings).toEqual([0n, z1]);
    expect(proof.root).toBe(poseidonHash([poseidonHash([7n, 0n]), z1]));
  });

  it("changes the root when any leaf changes", () => {
    const leaves = [1n, 2n, 3n, 4n, 5n];
    const root = computeMerkleProof({ leaves, index: 0 }).root;
    for (let i = 0; i < leaves.length; i++) {
      const changed = leaves.map((leaf, j) => (j === i ? leaf + 1n : leaf));
      expect(computeMerkleProof({ leaves: changed, index: 0 }).root).not.toBe(root);
    }
  });

  it("rejects out-of-range indices, depths and oversized groups", () => {
    const cases = [
      { leaves: [1n], index: 1 },
      { leaves: [1n], index: -1 },
      { leaves: [], index: 0 },
      { leaves: [1n, 2n, 3n], index: 0, depth: 1 },
      { leaves: [1n], index: 0, depth: 0 },
      { leaves: [1n], index: 0, depth: 33 },
    ];
    for (const parameters of cases) {
      expect(() => computeMerkleProof(parameters)).toThrow(
        expect.objectContaining({ code: "WITNESS_INVALID" }),
      );
    }
  });
});
