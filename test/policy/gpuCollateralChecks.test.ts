import { describe, expect, it } from "vitest";
import { verifyGpuEvidenceSet, type NvidiaCollateral } from "../../src/evidence/nvidia/index.js";
import { appraise, parseReferenceValues } from "../../src/policy/index.js";
import { getDevRoots, simulateEvidence } from "../../src/tee/simulated/index.js";

const now = new Date();
const devRoots = getDevRoots();

/** The GPU half of composite evidence judged with a policy that requires the RIM and OCSP checks. */
function appraiseGpu(collateral: NvidiaCollateral | undefined, gpuFormat: "spdm" | "json") {
  const sim = simulateEvidence({ vendor: "nvidia", binding: `0x${"3c".repeat(32)}`, now, devRoots, gpuFormat });
  const base = gpuFormat === "spdm" ? { certificateChain: (sim.collateral as NvidiaCollateral).certificateChain } : { certificateChain: [] };
  const [gpu] = verifyGpuEvidenceSet({ evidence: sim.evidence, now, collateral: { ...base, ...collateral }, extraTrustedRoots: [sim.trustedRoot] });
  const refs = parseReferenceValues({ version: 1, tee: { NVIDIA_GPU: { allowedMeasurements: [gpu!.claims.measurement], acceptedTcbStatuses: ["NOT_APPLICABLE"], requiredChecks: ["rim", "revocation"] } } });
  return { gpu: gpu!, appraisal: appraise(gpu!.claims, refs, now, { checks: gpu!.checks, part: "gpu" }), sim };
}

describe("NVIDIA RIM and OCSP checks in the policy (issue 15 item 4)", () => {
  it.each(["spdm", "json"] as const)("a simulated GPU (%s) carries its dev-signed RIMs and OCSP answers: rim and revocation passed", (format) => {
    const sim = simulateEvidence({ vendor: "nvidia", binding: `0x${"3c".repeat(32)}`, now, devRoots, gpuFormat: format });
    const { gpu, appraisal } = appraiseGpu(sim.collateral as NvidiaCollateral, format);
    expect(gpu.checks).toMatchObject({ rim: "passed", revocation: "passed" });
    expect(gpu.registers.rimComparedIndexes).toBe(33);
    expect(appraisal.failures).toEqual([]);
  });

  it("the same GPU whose RIMs and OCSP answers were left out (a prover serving less): the policy refuses, naming both checks", () => {
    const { appraisal } = appraiseGpu(undefined, "json");
    expect(appraisal.failures.filter((failure) => failure.code === "CHECK_NOT_PERFORMED").map((failure) => failure.rule).sort()).toEqual(["check.revocation", "check.rim"]);
  });
});
