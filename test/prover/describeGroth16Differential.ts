import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGroth16Prover } from "../../src/prover/index.js";
import {
  checkDifferentialProofs,
  differentialVerifiers,
  differentialWitness,
  type DifferentialCircuit,
  type DifferentialOutcome,
  type DifferentialVerifier,
  type Proved,
} from "./groth16Differential.js";
import { ensureNativeGroth16Binary } from "./nativeGroth16Binary.js";

/** The tamperings' count besides one per public signal (groth16Differential's tamperings). */
const proofTamperings = 4;

/**
 * The differential test of one committed circuit: seeds 0..witnesses-1 proved by snarkjs and native, each proof
 * checked by snarkjs, native and the circuit's on-chain verifiers with its tamperings; then the check itself is
 * run with broken verifiers, so a harness that stopped checking something would fail here.
 */
export function describeGroth16Differential(target: DifferentialCircuit, witnesses: number): void {
  describe(`native Groth16 backend vs snarkjs (differential, ${target.circuit})`, () => {
    const snarkjs = createGroth16Prover({ engine: "snarkjs" });
    const native = createGroth16Prover({ engine: "native", nativeBinary: ensureNativeGroth16Binary() });
    let verifiers: DifferentialVerifier[];
    const outcomes: DifferentialOutcome[] = [];
    const first = () => outcomes[0]!.proofs;
    const signalCount = () => first()[0]!.proved.publicSignals.length;

    beforeAll(async () => {
      verifiers = await differentialVerifiers(target, { snarkjs, native });
      for (let seed = 0; seed < witnesses; seed++) outcomes.push(await differentialWitness(target, seed, { snarkjs, native }, verifiers));
    }, Math.max(300_000, witnesses * 300_000));
    afterAll(async () => {
      await Promise.all([snarkjs.close(), native.close()]);
    });

    it("uses the native engine when its binary exists", () => {
      expect(native.engine).toBe("native");
    });

    it("every proof by either engine verifies with snarkjs, native and on-chain; every tampering is refused by all of them", () => {
      expect(verifiers.map((v) => v.name).slice(0, 2)).toEqual(["snarkjs", "native"]);
      expect(verifiers.length).toBe(2 + target.onChain.length);
      expect(outcomes.flatMap((o) => o.disagreements)).toEqual([]);
      // 2 proofs × (1 valid + the tamperings) × the verifiers, per witness.
      const perWitness = 2 * (1 + signalCount() + proofTamperings) * verifiers.length;
      expect(outcomes.map((o) => o.checks)).toEqual(Array(witnesses).fill(perWitness));
    });

    it("proves with fresh randomness: the native proof is not snarkjs' proof replayed", () => {
      for (const { proofs } of outcomes) expect(proofs[1]!.proved.proof.pi_a).not.toEqual(proofs[0]!.proved.proof.pi_a);
    });

    it("refuses one witness's proof with another witness's public signals (no cross-binding)", async () => {
      // With one witness, the next seed's signals as its target computes them (the rollup's state machine roots).
      const other = outcomes[1]?.proofs[1]!.proved.publicSignals ?? target.witness(witnesses).publicSignals;
      expect(other, "a second witness, or a target that knows its public signals").toBeDefined();
      for (const verifier of verifiers) {
        expect(await verifier.verify({ proof: first()[1]!.proved.proof, publicSignals: [...other!] }), verifier.name).toBe(false);
      }
    });

    describe("the check catches a broken verifier", () => {
      const broken = (name: string, verify: (p: Proved) => Promise<boolean>): DifferentialVerifier[] => [{ name, verify }];

      it("one that ignores the public signals: every bumped signal is reported, nothing else", async () => {
        const bound = first()[0]!.proved.publicSignals;
        const unbound = broken("unbound", (p) => verifiers[0]!.verify({ proof: p.proof, publicSignals: bound }));
        const { disagreements } = await checkDifferentialProofs(0, first(), unbound);
        expect(disagreements).toHaveLength(2 * signalCount());
        for (const line of disagreements) expect(line).toMatch(/public signal \d+ \+ 1: unbound said true$/);
      });

      it("one that accepts anything: every tampering is reported", async () => {
        const { disagreements } = await checkDifferentialProofs(0, first(), broken("lenient", async () => true));
        expect(disagreements).toHaveLength(2 * (signalCount() + proofTamperings));
      });

      it("one that refuses everything: both valid proofs are reported", async () => {
        const { disagreements } = await checkDifferentialProofs(0, first(), broken("strict", async () => false));
        expect(disagreements).toEqual(["snarkjs", "native"].map((by) => `seed 0, proved by ${by}, valid: strict said false`));
      });
    });
  });
}
