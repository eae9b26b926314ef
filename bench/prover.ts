import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { encodeFunctionData, hexToBytes, type Hex } from "viem";
import { TeezkError, isTeezkError } from "../src/errors/index.js";
import {
  createGroth16Prover,
  createMembershipWitnessInput,
  formatGroth16Calldata,
  hashSignal,
  identityCommitment,
  resolveCircuitArtifacts,
  type Groth16Proof,
  type ProveReturnType,
} from "../src/prover/index.js";
import { scalingSizes } from "../scripts/circuits/circuitDefinitions.js";
import { compareGroth16Engines, skippedGroth16EngineRows } from "./groth16Engines.js";
import type { BenchRow, BenchSuite } from "./types.js";
import { verifyProofArguments } from "../test/circuits/verifyProofArguments.js";
import { sha256PreimageInput } from "../test/prover/sha256RandomMessage.js";

const runs = 5;
/** Warm proofs per engine in compareGroth16Engines (alternated), for membership and each built scaling member. */
const engineComparisonRuns = 7;

const loadAverage = () => loadavg()[0]!.toFixed(1);

function p50(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function membershipInput() {
  const identities = Array.from({ length: 8 }, (_, i) => ({
    identityNullifier: BigInt(i + 1) * 1_000_003n,
    identityTrapdoor: BigInt(i + 1) * 7_000_019n,
  }));
  return createMembershipWitnessInput({
    identity: identities[5]!,
    leaves: identities.map(identityCommitment),
    signalHash: hashSignal("bench signal"),
    externalNullifier: hashSignal("bench scope"),
  }).witnessInput;
}

function sha256Input(bytes: number) {
  const message = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) message[i] = (i * 31 + 7) & 0xff;
  return sha256PreimageInput(message);
}

const verifierFiles = ["contracts/zk/MembershipGroth16Verifier.sol", "contracts/zk/MembershipGroth16VerifierLean.sol"];

/** Gas of the transaction's calldata before EIP-7623's floor: 4 per zero byte, 16 per other byte. */
function calldataGas(data: Hex): number {
  return hexToBytes(data).reduce((sum, b) => sum + (b === 0 ? 4 : 16), 0);
}

type VerifierGas = { total: number; execution: number; calldata: number };

/**
 * Gas of a real verifyProof transaction on the in-process chain (EDR, osaka), whole and execution only
 * (gasUsed − 21,000 intrinsic − calldata). EIP-7623's calldata floor (10 per token) would only apply to a
 * transaction whose execution is tiny; it is checked not to, so the subtraction is exact.
 */
async function verifierGas(contractName: string, proof: Groth16Proof, publicSignals: string[]): Promise<VerifierGas> {
  const hre = await import("hardhat");
  await hre.tasks.getTask("build").run({ files: verifierFiles, quiet: true, noTests: true });
  const { viem } = await hre.network.create();
  const verifier = await viem.deployContract(contractName as "MembershipGroth16Verifier");
  const c = formatGroth16Calldata(proof, publicSignals);
  const args = verifyProofArguments(c);
  // The artifact's ABI type is only known once Hardhat has generated types for contracts/zk.
  if (!(await verifier.read.verifyProof!(args))) {
    throw new TeezkError("INTERNAL", `bench: ${contractName} rejected a valid membership proof`);
  }
  const [wallet] = await viem.getWalletClients();
  const publicClient = await viem.getPublicClient();
  const data = encodeFunctionData({ abi: verifier.abi, functionName: "verifyProof", args });
  const hash = await wallet!.sendTransaction({ to: verifier.address, data });
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  const total = Number(receipt.gasUsed);
  const calldata = calldataGas(data);
  const bytes = hexToBytes(data);
  const tokens = bytes.reduce((sum, b) => sum + (b === 0 ? 1 : 4), 0);
  if (total <= 21_000 + 10 * tokens) {
    throw new TeezkError("INTERNAL", "bench: the EIP-7623 calldata floor applies; execution gas cannot be derived");
  }
  return { total, execution: total - 21_000 - calldata, calldata };
}

