import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGroth16Prover } from "../../src/prover/index.js";
import { differentialVerifiers, differentialWitness, type DifferentialOutcome, type DifferentialVerifier } from "./groth16Differential.js";
import { ensureNativeGroth16Binary } from "./nativeGroth16Binary.js";

/** Witnesses per run; bench/differential.ts runs the 1,000 (seeds from 1,000 on, so they differ). */
const WITNESSES = Number(process.env.TEEZK_DIFFERENTIAL_WITNESSES ?? "6");

describe("native Groth16 backend vs snarkjs (differential, membership)", () => {
  const binary = ensureNativeGroth16Binary();
  const snarkjs = createGroth16Prover({ engine: "snarkjs" });
  const native = createGroth16Prover({ engine: "native", nativeBinary: binary });
  let verifiers: DifferentialVerifier[];
  const outcomes: DifferentialOutcome[] = [];

  beforeAll(async () => {
    verifiers = await differentialVerifiers(snarkjs, native);
    for (let seed = 0; seed < WITNESSES; seed++) outcomes.push(await differentialWitness(seed, { snarkjs, native }, verifiers));
  });
  afterAll(async () => {
    await Promise.all([snarkjs.close(), native.close()]);
  });

  it("uses the native engine when its binary exists", () => {
    expect(native.engine).toBe("native");
  });

  it("every proof by either engine verifies with snarkjs, native and on-chain; every tampering is refused by all three", () => {
    // 2 proofs × (1 valid + 8 tamperings) × 3 verifiers per witness.
    expect(outcomes.map((o) => o.checks)).toEqual(Array(WITNESSES).fill(54));
    expect(outcomes.flatMap((o) => o.disagreements)).toEqual([]);
  });

  it("proves with fresh randomness: the native proof is not snarkjs' proof replayed", () => {
    for (const { proofs } of outcomes) expect(proofs[1]!.proved.proof.pi_a).not.toEqual(proofs[0]!.proved.proof.pi_a);
  });

  it("refuses one witness's proof with another witness's public signals (no cross-binding)", async () => {
    const first = outcomes[0]!.proofs[1]!.proved;
    const second = outcomes[1]!.proofs[1]!.proved;
    for (const verifier of verifiers) {
      expect(await verifier.verify({ proof: first.proof, publicSignals: second.publicSignals }), verifier.name).toBe(false);
    }
  });
});
