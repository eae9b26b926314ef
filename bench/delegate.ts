import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import type { Hex } from "viem";
import { delegateProof, type DelegateProofReturnType } from "../src/client/index.js";
import { buildDevReferenceValues, probeSimulatedClaims } from "../src/devnet/index.js";
import { TeezkError } from "../src/errors/index.js";
import { createGroth16Prover, createMembershipWitnessInput, hashSignal, identityCommitment } from "../src/prover/index.js";
import { serveApp } from "../src/services/http/index.js";
import { devRootPin, getDevRoots } from "../src/tee/simulated/index.js";
import { createProverNode, createSimulatedEvidenceSource } from "../src/services/prover/index.js";
import { openArchive } from "../src/store/index.js";
import type { BenchRow, BenchSuite } from "./types.js";

/** Timed rounds after one untimed warm-up round; each round is one raw proof and one delegation. */
const ROUNDS = Number(process.env.TEEZK_BENCH_DELEGATE_ROUNDS ?? "41");
const receiptDomain = { chainId: 31337, verifyingContract: "0x00000000000000000000000000000000000f00d1" as Hex };

/** Quantile by linear interpolation between the nearest ranks. */
function quantile(samples: readonly number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low]! + (sorted[Math.min(low + 1, sorted.length - 1)]! - sorted[low]!) * (at - low);
}
const p50 = (samples: readonly number[]) => quantile(samples, 0.5);

const round = (ms: number) => Math.round(ms * 10) / 10;

function membership() {
  const identities = Array.from({ length: 8 }, (_, i) => ({ identityNullifier: BigInt(i + 1) * 1_000_003n, identityTrapdoor: BigInt(i + 1) * 7_000_019n }));
  return createMembershipWitnessInput({
    identity: identities[5]!,
    leaves: identities.map(identityCommitment),
    signalHash: hashSignal("bench delegate signal"),
    externalNullifier: hashSignal("bench delegate scope"),
  });
}

/**
 * End-to-end delegation vs raw proving of the same witness, in one process and one run (issue 6): a prover node
 * on loopback (createProverNode + serveApp, simulated TDX, an archive on disk as in the demo) and delegateProof
 * from this process, against `prover.prove` of the same witness on the same warm prover process. The client
 * verifies the returned proof with its own warm verifier process, as a client on another machine would. Raw and
 * delegated runs alternate (and swap order every round), so background load hits both alike; the first of each
 * is discarded. Rows: the p50 difference (the definition), the ratio, and the overhead measured inside
 * each delegation (its wall time minus the node's own proving time of that same request), which background load
 * on proving does not blur; the p50 of each round's pair difference (raw and delegated run back to back); then
 * each step's p50, and the client's Groth16 check on the same proofs by its native verifier and by snarkjs.
 */
