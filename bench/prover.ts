import { createHash } from "node:crypto";
import { encodeFunctionData } from "viem";
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
import type { BenchRow, BenchSuite } from "./types.js";

const runs = 5;

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
  const digest = createHash("sha256").update(message).digest();
  return {
    message: [...message].map(BigInt),
    digestHi: BigInt(`0x${digest.subarray(0, 16).toString("hex")}`),
    digestLo: BigInt(`0x${digest.subarray(16).toString("hex")}`),
  };
}

/** Gas of a real verifyProof transaction on the in-process chain (EDR, osaka). */
async function verifierGas(proof: Groth16Proof, publicSignals: string[]): Promise<number> {
  const hre = await import("hardhat");
  await hre.tasks.getTask("build").run({ files: ["contracts/zk/MembershipGroth16Verifier.sol"], quiet: true, noTests: true });
  const { viem } = await hre.network.connect();
  const verifier = await viem.deployContract("MembershipGroth16Verifier");
  const c = formatGroth16Calldata(proof, publicSignals);
  const args = [
    [c.a[0], c.a[1]],
    [
      [c.b[0][0], c.b[0][1]],
      [c.b[1][0], c.b[1][1]],
    ],
    [c.c[0], c.c[1]],
    [c.pubSignals[0]!, c.pubSignals[1]!, c.pubSignals[2]!, c.pubSignals[3]!],
  ] as const;
  // The artifact's ABI type is only known once Hardhat has generated types for contracts/zk.
  if (!(await verifier.read.verifyProof!(args))) {
    throw new TeezkError("INTERNAL", "bench: the on-chain verifier rejected a valid membership proof");
  }
  const [wallet] = await viem.getWalletClients();
  const publicClient = await viem.getPublicClient();
  const hash = await wallet!.sendTransaction({
    to: verifier.address,
    data: encodeFunctionData({ abi: verifier.abi, functionName: "verifyProof", args }),
  });
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  return Number(receipt.gasUsed);
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
    const prover = createGroth16Prover();
    try {
      const membership = await proveRuns(prover, "membership", membershipInput());
      rows.push({
        name: "prove.membership.p50",
        value: p50(membership.map((r) => r.timings.ms)),
        unit: "ms",
        anchor: "Semaphore depth 20 ~1.1 s in a 16-vCPU TDX VM (published)",
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

      for (const bytes of [64, 256, 1024]) {
        const circuit = `sha256_${bytes}`;
        try {
          resolveCircuitArtifacts({ circuit });
        } catch (error) {
          if (!isTeezkError(error, "CIRCUIT_NOT_BUILT")) throw error;
          process.stderr.write(
            `bench: prove.${circuit}.p50 skipped: not built (npx tsx scripts/circuits/build.ts --scaling=${bytes})\n`,
          );
          continue;
        }
        const results = await proveRuns(prover, circuit, sha256Input(bytes));
        rows.push({
          name: `prove.${circuit}.p50`,
          value: p50(results.map((r) => r.timings.ms)),
          unit: "ms",
          target: `SHA-256 of ${bytes} private bytes, warm p50 of ${runs}`,
        });
      }

      rows.push({
        name: "gas.groth16.membership_verify",
        value: await verifierGas(last.proof, last.publicSignals),
        unit: "gas",
        anchor: "whole tx: 21,000 intrinsic + calldata + verifier (4 public signals)",
        target: "≤ 230k",
      });
    } finally {
      await prover.close();
    }
    return rows;
  },
};
