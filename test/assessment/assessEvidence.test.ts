import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { assessEvidence } from "../../src/assessment/index.js";
import { isTeezkError } from "../../src/errors/index.js";
import { loadNvidiaCollateral, verifyGpuEvidence } from "../../src/evidence/nvidia/index.js";
import { fixturePath } from "../../src/fixtures/fixturesDir.js";
import { svnLanes } from "../../src/claims/index.js";
import { appraise, parseReferenceValues, type ReferenceValuesInput } from "../../src/policy/index.js";
import { getDevRoots, simulateEvidence } from "../../src/tee/simulated/index.js";
import { decodeEvidenceInput } from "../../src/util/bytes.js";

// The real H100 report (nvtrust hopper sample) and the SPDM nonce it signed (request bytes 4..36).
const folder = fixturePath("nvidia-gpu/nvtrust-hopper-sample");
const gpuHex = readFileSync(join(folder, "attestation-report.hex"), "utf8").trim();
const gpuNonce = `0x${gpuHex.slice(8, 72)}` as const;
const gpuEvidence = new Uint8Array(Buffer.from(gpuHex));
const now = new Date("2025-06-01T00:00:00Z");
const realGpu = verifyGpuEvidence({ evidence: decodeEvidenceInput(gpuEvidence, 1 << 20).bytes, now, collateral: loadNvidiaCollateral(folder) });