/**
 * What no BN254 Groth16 verifier of 4 public signals can go below on L1 (EIP-1108 prices): the intrinsic
 * 21,000, the calldata, one ecMul (6,000) and one ecAdd (150) per public signal, a 4-pair pairing
 * (45,000 + 4 × 34,000), and 100 per call to a (warm) precompile.
 */
function verifierFloor(publicSignals: number, calldata: number) {
  const precompiles = publicSignals * (6_000 + 150) + 45_000 + 4 * 34_000;
  const calls = (2 * publicSignals + 1) * 100;
  return { total: 21_000 + calldata + precompiles + calls, execution: precompiles + calls, precompiles, calls };
}

/**
 * One scaling member's rows: snarkjs' warm p50 and peak RSS from a prover process of its own, so the high-water
 * mark is this circuit's alone, then the native engine against snarkjs on the same message (issue 18); skipped
 * rows saying why when its artifacts are not built.
 */
async function scalingRows(bytes: number): Promise<BenchRow[]> {
  const circuit = `sha256_${bytes}`;
  const build = `npm run circuits:build -- --scaling=${bytes}`;
  try {
    resolveCircuitArtifacts({ circuit });
  } catch (error) {
    if (!isTeezkError(error, "CIRCUIT_NOT_BUILT")) throw error;
    const reason =
      bytes >= 1024
        ? `not built: needs a 2^20 powers of tau, hours on this 2-core machine (${build} on a bigger one)`
        : `not built (${build}; circuits/README.md gives the time it takes)`;
    process.stderr.write(`bench: prove.${circuit} skipped: ${reason}\n`);
    return [
      { name: `prove.${circuit}.p50`, value: Number.NaN, unit: "ms", skipped: reason },
      { name: `prove.${circuit}.peak_rss`, value: Number.NaN, unit: "MiB", skipped: reason },
      ...skippedGroth16EngineRows(circuit, reason),
    ];
  }
  const input = sha256Input(bytes);
  return [...(await scalingSnarkjsRows(circuit, bytes, input)), ...(await compareGroth16Engines(circuit, input, engineComparisonRuns))];
}

async function scalingSnarkjsRows(circuit: string, bytes: number, input: ReturnType<typeof sha256Input>): Promise<BenchRow[]> {
  const prover = createGroth16Prover({ engine: "snarkjs" });
  try {
    const loadBefore = loadAverage();
    const results = await proveRuns(prover, circuit, input);
    const load = `1-min load average ${loadBefore} before, ${loadAverage()} after, on ${cpus().length} cores`;
    const last = results[results.length - 1]!;
    if (!(await prover.verify({ circuit, proof: last.proof, publicSignals: last.publicSignals }))) {
      throw new TeezkError("INTERNAL", `bench: snarkjs rejected a valid ${circuit} proof`);
    }
    const info = JSON.parse(
      readFileSync(path.join(path.dirname(resolveCircuitArtifacts({ circuit }).zkeyPath), "build-info.json"), "utf8"),
    ) as { constraints?: number; ptauPower?: number };
    const size = `SHA-256 of ${bytes} private bytes, ${info.constraints?.toLocaleString("en-US") ?? "?"} constraints, 2^${info.ptauPower ?? "?"}; ${load}`;
    return [
      {
        name: `prove.${circuit}.p50`,
        value: p50(results.map((r) => r.timings.ms)),
        unit: "ms",
        anchor: size,
        target: `warm, p50 of ${runs} (witness + prove)`,
      },
      {
        name: `prove.${circuit}.peak_rss`,
        value: Math.max(...results.map((r) => r.peakRssMiB ?? 0)),
        unit: "MiB",
        anchor: size,
        target: "high-water mark of a prover process proving only this circuit",
      },
    ];
  } finally {
    await prover.close();
  }
}

/** Warm p50 over `runs` proofs after one untimed warm-up proof. */
async function proveRuns(prover: ReturnType<typeof createGroth16Prover>, circuit: string, witnessInput: Record<string, unknown>) {
  await prover.prove({ circuit, witnessInput });
  const results: ProveReturnType<Groth16Proof>[] = [];
  for (let i = 0; i < runs; i++) results.push(await prover.prove({ circuit, witnessInput }));
  return results;
}

