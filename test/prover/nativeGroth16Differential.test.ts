import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bn254BaseField,
  bn254ScalarField,
  createGroth16Prover,
  formatGroth16Calldata,
  type Groth16Proof,
} from "../../src/prover/index.js";
import { connectWithVerifier } from "../circuits/buildVerifierArtifact.js";
import { verifyProofArguments } from "../circuits/verifyProofArguments.js";
import { membershipRandomWitness } from "./membershipRandomWitness.js";
import { ensureNativeGroth16Binary } from "./nativeGroth16Binary.js";

/** Witnesses per run; bench/differential.ts runs the 1,000 (seeds from 1,000 on, so they differ). */
const WITNESSES = Number(process.env.TEEZK_DIFFERENTIAL_WITNESSES ?? "6");

type Connection = Awaited<ReturnType<typeof connectWithVerifier>>;
type Proved = { proof: Groth16Proof; publicSignals: string[] };
type Verifier = { name: string; verify: (proved: Proved) => Promise<boolean> };

/** Ways an attacker bends a valid proof: each must be refused by every verifier. */
function tamperings({ proof, publicSignals }: Proved): [string, Proved][] {
  const negate = (y: string) => ((bn254BaseField - BigInt(y)) % bn254BaseField).toString();
  const bump = (i: number) => publicSignals.map((s, j) => (j === i ? ((BigInt(s) + 1n) % bn254ScalarField).toString() : s));
  const [x, y] = proof.pi_b;
  return [
    ...publicSignals.map((_, i): [string, Proved] => [`public signal ${i} + 1`, { proof, publicSignals: bump(i) }]),
    ["A negated", { proof: { ...proof, pi_a: [proof.pi_a[0], negate(proof.pi_a[1]), "1"] }, publicSignals }],
    ["C negated", { proof: { ...proof, pi_c: [proof.pi_c[0], negate(proof.pi_c[1]), "1"] }, publicSignals }],
    ["A and C swapped", { proof: { ...proof, pi_a: proof.pi_c, pi_c: proof.pi_a }, publicSignals }],
    ["B's Fp2 halves swapped", { proof: { ...proof, pi_b: [[x[1], x[0]], [y[1], y[0]], proof.pi_b[2]] }, publicSignals }],
  ];
}

describe("native Groth16 backend vs snarkjs (differential, membership)", () => {
  const binary = ensureNativeGroth16Binary();
  const snarkjs = createGroth16Prover();
  const native = createGroth16Prover({ engine: "native", nativeBinary: binary });
  let verifiers: Verifier[];
  const proofs: { seed: number; by: string; proved: Proved }[] = [];

  beforeAll(async () => {
    const connection = await connectWithVerifier();
    const contract: Awaited<ReturnType<Connection["viem"]["deployContract"]>> = await connection.viem.deployContract("MembershipGroth16Verifier");
    verifiers = [
      { name: "snarkjs", verify: (p) => snarkjs.verify({ circuit: "membership", ...p }) },
      { name: "native", verify: (p) => native.verify({ circuit: "membership", ...p }) },
      {
        name: "on-chain",
        verify: async (p) => (await contract.read.verifyProof(verifyProofArguments(formatGroth16Calldata(p.proof, p.publicSignals)))) as boolean,
      },
    ];
    for (let seed = 0; seed < WITNESSES; seed++) {
      const witnessInput = membershipRandomWitness(seed);
      for (const [by, prover] of [["snarkjs", snarkjs], ["native", native]] as const) {
        const { proof, publicSignals } = await prover.prove({ circuit: "membership", witnessInput });
        proofs.push({ seed, by, proved: { proof, publicSignals } });
      }
    }
  });
  afterAll(async () => {
    await Promise.all([snarkjs.close(), native.close()]);
  });

  it("uses the native engine when its binary exists", () => {
    expect(native.engine).toBe("native");
  });

  it("proves the same public signals as snarkjs for every witness", () => {
    for (let seed = 0; seed < WITNESSES; seed++) {
      const [bySnarkjs, byNative] = proofs.filter((p) => p.seed === seed);
      expect(byNative!.proved.publicSignals).toEqual(bySnarkjs!.proved.publicSignals);
      // Fresh randomness per proof: the native prover does not replay snarkjs' proof.
      expect(byNative!.proved.proof.pi_a).not.toEqual(bySnarkjs!.proved.proof.pi_a);
    }
  });

  it("every proof, by either backend, verifies with snarkjs, the native verifier and the on-chain verifier", async () => {
    for (const { seed, by, proved } of proofs) {
      for (const verifier of verifiers) {
        expect(await verifier.verify(proved), `seed ${seed}, proved by ${by}, verified by ${verifier.name}`).toBe(true);
      }
    }
  });

  it("every tampered proof, by either backend, is refused by all three verifiers", async () => {
    for (const { seed, by, proved } of proofs) {
      for (const [how, tampered] of tamperings(proved)) {
        for (const verifier of verifiers) {
          expect(await verifier.verify(tampered), `seed ${seed}, proved by ${by}, ${how}, verified by ${verifier.name}`).toBe(false);
        }
      }
    }
  });

  it("refuses another witness's public signals with this witness's proof (no cross-binding)", async () => {
    const first = proofs.find((p) => p.by === "native" && p.seed === 0)!.proved;
    const second = proofs.find((p) => p.by === "native" && p.seed === 1)!.proved;
    for (const verifier of verifiers) {
      expect(await verifier.verify({ proof: first.proof, publicSignals: second.publicSignals }), verifier.name).toBe(false);
    }
  });
});
