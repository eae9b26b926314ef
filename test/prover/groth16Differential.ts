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

type Connection = Awaited<ReturnType<typeof connectWithVerifier>>;
export type Proved = { proof: Groth16Proof; publicSignals: string[] };
type Groth16Prover = ReturnType<typeof createGroth16Prover>;
export type DifferentialVerifier = { name: string; verify: (proved: Proved) => Promise<boolean> };

/** Ways an attacker bends a valid proof: each must be refused by every verifier. */
export function tamperings({ proof, publicSignals }: Proved): [string, Proved][] {
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

/** snarkjs, the native verifier and the generated on-chain verifier (deployed on the in-process chain). */
export async function differentialVerifiers(snarkjs: Groth16Prover, native: Groth16Prover): Promise<DifferentialVerifier[]> {
  const connection = await connectWithVerifier();
  const contract: Awaited<ReturnType<Connection["viem"]["deployContract"]>> = await connection.viem.deployContract("MembershipGroth16Verifier");
  return [
    { name: "snarkjs", verify: (p) => snarkjs.verify({ circuit: "membership", ...p }) },
    { name: "native", verify: (p) => native.verify({ circuit: "membership", ...p }) },
    {
      name: "on-chain",
      verify: async (p) => (await contract.read.verifyProof(verifyProofArguments(formatGroth16Calldata(p.proof, p.publicSignals)))) as boolean,
    },
  ];
}

export type DifferentialOutcome = {
  proofs: { by: "snarkjs" | "native"; proved: Proved }[];
  /** Every disagreement, described; empty when both engines' proofs verify everywhere and every tampering fails. */
  disagreements: string[];
  checks: number;
};

/**
 * One seed's witness proved by both engines; each proof checked by every verifier, and each of its tamperings
 * refused by every verifier. Public signals must match between engines.
 */
export async function differentialWitness(
  seed: number,
  engines: { snarkjs: Groth16Prover; native: Groth16Prover },
  verifiers: readonly DifferentialVerifier[],
): Promise<DifferentialOutcome> {
  const witnessInput = membershipRandomWitness(seed);
  const disagreements: string[] = [];
  const proofs: DifferentialOutcome["proofs"] = [];
  let checks = 0;
  for (const by of ["snarkjs", "native"] as const) {
    const { proof, publicSignals } = await engines[by].prove({ circuit: "membership", witnessInput });
    proofs.push({ by, proved: { proof, publicSignals } });
  }
  if (JSON.stringify(proofs[0]!.proved.publicSignals) !== JSON.stringify(proofs[1]!.proved.publicSignals)) {
    disagreements.push(`seed ${seed}: public signals differ between engines`);
  }
  for (const { by, proved } of proofs) {
    const cases: [string, Proved, boolean][] = [["valid", proved, true], ...tamperings(proved).map(([how, p]): [string, Proved, boolean] => [how, p, false])];
    for (const [how, candidate, expected] of cases) {
      for (const verifier of verifiers) {
        checks++;
        const got = await verifier.verify(candidate);
        if (got !== expected) disagreements.push(`seed ${seed}, proved by ${by}, ${how}: ${verifier.name} said ${got}`);
      }
    }
  }
  return { proofs, disagreements, checks };
}