export const proverBench: BenchSuite = {
  name: "prover",
  run: async () => {
    const rows: BenchRow[] = [];
    const prover = createGroth16Prover({ engine: "snarkjs" });
    try {
      const loadBefore = loadAverage();
      const membership = await proveRuns(prover, "membership", membershipInput());
      // Proving time on a shared 2-core machine depends on what else runs: say how busy it was.
      const load = `1-min load average ${loadBefore} before, ${loadAverage()} after, on ${cpus().length} cores`;
      rows.push({
        name: "prove.membership.p50",
        value: p50(membership.map((r) => r.timings.ms)),
        unit: "ms",
        anchor: `Semaphore depth 20 ~1.1 s in a 16-vCPU TDX VM (published); ${load}`,
        target: "warm, p50 of 5 (snarkjs, witness + prove)",
      });
      rows.push({
        name: "prove.membership.peak_rss",
        value: Math.max(...membership.map((r) => r.peakRssMiB ?? 0)),
        unit: "MiB",
        target: "prover process high-water mark",
      });
      const last = membership[membership.length - 1]!;
      const verifyMs: number[] = [];
      for (let i = 0; i < 1 + runs; i++) {
        const start = performance.now();
        const ok = await prover.verify({ circuit: "membership", proof: last.proof, publicSignals: last.publicSignals });
        if (!ok) throw new TeezkError("INTERNAL", "bench: snarkjs rejected a valid membership proof");
        if (i > 0) verifyMs.push(performance.now() - start);
      }
      rows.push({ name: "verify.groth16.membership.p50", value: p50(verifyMs), unit: "ms", target: "snarkjs, warm, p50 of 5" });

      rows.push(...(await compareGroth16Engines("membership", membershipInput(), engineComparisonRuns)));

      for (const bytes of scalingSizes) {
        rows.push(...(await scalingRows(bytes)));
      }

      const generated = await verifierGas("MembershipGroth16Verifier", last.proof, last.publicSignals);
      const lean = await verifierGas("MembershipGroth16VerifierLean", last.proof, last.publicSignals);
      const floor = verifierFloor(4, generated.calldata);
      const floorNote =
        `floor for 4 public signals: 21,000 intrinsic + ${generated.calldata.toLocaleString("en-US")} calldata + ` +
        `4 × (6,000 ecMul + 150 ecAdd) + 45,000 + 4 × 34,000 pairing + 9 × 100 precompile calls = ` +
        `${floor.total.toLocaleString("en-US")}, above 230k: the total target cannot be met with 4 public signals`;
      rows.push({
        name: "gas.groth16.membership_verify",
        value: generated.total,
        unit: "gas",
        anchor: `whole tx, snarkjs-generated MembershipGroth16Verifier; ${floorNote}`,
        target: "≤ 230k",
      });
      rows.push({
        name: "gas.groth16.membership_verify.execution",
        value: generated.execution,
        unit: "gas",
        anchor: `execution only (tx − 21,000 − ${generated.calldata.toLocaleString("en-US")} calldata), snarkjs-generated; floor ${floor.execution.toLocaleString("en-US")} (precompiles and their calls)`,
        target: "≤ 230k",
      });
      rows.push({
        name: "gas.groth16.membership_verify_lean",
        value: lean.total,
        unit: "gas",
        anchor: `whole tx, MembershipGroth16VerifierLean (same key, ABI and equation; −β/−γ/−δ precomputed, in-place pairing input); floor ${floor.total.toLocaleString("en-US")}`,
        target: "≤ 230k (below the floor)",
      });
      rows.push({
        name: "gas.groth16.membership_verify_lean.execution",
        value: lean.execution,
        unit: "gas",
        anchor: `execution only, lean verifier; floor ${floor.execution.toLocaleString("en-US")}: ${(lean.execution - floor.execution).toLocaleString("en-US")} above it`,
        target: "≤ 230k",
      });
      rows.push({
        name: "gas.groth16.verify_floor_4_signals",
        value: floor.total,
        unit: "gas",
        anchor: `arithmetic, not measured: 21,000 + ${generated.calldata.toLocaleString("en-US")} calldata + ${floor.precompiles.toLocaleString("en-US")} precompiles + ${floor.calls} call overhead (execution floor ${floor.execution.toLocaleString("en-US")})`,
      });
    } finally {
      await prover.close();
    }
    return rows;
  },
};
