import {
  bn254BaseField,
  bn254ScalarField,
  createGroth16Prover,
  formatGroth16Calldata,
  type Groth16Proof,
} from "../../src/prover/index.js";
import path from "node:path";
import { circuitDefinitions, repoRoot } from "../../scripts/circuits/circuitDefinitions.js";
import { connectWithVerifier } from "../circuits/buildVerifierArtifact.js";
import { deployStandaloneVerifier } from "../circuits/standaloneVerifier.js";
import { groth16ProofArguments } from "../circuits/verifyProofArguments.js";
import { membershipRandomWitness } from "./membershipRandomWitness.js";
import { rollupRandomBatch } from "./rollupRandomBatch.js";
import { sha256RandomMessage } from "./sha256RandomMessage.js";

export type Proved = { proof: Groth16Proof; publicSignals: string[] };
type Groth16Prover = ReturnType<typeof createGroth16Prover>;
export type DifferentialEngines = { snarkjs: Groth16Prover; native: Groth16Prover };
export type DifferentialVerifier = { name: string; verify: (proved: Proved) => Promise<boolean> };

/** A committed circuit under differential test: how to draw its seeded witnesses and which verifiers it has. */
export type DifferentialCircuit = {
  circuit: string;
  /** What one seed is, for bench anchors ("seeded random membership witnesses"). */
  witnesses: string;
  /**
   * The generated on-chain verifiers, each deployed on the in-process chain: those in contracts/zk built by
   * Hardhat; a scaling member's (`standalone`, in its gitignored build folder) compiled in memory by solc, so
   * Hardhat never compiles a verifier whose keys are not in git.
   */
  onChain: readonly { file: string; contract: string; standalone?: true }[];
  /** The witness input for a seed, and when known without the circuit, the public signals it must give. */
  witness: (seed: number) => { witnessInput: Record<string, unknown>; publicSignals?: readonly string[] };
};

/** Verifiers committed in contracts/zk, each in a file named after its contract (built by Hardhat). */
const inContractsZk = (...contracts: string[]) => contracts.map((contract) => ({ file: `contracts/zk/${contract}.sol`, contract }));

export const membershipDifferential: DifferentialCircuit = {
  circuit: "membership",
  witnesses: "seeded random membership witnesses",
  // The lean verifier too: its template is teezk's (scripts/circuits/leanVerifier.ts), not snarkjs'.
  onChain: inContractsZk("MembershipGroth16Verifier", "MembershipGroth16VerifierLean"),
  witness: (seed) => ({ witnessInput: membershipRandomWitness(seed) }),
};

/** Both generated rollup verifiers: RollupRootProofVerifier is deployed over the lean one (src/devnet, Ignition). */
export const rollupDifferential: DifferentialCircuit = {
  circuit: "rollup",
  witnesses: "seeded random rollup batches (2–8 accounts in random slots of the depth-16 tree, 4 valid transfers from the state machine)",
  onChain: inContractsZk("RollupGroth16Verifier", "RollupGroth16VerifierLean"),
  witness: rollupRandomBatch,
};

const sha256x64 = circuitDefinitions.find((definition) => definition.name === "sha256_64")!;

/**
 * The 64-byte SHA-256 preimage scaling member (built on demand, never committed): its snarkjs-generated and lean
 * verifiers from its build folder.
 */
export const sha256x64Differential: DifferentialCircuit = {
  circuit: sha256x64.name,
  witnesses: "seeded random 64-byte messages (public signals: their SHA-256 from node:crypto)",
  onChain: [
    { file: path.join(repoRoot, sha256x64.verifierPath), contract: sha256x64.contractName, standalone: true },
    { file: path.join(repoRoot, sha256x64.leanVerifierPath), contract: sha256x64.leanContractName, standalone: true },
  ],
  witness: (seed) => sha256RandomMessage(seed, 64),
};

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

/** snarkjs, the native verifier and each of the circuit's generated on-chain verifiers. */
export async function differentialVerifiers(target: DifferentialCircuit, engines: DifferentialEngines): Promise<DifferentialVerifier[]> {
  const connection = await connectWithVerifier(target.onChain.filter((v) => !v.standalone).map(({ file }) => file));
  const onChain: DifferentialVerifier[] = [];
  for (const { file, contract: name, standalone } of target.onChain) {
    const contract = standalone ? await deployStandaloneVerifier(connection, file, name) : await connection.viem.deployContract(name);
    onChain.push({
      name: target.onChain.length === 1 ? "on-chain" : `on-chain ${name}`,
      verify: async (p) => {
        const calldata = formatGroth16Calldata(p.proof, p.publicSignals);
        return (await contract.read.verifyProof!([...groth16ProofArguments(calldata), calldata.pubSignals])) as boolean;
      },
    });
  }
  const { circuit } = target;
  return [
    { name: "snarkjs", verify: (p) => engines.snarkjs.verify({ circuit, ...p }) },
    { name: "native", verify: (p) => engines.native.verify({ circuit, ...p }) },
    ...onChain,
  ];
}

export type DifferentialProofs = { by: "snarkjs" | "native"; proved: Proved }[];
export type DifferentialOutcome = {
  proofs: DifferentialProofs;
  /** Every disagreement, described; empty when both engines' proofs verify everywhere and every tampering fails. */
  disagreements: string[];
  checks: number;
};

/**
 * Each proof checked by every verifier, and each of its tamperings refused by every verifier: the disagreements
 * (a valid proof refused, a tampered one accepted) and how many verifier calls that took.
 */
export async function checkDifferentialProofs(
  seed: number,
  proofs: DifferentialProofs,
  verifiers: readonly DifferentialVerifier[],
): Promise<Omit<DifferentialOutcome, "proofs">> {
  const disagreements: string[] = [];
  let checks = 0;
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
  return { disagreements, checks };
}

/**
 * One seed's witness proved by both engines, then checkDifferentialProofs. The engines' public signals must match
 * each other and, where the circuit's target knows them (the rollup's roots from the state machine), that too.
 */
export async function differentialWitness(
  target: DifferentialCircuit,
  seed: number,
  engines: DifferentialEngines,
  verifiers: readonly DifferentialVerifier[],
): Promise<DifferentialOutcome> {
  const { witnessInput, publicSignals: expected } = target.witness(seed);
  const proofs: DifferentialProofs = [];
  for (const by of ["snarkjs", "native"] as const) {
    const { proof, publicSignals } = await engines[by].prove({ circuit: target.circuit, witnessInput });
    proofs.push({ by, proved: { proof, publicSignals } });
  }
  const signals = proofs.map(({ proved }) => JSON.stringify(proved.publicSignals));
  const mismatches: string[] = [];
  if (signals[0] !== signals[1]) mismatches.push(`seed ${seed}: public signals differ between engines`);
  if (expected !== undefined) {
    for (const [i, { by }] of proofs.entries()) {
      if (signals[i] !== JSON.stringify(expected)) mismatches.push(`seed ${seed}: ${by}'s public signals are not the expected ${JSON.stringify(expected)}`);
    }
  }
  const checked = await checkDifferentialProofs(seed, proofs, verifiers);
  return { proofs, disagreements: [...mismatches, ...checked.disagreements], checks: checked.checks };
}
