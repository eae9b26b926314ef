import { describe, expect, it } from "vitest";
import { computeMerkleProof } from "../../src/prover/index.js";
import { applyRollupBatch, createRollupState, encodeAccountLeaf, rollupTreeDepth, type RollupTransfer } from "../../src/rollup/index.js";

const genesis = createRollupState({ balances: [50n, 20n, 0n] });
const batch: RollupTransfer[] = [
  { from: 0, to: 1, amount: 30n, nonce: 0 },
  { from: 1, to: 2, amount: 50n, nonce: 0 },
  { from: 0, to: 0, amount: 20n, nonce: 1 },
  { from: 2, to: 0, amount: 0n, nonce: 0 },
];
const refusal = (fn: () => unknown) => {
  try {
    fn();
    return "accepted";
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe("applyRollupBatch: the rollup's state machine", () => {
  it("computes the same root as a dense Poseidon tree of the encoded accounts", () => {
    const { state, newRoot } = applyRollupBatch({ state: genesis, batch, epoch: 1n });
    const leaves = [0, 1, 2].map((slot) => encodeAccountLeaf(state.accounts.get(slot)!));
    expect(newRoot).toBe(computeMerkleProof({ leaves, index: 0, depth: rollupTreeDepth }).root);
    expect([...state.accounts.values()]).toEqual([
      { balance: 20n, nonce: 2 },
      { balance: 0n, nonce: 1 },
      { balance: 50n, nonce: 1 },
    ]);
    // The input state is untouched.
    expect(genesis.accounts.get(0)).toEqual({ balance: 50n, nonce: 0 });
  });

  it("refuses an overdraft, an empty slot on either side, a stale (replayed) nonce and an overflow", () => {
    const at = (i: number, change: Partial<RollupTransfer>) => batch.map((t, j) => (j === i ? { ...t, ...change } : t));
    expect(refusal(() => applyRollupBatch({ state: genesis, batch: at(0, { amount: 51n }), epoch: 1n }))).toBe("ROLLUP_TRANSFER_REFUSED");
    expect(refusal(() => applyRollupBatch({ state: genesis, batch: at(0, { to: 3 }), epoch: 1n }))).toBe("ROLLUP_TRANSFER_REFUSED");
    expect(refusal(() => applyRollupBatch({ state: genesis, batch: at(3, { from: 65535 }), epoch: 1n }))).toBe("ROLLUP_TRANSFER_REFUSED");
    const applied = applyRollupBatch({ state: genesis, batch, epoch: 1n });
    expect(refusal(() => applyRollupBatch({ state: applied.state, batch, epoch: 2n }))).toBe("ROLLUP_TRANSFER_REFUSED");
    const rich = createRollupState({ balances: [(1n << 64n) - 1n, 1n] });
    const overflow = [0, 1, 2, 3].map((nonce) => ({ from: 1, to: 0, amount: nonce === 0 ? 1n : 0n, nonce }));
    expect(refusal(() => applyRollupBatch({ state: rich, batch: overflow, epoch: 1n }))).toBe("ROLLUP_TRANSFER_REFUSED");
  });

  it("refuses malformed batches without throwing anything but a typed error", () => {
    const bad: unknown[] = [
      batch.slice(0, 3),
      [...batch, batch[0]],
      batch.map((t, i) => (i === 0 ? { ...t, from: 1 << 16 } : t)),
      batch.map((t, i) => (i === 0 ? { ...t, to: -1 } : t)),
      batch.map((t, i) => (i === 0 ? { ...t, amount: 1n << 64n } : t)),
      batch.map((t, i) => (i === 0 ? { ...t, amount: 5 } : t)),
      batch.map((t, i) => (i === 0 ? { ...t, nonce: 0.5 } : t)),
      batch.map((t, i) => (i === 0 ? null : t)),
      "not a batch",
    ];
    for (const candidate of bad) {
      expect(refusal(() => applyRollupBatch({ state: genesis, batch: candidate as RollupTransfer[], epoch: 1n }))).toBe("ROLLUP_BATCH_INVALID");
    }
    expect(refusal(() => applyRollupBatch({ state: genesis, batch, epoch: 1n << 64n }))).toBe("ROLLUP_BATCH_INVALID");
  });
});
