import type { Hex } from "viem";
import { TeezkError } from "../errors/index.js";
import type { Groth16Proof, Prover } from "../prover/index.js";
import { applyRollupBatch, createRollupSequencer, createRollupState, proveRollupBatch, rootToHex, type RollupSequencer, type RollupState, type RollupTransfer } from "../rollup/index.js";
import type { SimulatedEnclave } from "../devnet/index.js";
import type { DemoVendor } from "./startDemoProvers.js";

/** The demo rollup's opening balances (accounts 0..5); its root is the roots contract's ZK genesis. */
export const DEMO_ROLLUP_BALANCES: readonly bigint[] = [1_000n, 800n, 600n, 400n, 200n, 0n];

/** Epoch e's batch (1-based): four transfers whose nonces follow from the ones before. */
export const DEMO_ROLLUP_BATCHES: readonly (readonly RollupTransfer[])[] = [
  [
    { from: 0, to: 5, amount: 150n, nonce: 0 },
    { from: 1, to: 2, amount: 80n, nonce: 0 },
    { from: 2, to: 3, amount: 300n, nonce: 0 },
    { from: 3, to: 0, amount: 25n, nonce: 0 },
  ],
  [
    { from: 5, to: 4, amount: 50n, nonce: 0 },
    { from: 0, to: 1, amount: 10n, nonce: 1 },
    { from: 4, to: 4, amount: 5n, nonce: 0 },
    { from: 2, to: 5, amount: 1n, nonce: 1 },
  ],
  [
    { from: 1, to: 0, amount: 70n, nonce: 1 },
    { from: 3, to: 2, amount: 100n, nonce: 1 },
    { from: 5, to: 3, amount: 1n, nonce: 1 },
    { from: 4, to: 1, amount: 250n, nonce: 1 },
  ],
];

/**
 * The faulty enclave's epoch-1 batch: the real one with the first transfer's amount raised, as a sequencer fed a
 * different (or corrupted) batch would run it. It computes, and signs, a root the honest enclaves never compute.
 */
export const DEMO_ROLLUP_FAULTY_BATCH: readonly RollupTransfer[] = DEMO_ROLLUP_BATCHES[0]!.map((t, i) => (i === 0 ? { ...t, amount: 990n } : t));

export type DemoRollup = {
  genesis: RollupState;
  sequencers: Record<DemoVendor, RollupSequencer>;
  /** The honest chain of states: states[e] after epoch e (states[0] is the genesis). */
  states: RollupState[];
  batchOf: (epoch: bigint) => readonly RollupTransfer[];
};

/** The rollup the demo's roots steps run: one sequencer per rollup-signer enclave, all starting from the genesis. */
export function createDemoRollup(signers: Record<DemoVendor, SimulatedEnclave>): DemoRollup {
  const genesis = createRollupState({ balances: DEMO_ROLLUP_BALANCES });
  const sequencers = Object.fromEntries(
    Object.entries(signers).map(([vendor, enclave]) => [vendor, createRollupSequencer({ account: enclave.account, genesis })]),
  ) as Record<DemoVendor, RollupSequencer>;
  const states = [genesis];
  DEMO_ROLLUP_BATCHES.forEach((batch, i) => states.push(applyRollupBatch({ state: states[i]!, batch, epoch: BigInt(i + 1) }).state));
  return { genesis, sequencers, states, batchOf: (epoch) => DEMO_ROLLUP_BATCHES[Number(epoch) - 1]! };
}

/** Where epoch `epoch` starts: the previous finalized root as the sequencers are told it. */
export const previousRootHex = (rollup: DemoRollup, epoch: bigint): Hex => rootToHex(rollup.states[Number(epoch) - 1]!.root);

/**
 * The rollup prover of the demo's ZK leg: a real Groth16 proof of epoch e's transition (from the previous honest
 * state, with the epoch's batch), memoized per epoch. `root` must be what that transition computes.
 */
export function createDemoRollupProofs(prover: Prover<Groth16Proof>): (epoch: bigint, root: Hex) => Promise<Hex> {
  const proofs = new Map<bigint, Promise<Hex>>();
  return (epoch, root) => {
    let proof = proofs.get(epoch);
    if (!proof) {
      let state = createRollupState({ balances: DEMO_ROLLUP_BALANCES });
      for (let e = 1n; e < epoch; e++) state = applyRollupBatch({ state, batch: DEMO_ROLLUP_BATCHES[Number(e) - 1]!, epoch: e }).state;
      const applied = applyRollupBatch({ state, batch: DEMO_ROLLUP_BATCHES[Number(epoch) - 1]!, epoch });
      if (rootToHex(applied.newRoot) !== root.toLowerCase()) {
        return Promise.reject(new TeezkError("DEMO_EXPECTATION_FAILED", `epoch ${epoch}'s transition computes ${rootToHex(applied.newRoot)}, not ${root}`));
      }
      proof = proveRollupBatch({ prover, applied }).then((proved) => proved.zkProof);
      proofs.set(epoch, proof);
    }
    return proof;
  };
}
