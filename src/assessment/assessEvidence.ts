import type { Claims, VerifiedEvidence } from "../claims/types.js";
import type { TeezkError } from "../errors/index.js";
import type { EvidenceKind } from "../evidence/detectEvidenceType.js";
import { verifyEvidence, type VerifyEvidenceParameters } from "../evidence/verifyEvidence.js";
import { appraise, type Appraisal, type ReferenceValues } from "../policy/index.js";
import type { Hex } from "../util/bytes.js";

export type AssessEvidenceParameters = Omit<VerifyEvidenceParameters, "inspectStandaloneGpu"> & {
  /** What the caller accepts: the CPU's TEE type and, when it names NVIDIA_GPU, the GPU half too. */
  referenceValues: ReferenceValues;
  /** The DESIGN §3 binding the report data must carry (replaces the policy's own `expectedBinding`). */
  expectedBinding?: Hex;
};

export type AssessEvidenceReturnType = {
  kind: EvidenceKind;
  /** The CPU evidence: its claims are what a verdict, a registration or a key release is about. */
  evidence: VerifiedEvidence;
  claims: Claims;
  /** The composite's GPUs, each bound to the CPU binding and appraised. */
  gpu?: VerifiedEvidence[];
  /** Every part's rules: the CPU's as named, each GPU's as `gpu[i].rule`, and `gpu` when one was required. */
  appraisal: Appraisal;
};
export type AssessEvidenceErrorType = TeezkError;

/**
 * The one assessment every caller uses (verifier node, key release, delegating client, `teezk verify --policy`):
 * verifies the evidence, CPU and any GPU half (a GPU report on its own is GPU_NOT_AN_ENCLAVE, a GPU whose nonce
 * is not the CPU binding BORROWED_GPU_REPORT), checks the binding, and appraises every part against the same
 * reference values. A policy that names NVIDIA_GPU requires the GPU half (GPU_EVIDENCE_REQUIRED). Evidence that
 * does not verify throws with the verifier's code; a failed appraisal is returned, so a service can archive it.
 *
 * @example
 * const { claims, appraisal } = assessEvidence({ evidence, gpuEvidence, now, referenceValues, expectedBinding });
 * if (!appraisal.ok) refuse(appraisal.failures);
 */
export function assessEvidence(parameters: AssessEvidenceParameters): AssessEvidenceReturnType {
  const { referenceValues, expectedBinding, ...verifyParameters } = parameters;
  const verified = verifyEvidence(verifyParameters);
  const policy: ReferenceValues = expectedBinding ? { ...referenceValues, expectedBinding: expectedBinding.toLowerCase() as Hex } : referenceValues;
  const gpus = verified.gpu ?? [];

  const { claims, checks, rootProduct } = verified.evidence;
  const cpu = appraise(claims, policy, parameters.now, { checks, ...(rootProduct !== undefined ? { rootProduct } : {}) });
  const failures = [...cpu.failures];
  const evaluated = [...cpu.evaluated];
  const skippedChecks = [...(cpu.skippedChecks ?? [])];
  if (referenceValues.tee.NVIDIA_GPU !== undefined) {
    evaluated.push("gpu");
    if (gpus.length === 0) {
      failures.push({
        code: "GPU_EVIDENCE_REQUIRED",
        rule: "gpu",
        message: "The policy names GPU reference values (NVIDIA_GPU) but the evidence has no GPU half",
      });
    }
  }
  // The GPUs' nonces already equal the CPU binding (verifyComposite): the binding rule is the CPU's alone.
  const { expectedBinding: _cpuOnly, ...gpuPolicy } = policy;
  for (const [index, gpu] of gpus.entries()) {
    const part = appraise(gpu.claims, gpuPolicy, parameters.now, { checks: gpu.checks, part: "gpu" });
    failures.push(...part.failures.map((failure) => ({ ...failure, rule: `gpu[${index}].${failure.rule}` })));
    evaluated.push(...part.evaluated.map((rule) => `gpu[${index}].${rule}`));
    skippedChecks.push(...(part.skippedChecks ?? []));
  }
  return {
    kind: verified.kind,
    evidence: verified.evidence,
    claims: verified.evidence.claims,
    ...(verified.gpu ? { gpu: verified.gpu } : {}),
    appraisal: { ok: failures.length === 0, failures, evaluated, skippedChecks },
  };
}
