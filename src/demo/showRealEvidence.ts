import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assessEvidence } from "../assessment/index.js";
import { encodeClaims, tcbStatusName, teeTypeName } from "../claims/index.js";
import { isTeezkError } from "../errors/index.js";
import { verifyEvidence } from "../evidence/verifyEvidence.js";
import { fixturePath } from "../fixtures/fixturesDir.js";
import { realSamples } from "../fixtures/realSamples.js";
import { parseReferenceValues } from "../policy/index.js";
import { getDevRoots, simulateEvidence } from "../tee/simulated/index.js";
import { formatTable } from "./formatTable.js";

/**
 * The evidence part of `npm run demo`: every real sample in ../shared/fixtures verified as of its own time (and
 * again today, where its certificates or collateral have expired), then a simulated TDX guest with a real H100
 * attached through the composite binding, appraised against a policy. Returns how many checks failed.
 */
export function showRealEvidence(print: (text: string) => void): number {
  const today = new Date();
  const rows: string[][] = [["sample", "type", "measurement", "tcb", "debug", "not checked", `today (${today.toISOString().slice(0, 10)})`]];
  let failures = 0;
  for (const sample of realSamples) {
    const evidence = new Uint8Array(readFileSync(fixturePath(sample.evidence)));
    const collateralDir = sample.collateral?.map((dir) => fixturePath(dir));
    try {
      // The table shows each sample's authenticity; a GPU report's is inspected alone (no enclave stands behind it).
      const result = verifyEvidence({ evidence, now: new Date(sample.at), kind: sample.kind, ...(collateralDir ? { collateralDir } : {}), inspectStandaloneGpu: true });
      const { claims, checks } = result.evidence;
      const notChecked = Object.entries(checks).filter(([, outcome]) => outcome === "not_checked").map(([name]) => name);
      rows.push([
        sample.id + (result.gpu ? ` (${result.gpu.length} GPUs)` : ""),
        teeTypeName(claims.teeType) ?? "?",
        `${claims.measurement.slice(0, 18)}…`,
        tcbStatusName(claims.tcbStatus) ?? String(claims.tcbStatus),
        String(claims.debug),
        notChecked.join(",") || "-",
        verifyToday(evidence, sample.kind, collateralDir, today),
      ]);
    } catch (error) {
      failures++;
      rows.push([sample.id, sample.kind, "REJECTED", isTeezkError(error) ? error.code : String(error), "", "", ""]);
    }
  }
  print(formatTable(rows));
  print("NVIDIA rows are inspected for authenticity only: a GPU report alone is never an enclave (GPU_NOT_AN_ENCLAVE at every service).");

  print("\nComposite CPU+GPU: a simulated TDX guest (dev root, trusted explicitly) whose binding is the nonce the real H100 signed");
  const gpuHex = readFileSync(fixturePath("nvidia-gpu/nvtrust-hopper-sample/attestation-report.hex"), "utf8").trim();
  const gpuNonce = `0x${gpuHex.slice(8, 72)}` as const;
  // Throwaway dev roots for this one illustration (the demo network keeps its own under .teezk/); gone at exit.
  const devRootsDir = mkdtempSync(join(tmpdir(), "teezk-demo-"));
  process.once("exit", () => rmSync(devRootsDir, { recursive: true, force: true }));
  const devRoots = getDevRoots({ dir: devRootsDir });
  const now = new Date("2025-06-01T00:00:00Z");
  const cpu = simulateEvidence({ vendor: "tdx", binding: gpuNonce, devRoots, now });
  const composite = verifyEvidence({
    evidence: cpu.evidence,
    now,
    gpuEvidence: new Uint8Array(Buffer.from(gpuHex)),
    gpuCollateralDir: fixturePath("nvidia-gpu/nvtrust-hopper-sample"),
    extraTrustedRoots: [cpu.trustedRoot],
  });
  print(`  CPU binding ${composite.evidence.claims.reportData}\n  GPU nonce   ${composite.gpu![0]!.claims.reportData}  → composite OK`);
  print(`  Claims ABI (${(encodeClaims(composite.evidence.claims).length - 2) / 2} bytes): ${encodeClaims(composite.evidence.claims).slice(0, 66)}…`);
  const borrowed = simulateEvidence({ vendor: "tdx", binding: `0x${"00".repeat(31)}01`, devRoots, now });
  try {
    verifyEvidence({
      evidence: borrowed.evidence,
      now,
      gpuEvidence: new Uint8Array(Buffer.from(gpuHex)),
      gpuCollateralDir: fixturePath("nvidia-gpu/nvtrust-hopper-sample"),
      extraTrustedRoots: [borrowed.trustedRoot],
    });
    print("  borrowed GPU report: ACCEPTED (unexpected)");
    failures++;
  } catch (error) {
    print(`  borrowed GPU report (same H100 report, another session's CPU): ${isTeezkError(error) ? error.code : String(error)}`);
  }

  const policy = parseReferenceValues({
    version: 1,
    tee: {
      TDX: { allowedMeasurements: [composite.evidence.claims.measurement], acceptedTcbStatuses: ["UP_TO_DATE"], allowedRoots: ["0x44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3"] },
      NVIDIA_GPU: { allowedMeasurements: [composite.gpu![0]!.claims.measurement], acceptedTcbStatuses: ["NOT_APPLICABLE"] },
    },
  });
  const { appraisal } = assessEvidence({
    evidence: cpu.evidence,
    now,
    gpuEvidence: new Uint8Array(Buffer.from(gpuHex)),
    gpuCollateralDir: fixturePath("nvidia-gpu/nvtrust-hopper-sample"),
    extraTrustedRoots: [cpu.trustedRoot],
    referenceValues: policy,
  });
  print(`  production policy on the simulated guest: ${appraisal.ok ? "PASSED" : `FAILED ${appraisal.failures.map((failure) => failure.code).join(", ")}`} (dev roots never pass a production policy)`);
  return failures;
}

function verifyToday(evidence: Uint8Array, kind: (typeof realSamples)[number]["kind"], collateralDir: string[] | undefined, today: Date): string {
  try {
    verifyEvidence({ evidence, now: today, kind, ...(collateralDir ? { collateralDir } : {}), inspectStandaloneGpu: true });
    return "still valid";
  } catch (error) {
    return isTeezkError(error) ? error.code : "error";
  }
}
