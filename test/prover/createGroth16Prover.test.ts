import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isTeezkError } from "../../src/errors/index.js";
import {
  createGroth16Prover,
  poseidonHash,
  type Groth16Proof,
  type ProveProgress,
  type ProveReturnType,
} from "../../src/prover/index.js";
import { membershipFixture } from "./membershipFixture.js";

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

describe("createGroth16Prover (membership circuit, committed artifacts)", () => {
  const prover = createGroth16Prover();
  const fixture = membershipFixture();
  const progress: ProveProgress[] = [];
  let result: ProveReturnType<Groth16Proof>;

  beforeAll(async () => {
    result = await prover.prove({
      circuit: "membership",
      witnessInput: fixture.witnessInput,
      onProgress: (p) => progress.push(p),
    });
  });
  afterAll(() => prover.close());

  it("proves a membership statement whose public signals the TypeScript Poseidon predicts", () => {
    // The circuit computes root and nullifier hash with circomlib's Poseidon; the expectation comes from the
    // noble-based TypeScript tree: two implementations agreeing on a depth-20 root.
    expect(result.publicSignals).toEqual(fixture.expectedPublicSignals.map(String));
    expect(result.publicSignals[1]).toBe(
      String(poseidonHash([fixture.externalNullifier, fixture.member.identityNullifier])),
    );
    expect(result.proof.protocol).toBe("groth16");
  });

  it("reports stages in order, and time and memory per proof", () => {
    expect(progress.map((p) => p.stage)).toEqual(["witness", "prove", "done"]);
    expect(result.timings.ms).toBeGreaterThan(0);
    expect(result.timings.witnessMs! + result.timings.proveMs!).toBeLessThanOrEqual(result.timings.ms + 1);
    expect(result.peakRssMiB).toBeGreaterThan(10);
  });

  it("verifies the proof, and rejects a changed public signal or proof point", async () => {
    expect(await prover.verify({ circuit: "membership", proof: result.proof, publicSignals: result.publicSignals })).toBe(true);
    for (let i = 0; i < 4; i++) {
      const signals = [...result.publicSignals];
      signals[i] = String(BigInt(signals[i]!) + 1n);
      expect(await prover.verify({ circuit: "membership", proof: result.proof, publicSignals: signals })).toBe(false);
    }
    const otherA: Groth16Proof = structuredClone(result.proof);
    // Doubling-free tamper that stays on the curve: negate A (y → q − y).
    otherA.pi_a[1] = String(21888242871839275222246405745257275088696311157297823662689037894645226208583n - BigInt(otherA.pi_a[1]));
    expect(await prover.verify({ circuit: "membership", proof: otherA, publicSignals: result.publicSignals })).toBe(false);
  });

  it("gives a different nullifier hash for another scope and the same one for the same scope", async () => {
    const again = await prover.prove({ circuit: "membership", witnessInput: fixture.witnessInput });
    expect(again.publicSignals[1]).toBe(result.publicSignals[1]);
    // Groth16 proofs are randomized: same statement, different proof.
    expect(again.proof.pi_a).not.toEqual(result.proof.pi_a);
    const otherScope = { ...fixture.witnessInput, externalNullifier: fixture.externalNullifier + 1n };
    const other = await prover.prove({ circuit: "membership", witnessInput: otherScope });
    expect(other.publicSignals[0]).toBe(result.publicSignals[0]);
    expect(other.publicSignals[1]).not.toBe(result.publicSignals[1]);
  });

  it("fails with WITNESS_INVALID when the inputs violate a constraint", async () => {
    const indices = fixture.witnessInput["treePathIndices"] as bigint[];
    const badIndex = { ...fixture.witnessInput, treePathIndices: [2n, ...indices.slice(1)] };
    const error = await rejection(prover.prove({ circuit: "membership", witnessInput: badIndex }));
    expect(isTeezkError(error, "WITNESS_INVALID")).toBe(true);
    // The worker survives a failed witness.
    expect(await prover.verify({ circuit: "membership", proof: result.proof, publicSignals: result.publicSignals })).toBe(true);
  });

  it("refuses malformed witness input before proving", async () => {
    const cases: Record<string, unknown>[] = [
      { ...fixture.witnessInput, signalHash: -1n },
      { ...fixture.witnessInput, signalHash: 21888242871839275222246405745257275088548364400416034343698204186575808495617n },
      { ...fixture.witnessInput, signalHash: "12abc" },
      { ...fixture.witnessInput, signalHash: 1.5 },
      { ...fixture.witnessInput, "../x": 1n },
    ];
    for (const witnessInput of cases) {
      const error = await rejection(prover.prove({ circuit: "membership", witnessInput }));
      expect(isTeezkError(error, "WITNESS_INVALID")).toBe(true);
    }
  });

  it("rejects malformed proofs with PROOF_MALFORMED and unknown circuits with CIRCUIT_NOT_BUILT", async () => {
    const truncated = { ...result.proof, pi_c: result.proof.pi_c.slice(0, 2) } as unknown as Groth16Proof;
    const error = await rejection(prover.verify({ circuit: "membership", proof: truncated, publicSignals: result.publicSignals }));
    expect(isTeezkError(error, "PROOF_MALFORMED")).toBe(true);
    const badSignal = await rejection(
      prover.verify({ circuit: "membership", proof: result.proof, publicSignals: ["0x01", "2", "3", "4"] }),
    );
    expect(isTeezkError(badSignal, "PROOF_MALFORMED")).toBe(true);
    const missing = await rejection(prover.prove({ circuit: "no_such_circuit", witnessInput: {} }));
    expect(isTeezkError(missing, "CIRCUIT_NOT_BUILT")).toBe(true);
    const traversal = await rejection(prover.prove({ circuit: "../membership", witnessInput: {} }));
    expect(isTeezkError(traversal, "CONFIG_INVALID")).toBe(true);
  });
});