export const delegateBench: BenchSuite = {
  name: "delegate",
  run: async () => {
    if (!Number.isInteger(ROUNDS) || ROUNDS < 5) throw new TeezkError("CONFIG_INVALID", "TEEZK_BENCH_DELEGATE_ROUNDS must be a whole number ≥ 5");
    const loadBefore = loadavg()[0]!;
    const dir = mkdtempSync(join(tmpdir(), "teezk-bench-delegate-"));
    // Native proving and checking (issue 18); snarkjs, announced, when teezk-groth16 is not built.
    const prover = createGroth16Prover({ engine: "native" });
    const verifier = createGroth16Prover({ engine: "native" });
    // The check the native verifier replaces, timed on the same proofs.
    const snarkjsVerifier = createGroth16Prover({ engine: "snarkjs" });
    const archive = openArchive(join(dir, "archive.sqlite"));
    const devRoots = getDevRoots();
    const node = await createProverNode({ evidenceSource: createSimulatedEvidenceSource({ vendor: "tdx", devRoots }), receiptDomain, prover, archive });
    const served = await serveApp(node.app);
    try {
      const { witnessInput, expectedPublicSignals } = membership();
      const referenceValues = buildDevReferenceValues({ allowed: [probeSimulatedClaims({ vendor: "tdx", now: new Date(), devRoots }).claims] });
      // The client pins the simulated TDX root, as a client of a dev TEE is configured (allowDevRoots would
      // re-read the whole dev PKI from disk on every call: a development convenience, not delegation).
      const trustedRoots = [devRootPin(devRoots, "tdx")];
      const raw = async () => {
        const started = performance.now();
        await prover.prove({ circuit: "membership", witnessInput });
        return performance.now() - started;
      };
      const delegate = async (): Promise<DelegateProofReturnType> =>
        await delegateProof({
          proverUrl: served.url,
          circuit: "membership",
          witnessInput,
          referenceValues,
          trustedRoots,
          receiptDomain,
          expectedPublicSignals,
          verifier,
        });
      // Warm-up: the prover's circuit load, the verifier's verification key, the node's and client's caches.
      await raw();
      await delegate();
      const warmProof = await prover.prove({ circuit: "membership", witnessInput });
      await verifier.verify({ circuit: "membership", ...warmProof });
      await snarkjsVerifier.verify({ circuit: "membership", ...warmProof });

      const rawMs: number[] = [];
      const runs: DelegateProofReturnType[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        if (i % 2 === 0) {
          rawMs.push(await raw());
          runs.push(await delegate());
        } else {
          runs.push(await delegate());
          rawMs.push(await raw());
        }
      }
      const loadAfter = loadavg()[0]!;
      if (process.env.TEEZK_BENCH_VERBOSE) {
        for (const [i, r] of runs.entries()) {
          process.stderr.write(`delegate round ${i}: raw ${round(rawMs[i]!)} e2e ${round(r.timings.totalMs)} node prove ${round(r.proverTimings!.proveMs)} steps ${JSON.stringify(r.timings)} node ${JSON.stringify(r.proverTimings)}\n`);
        }
      }

      const verifyMs = { native: [] as number[], snarkjs: [] as number[] };
      for (const [i, r] of runs.entries()) {
        const order = i % 2 === 0 ? (["native", "snarkjs"] as const) : (["snarkjs", "native"] as const);
        for (const engine of order) {
          const started = performance.now();
          const valid = await (engine === "native" ? verifier : snarkjsVerifier).verify({ circuit: "membership", proof: r.proof, publicSignals: r.publicSignals });
          verifyMs[engine].push(performance.now() - started);
          if (!valid) throw new TeezkError("PROOF_INVALID", `the ${engine} verifier refused a delegated proof the client had accepted`);
        }
      }

      const e2e = runs.map((r) => r.timings.totalMs);
      const inNodeProve = runs.map((r) => r.proverTimings!.proveMs);
      const e2eP50 = p50(e2e);
      const rawP50 = p50(rawMs);
      const direct = runs.map((r) => r.timings.totalMs - r.proverTimings!.proveMs);
      const paired = runs.map((r, i) => r.timings.totalMs - rawMs[i]!);
      const setting = `simulated TDX node on loopback with an archive, membership circuit, ${prover.engine} prover and client verifier, ${ROUNDS} warm rounds alternating raw/delegated, 2-core box, 1-min load ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)}`;
      const step = (name: string, values: number[], anchor: string): BenchRow => ({ name: `delegate.step.${name}.p50`, value: round(p50(values)), unit: "ms", anchor });
      return [
        {
          name: "delegate.overhead",
          value: round(e2eP50 - rawP50),
          unit: "ms",
          anchor: `p50 E2E ${round(e2eP50)} − p50 raw prove ${round(rawP50)} (same witness, same warm prover process; raw p25–p75 ${round(quantile(rawMs, 0.25))}–${round(quantile(rawMs, 0.75))}); ${setting}`,
          target: "≤ 25 (issue 18)",
        },
        { name: "delegate.ratio", value: Math.round((e2eP50 / rawP50) * 1000) / 1000, unit: "ratio", anchor: `p50 E2E ÷ p50 raw prove; ${setting}` },
        {
          name: "delegate.overhead.direct",
          value: round(p50(direct)),
          unit: "ms",
          anchor: `p50 over delegations of (E2E − the node's own prover.prove time of that request, p50 ${round(p50(inNodeProve))}): everything but proving, unblurred by load on the prover; p25–p75 ${round(quantile(direct, 0.25))}–${round(quantile(direct, 0.75))}`,
          target: "≤ 50",
        },
        {
          name: "delegate.overhead.paired",
          value: round(p50(paired)),
          unit: "ms",
          anchor: `p50 over rounds of (E2E − the raw prove run back to back with it, order swapped every round): the same difference with load shared within each pair; p25–p75 ${round(quantile(paired, 0.25))}–${round(quantile(paired, 0.75))}`,
        },
        step("attest", runs.map((r) => r.timings.attest), "client: GET /v1/attestation (node: nonce, a simulated TDX quote signed per request, its cached collateral, JSON)"),
        step("verify", runs.map((r) => r.timings.verify), "client: DCAP verification of the quote with the served collateral, binding, appraisal"),
        step("seal", runs.map((r) => r.timings.seal), "client: HPKE seal of the witness"),
        step("prove_http", runs.map((r) => r.timings.prove - r.proverTimings!.totalMs), "client's POST /v1/prove wall time minus the node's own handling time: HTTP, JSON both ways"),
        step("node_open", runs.map((r) => r.proverTimings!.openMs), "node: body read, HPKE open, nonce, witness parse"),
        step("node_sign", runs.map((r) => r.proverTimings!.signMs), "node: calldata, digests, EIP-712 receipt signature"),
        step("node_archive", runs.map((r) => r.proverTimings!.archiveMs), "node: proof + receipt written to the archive in one transaction (one fsync) before answering"),
        step("check", runs.map((r) => r.timings.check), `client: Groth16 verification (${verifier.engine}, its warm process spawned by the client itself) overlapped with the receipt checks and signer recovery`),
        {
          name: "delegate.verify.client.p50",
          value: round(p50(verifyMs.native)),
          unit: "ms",
          anchor: `the client's proof check alone (verifier.verify, ${verifier.engine}), on each of the ${ROUNDS} delegated proofs, alternated with snarkjs; p95 ${round(quantile(verifyMs.native, 0.95))}`,
        },
        {
          name: "delegate.verify.snarkjs.p50",
          value: round(p50(verifyMs.snarkjs)),
          unit: "ms",
          anchor: `the same proofs verified by snarkjs on its warm prover process (the client's check before issue 18); p95 ${round(quantile(verifyMs.snarkjs, 0.95))}`,
        },
      ];
    } finally {
      await served.close();
      await node.close();
      await prover.close();
      await verifier.close();
      await snarkjsVerifier.close();
      archive.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
