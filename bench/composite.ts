import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { verifyEvidence } from "../src/evidence/verifyEvidence.js";
import { fixturePath } from "../src/fixtures/fixturesDir.js";
import { getDevRoots, simulateEvidence } from "../src/tee/simulated/index.js";
import { timeIt, type BenchRow, type BenchSuite } from "./types.js";

/**
 * Composite CPU+GPU verification through the public entry point: a TDX quote (simulated, since no real quote
 * carries a real GPU's nonce as its binding) plus the real H100 report, chain read from its folder each call.
 */
export const compositeBench: BenchSuite = {
  name: "composite",
  run: async (): Promise<BenchRow[]> => {
    const gpuHex = readFileSync(fixturePath("nvidia-gpu/nvtrust-hopper-sample/attestation-report.hex"), "utf8").trim();
    const gpuEvidence = new Uint8Array(Buffer.from(gpuHex));
    const devRoots = getDevRoots({ dir: mkdtempSync(join(tmpdir(), "teezk-bench-")) });
    const now = new Date("2025-06-01T00:00:00Z");
    const cpu = simulateEvidence({ vendor: "tdx", binding: `0x${gpuHex.slice(8, 72)}`, devRoots, now });
    const gpuCollateralDir = fixturePath("nvidia-gpu/nvtrust-hopper-sample");
    const run = () => verifyEvidence({ evidence: cpu.evidence, now, gpuEvidence, gpuCollateralDir, extraTrustedRoots: [cpu.trustedRoot] });
    const timing = timeIt(run, { iterations: 50, warmup: 5 });
    const anchor = "TDX quote (no collateral) + 1 H100 report, file decoding and GPU chain loading included";
    return [
      { name: "verify.composite.tdx_h100.p50", value: Math.round(timing.p50 * 1000) / 1000, unit: "ms", anchor, target: "≤ 30" },
      { name: "verify.composite.tdx_h100.p95", value: Math.round(timing.p95 * 1000) / 1000, unit: "ms", anchor },
    ];
  },
};
