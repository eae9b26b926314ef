import path from "node:path";
import * as snarkjs from "snarkjs";
import { afterAll, describe, expect, it } from "vitest";
import { defaultCircuitsBuildDir, normalizeWitnessInput } from "../../src/prover/index.js";
import { applyRollupBatch, createRollupState, type RollupTransfer, type RollupWitnessInput } from "../../src/rollup/index.js";
import { forgeRollupWitness } from "./forgeRollupWitness.js";

// The committed circuit's witness calculator: it evaluates every constraint, so an unsatisfiable witness throws
// here exactly where a prover would fail to produce a proof.
const wasmPath = path.join(defaultCircuitsBuildDir, "rollup", "rollup.wasm");

/** The witness's public signals, snarkjs order: [newRoot, prevRoot, epoch]. */
async function publicSignals(input: RollupWitnessInput): Promise<bigint[]> {
  const witness = { type: "mem" } as { type: "mem" };
  await snarkjs.wtns.calculate(normalizeWitnessInput(input), wasmPath, witness);
  const values = (await snarkjs.wtns.exportJson(witness)) as bigint[];
  return values.slice(1, 4).map(BigInt);
}

const genesis = createRollupState({ balances: [1000n, 500n, 250n, 0n, 75n] });
const batch: RollupTransfer[] = [
  { from: 0, to: 1, amount: 100n, nonce: 0 },
  { from: 1, to: 2, amount: 600n, nonce: 0 },
  { from: 2, to: 2, amount: 10n, nonce: 0 },
  { from: 4, to: 3, amount: 75n, nonce: 0 },
];

describe("circuits/rollup.circom: newRoot = apply(prevRoot, batch)", () => {
  afterAll(async () => (await snarkjs.curves.getCurveFromName("bn128")).terminate());

  it("accepts a valid batch (a self-transfer and a whole-balance transfer included) and outputs the state machine's root", async () => {
    const applied = applyRollupBatch({ state: genesis, batch, epoch: 7n });
    expect(await publicSignals(applied.witnessInput)).toEqual([applied.newRoot, genesis.root, 7n]);
    // And the next epoch, built on that root with advanced nonces.
    const second: RollupTransfer[] = [
      { from: 0, to: 1, amount: 1n, nonce: 1 },
      { from: 1, to: 2, amount: 1n, nonce: 1 },
      { from: 2, to: 0, amount: 1n, nonce: 1 },
      { from: 3, to: 4, amount: 1n, nonce: 0 },
    ];
    const next = applyRollupBatch({ state: applied.state, batch: second, epoch: 8n });
    expect(await publicSignals(next.witnessInput)).toEqual([next.newRoot, applied.newRoot, 8n]);
  });

  it("refuses an overdraft: the debited balance wraps in the field and fails its 64-bit range check", async () => {
    const overdraft = batch.map((t, i) => (i === 3 ? { ...t, amount: 76n } : t));
    await expect(publicSignals(forgeRollupWitness({ state: genesis, batch: overdraft, epoch: 7n }))).rejects.toThrow(/Assert Failed/);
  });

  it("accepts balances at the 64-bit limit, and refuses a credit past it (the receiver's balance would wrap)", async () => {
    const max = (1n << 64n) - 1n;
    const full = createRollupState({ balances: [max, 0n, max - 1n] });
    const edge: RollupTransfer[] = [
      { from: 0, to: 1, amount: max, nonce: 0 },
      { from: 1, to: 0, amount: max, nonce: 0 },
      { from: 0, to: 1, amount: 1n, nonce: 1 },
      { from: 1, to: 2, amount: 1n, nonce: 1 },
    ];
    const applied = applyRollupBatch({ state: full, batch: edge, epoch: 1n });
    expect(await publicSignals(applied.witnessInput)).toEqual([applied.newRoot, full.root, 1n]);
    const overflow = edge.map((t, i) => (i === 3 ? { ...t, amount: 2n } : t));
    await expect(publicSignals(forgeRollupWitness({ state: full, batch: overflow, epoch: 1n }))).rejects.toThrow(/Assert Failed/);
  });

  it("refuses a wrong previous root", async () => {
    const applied = applyRollupBatch({ state: genesis, batch, epoch: 7n });
    const other = createRollupState({ balances: [1000n, 500n, 250n, 0n, 76n] });
    await expect(publicSignals({ ...applied.witnessInput, prevRoot: other.root })).rejects.toThrow(/Assert Failed/);
  });

  it("refuses a transfer to a non-existent leaf, even claimed as an account holding nothing", async () => {
    const toEmpty = batch.map((t, i) => (i === 0 ? { ...t, to: 9 } : t));
    await expect(publicSignals(forgeRollupWitness({ state: genesis, batch: toEmpty, epoch: 7n }))).rejects.toThrow(/Assert Failed/);
    // Without the tag an empty slot (0) would open as balance 0, nonce 0: the attacker's encoding is refused.
    await expect(publicSignals(forgeRollupWitness({ state: genesis, batch: toEmpty, epoch: 7n, accountTag: 0n }))).rejects.toThrow(/Assert Failed/);
  });

  it("refuses a replayed batch: the senders' nonces moved on", async () => {
    const applied = applyRollupBatch({ state: genesis, batch, epoch: 7n });
    await expect(publicSignals(forgeRollupWitness({ state: applied.state, batch, epoch: 8n }))).rejects.toThrow(/Assert Failed/);
  });

  it("binds the epoch: the same witness under another epoch is another statement", async () => {
    const applied = applyRollupBatch({ state: genesis, batch, epoch: 7n });
    expect((await publicSignals({ ...applied.witnessInput, epoch: 9n }))[2]).toBe(9n);
  });
});