const dir = mkdtempSync(join(tmpdir(), "teezk-assess-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const devRoots = getDevRoots({ dir });
// A simulated TDX guest whose binding is the nonce the real GPU signed: a genuine composite as far as binding goes.
const cpu = simulateEvidence({ vendor: "tdx", binding: gpuNonce, devRoots, now });
const cpuMeasurement = assessEvidence({
  evidence: cpu.evidence,
  now,
  extraTrustedRoots: [cpu.trustedRoot],
  referenceValues: parseReferenceValues({ version: 1, tee: {} }),
}).claims.measurement;

// Verified without collateral on purpose: the TCB is UNKNOWN and the collateral checks are skipped by name.
const tdxRefs = {
  allowedMeasurements: [cpuMeasurement],
  acceptedTcbStatuses: ["UNKNOWN" as const],
  skipChecks: ["tcbInfo" as const, "qeIdentity" as const, "pckRevocation" as const, "rootRevocation" as const],
};
// The real H100 sample: no real RIM describes its VBIOS and no OCSP answers were saved with it, so these two checks
// are skipped by name (the services' GPU collateral is tested with simulated GPUs in test/services/gpuAssessment).
const gpuRefs = (measurement: string) => ({
  allowedMeasurements: [measurement],
  acceptedTcbStatuses: ["NOT_APPLICABLE" as const],
  skipChecks: ["rim" as const, "revocation" as const],
});
const policy = (tee: ReferenceValuesInput["tee"]) => parseReferenceValues({ version: 1, tee });
const composite = { evidence: cpu.evidence, now, gpuEvidence, gpuCollateralDir: folder, extraTrustedRoots: [cpu.trustedRoot] };

describe("assessEvidence: verify, bind, appraise every part (issue 12 items 2 and 6)", () => {
  it("a real H100 report alone is GPU_NOT_AN_ENCLAVE, even under a policy allowing its measurement", () => {
    let code = "accepted";
    try {
      assessEvidence({ evidence: gpuEvidence, collateralDir: folder, now, referenceValues: policy({ NVIDIA_GPU: gpuRefs(realGpu.claims.measurement) }) });
    } catch (error) {
      code = isTeezkError(error) ? error.code : String(error);
    }
    expect(code).toBe("GPU_NOT_AN_ENCLAVE");
  });

  it("appraise refuses GPU claims outside a composite, and takes them as the GPU half", () => {
    const refs = policy({ NVIDIA_GPU: gpuRefs(realGpu.claims.measurement) });
    expect(appraise(realGpu.claims, refs, now, { checks: realGpu.checks }).failures.map((failure) => failure.code)).toEqual(["GPU_NOT_AN_ENCLAVE"]);
    expect(appraise(realGpu.claims, refs, now, { checks: realGpu.checks, part: "gpu" }).ok).toBe(true);
  });

  it("the composite's GPU is appraised: the real GPU's measurement passes, another is gpu[0].measurement", () => {
    const passed = assessEvidence({ ...composite, referenceValues: policy({ TDX: tdxRefs, NVIDIA_GPU: gpuRefs(realGpu.claims.measurement) }), expectedBinding: gpuNonce });
    expect(passed.appraisal).toMatchObject({ ok: true, failures: [] });
    expect(passed.appraisal.evaluated).toEqual(expect.arrayContaining(["binding", "gpu", "gpu[0].measurement"]));
    expect(passed.claims.teeType).toBe(1);
    expect(passed.gpu).toHaveLength(1);

    const refused = assessEvidence({ ...composite, referenceValues: policy({ TDX: tdxRefs, NVIDIA_GPU: gpuRefs(`0x${"ee".repeat(32)}`) }) });
    expect(refused.appraisal.failures.map((failure) => `${failure.rule} ${failure.code}`)).toEqual(["gpu[0].measurement MEASUREMENT_NOT_ALLOWED"]);
  });

  it("a policy naming the GPU requires the GPU half; a policy without it refuses a GPU half it has no values for", () => {
    const cpuOnly = assessEvidence({ evidence: cpu.evidence, now, extraTrustedRoots: [cpu.trustedRoot], referenceValues: policy({ TDX: tdxRefs, NVIDIA_GPU: gpuRefs(realGpu.claims.measurement) }) });
    expect(cpuOnly.appraisal.failures.map((failure) => `${failure.rule} ${failure.code}`)).toEqual(["gpu GPU_EVIDENCE_REQUIRED"]);
    const noGpuSection = assessEvidence({ ...composite, referenceValues: policy({ TDX: tdxRefs }) });
    expect(noGpuSection.appraisal.failures.map((failure) => `${failure.rule} ${failure.code}`)).toEqual(["gpu[0].teeType TEE_TYPE_NOT_ALLOWED"]);
  });

  it("the binding is the CPU's rule, reported once", () => {
    const other = `0x${"5e".repeat(32)}` as const;
    const mismatch = assessEvidence({ ...composite, referenceValues: policy({ TDX: tdxRefs, NVIDIA_GPU: gpuRefs(realGpu.claims.measurement) }), expectedBinding: other });
    expect(mismatch.appraisal.failures.map((failure) => `${failure.rule} ${failure.code}`)).toEqual(["binding BINDING_MISMATCH"]);
  });
});

describe("assessEvidence: per-product SEV-SNP minimums by name", () => {
  it("a real Genoa report is held to the policy's Genoa minimum, named by product, and a Milan one says nothing of it", () => {
    const evidence = readFileSync(fixturePath("sev-snp/trustee-azure-genoa-hcl/evidence.json"));
    const collateralDir = [fixturePath("sev-snp/trustee-azure-genoa-hcl"), fixturePath("roots/amd-sev-snp")];
    const at = new Date("2025-06-01T00:00:00Z");
    const probe = assessEvidence({ evidence, collateralDir, now: at, referenceValues: policy({}) });
    expect(probe.evidence.rootProduct).toBe("Genoa");
    const [microcode, snp, tee, bootloader] = svnLanes(probe.claims.svn);
    const reported = { bootloader: bootloader!, tee: tee!, snp: snp!, microcode: microcode! };
    const failedRules = (minTcb: Record<string, typeof reported>) =>
      assessEvidence({
        evidence,
        collateralDir,
        now: at,
        referenceValues: policy({ SEV_SNP: { allowedMeasurements: [probe.claims.measurement], acceptedTcbStatuses: ["UNKNOWN", "NOT_APPLICABLE"], skipChecks: ["revocation"], minTcb } }),
      }).appraisal.failures.map((failure) => failure.rule);
    expect(failedRules({ Genoa: reported })).toEqual([]);
    expect(failedRules({ Genoa: { ...reported, microcode: reported.microcode + 1 } })).toEqual(["minTcb"]);
    expect(failedRules({ Milan: { bootloader: 0, tee: 0, snp: 0, microcode: 0 } })).toEqual(["minTcb"]);
  });
});
