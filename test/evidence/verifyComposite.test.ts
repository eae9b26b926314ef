import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isTeezkError } from "../../src/errors/index.js";
import { verifyEvidence } from "../../src/evidence/verifyEvidence.js";
import { fixturePath } from "../../src/fixtures/fixturesDir.js";
import { getDevRoots, simulateEvidence } from "../../src/tee/simulated/index.js";

// The real H100 report signed this SPDM nonce (read from the request bytes 4..36 of the sample).
const gpuHex = readFileSync(fixturePath("nvidia-gpu/nvtrust-hopper-sample/attestation-report.hex"), "utf8").trim();
const realGpuNonce = `0x${gpuHex.slice(8, 72)}` as const;
const gpuEvidence = new Uint8Array(Buffer.from(gpuHex));
const gpuCollateralDir = fixturePath("nvidia-gpu/nvtrust-hopper-sample");
const now = new Date("2025-06-01T00:00:00Z");
const devRoots = getDevRoots({ dir: mkdtempSync(join(tmpdir(), "teezk-composite-")) });

function cpuEvidence(binding: `0x${string}`) {
  return simulateEvidence({ vendor: "tdx", binding, devRoots, now });
}

describe("verifyComposite (CPU + GPU)", () => {
  it("accepts a genuine GPU report whose nonce is the CPU binding", () => {
    const cpu = cpuEvidence(realGpuNonce);
    const result = verifyEvidence({ evidence: cpu.evidence, now, gpuEvidence, gpuCollateralDir, extraTrustedRoots: [cpu.trustedRoot] });
    expect(result.kind).toBe("tdx");
    expect(result.evidence.claims.reportData).toBe(realGpuNonce);
    expect(result.gpu).toHaveLength(1);
    expect(result.gpu![0]!.claims.reportData).toBe(realGpuNonce);
  });

  it("rejects a borrowed GPU report (genuine, but signed for another session) with BORROWED_GPU_REPORT", () => {
    const cpu = cpuEvidence(`0x${"5e".repeat(32)}`);
    let error: unknown;
    try {
      verifyEvidence({ evidence: cpu.evidence, now, gpuEvidence, gpuCollateralDir, extraTrustedRoots: [cpu.trustedRoot] });
    } catch (caught) {
      error = caught;
    }
    expect(isTeezkError(error, "BORROWED_GPU_REPORT")).toBe(true);
    expect((error as Error).message).toContain(realGpuNonce);
  });

  it("still rejects the CPU evidence itself when its root is not trusted", () => {
    const cpu = cpuEvidence(realGpuNonce);
    expect(() => verifyEvidence({ evidence: cpu.evidence, now, gpuEvidence, gpuCollateralDir })).toThrow(/ROOT_NOT_TRUSTED/);
  });

  it("refuses GPU evidence in the CPU position", () => {
    expect(() => verifyEvidence({ evidence: gpuEvidence, collateralDir: gpuCollateralDir, now, gpuEvidence, gpuCollateralDir })).toThrow(/CONFIG_INVALID/);
  });
});
