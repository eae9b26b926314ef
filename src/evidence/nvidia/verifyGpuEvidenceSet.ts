import { TeezkError } from "../../errors/index.js";
import type { VerifiedEvidence } from "../types.js";
import { NVIDIA_PINNED_ROOTS } from "./pinnedRoots.js";
import { resolveGpuEntries } from "./resolveGpuEntries.js";
import { rimParameters, type VerifyGpuEvidenceErrorType, type VerifyGpuEvidenceParameters } from "./verifyGpuEvidence.js";
import { verifyGpuReport } from "./verifyGpuReport.js";

export type VerifyGpuEvidenceSetParameters = VerifyGpuEvidenceParameters;
export type VerifyGpuEvidenceSetReturnType = VerifiedEvidence[];
export type VerifyGpuEvidenceSetErrorType = VerifyGpuEvidenceErrorType | "GPU_EVIDENCE_SET_INVALID";

/**
 * Verifies every GPU of a multi-GPU JSON document (a raw report counts as a set of one). All must verify, all
 * must have signed the same request nonce (and `expectedNonce` when given), and no GPU may appear twice: a set
 * padded with copies of one genuine report would otherwise pass for a larger system. The nonce a JSON entry
 * states is unsigned and is only accepted when it equals the signed one.
 */
export function verifyGpuEvidenceSet(parameters: VerifyGpuEvidenceSetParameters): VerifyGpuEvidenceSetReturnType {
  const entries = resolveGpuEntries(parameters.evidence, parameters.collateral);
  const pinnedRoots = [...NVIDIA_PINNED_ROOTS, ...(parameters.extraTrustedRoots ?? [])];
  const results: VerifiedEvidence[] = [];
  const platforms = new Set<string>();
  entries.forEach((entry, index) => {
    let verified: ReturnType<typeof verifyGpuReport>;
    try {
      verified = verifyGpuReport({
        report: entry.report,
        certificateChain: entry.certificateChain,
        now: parameters.now,
        pinnedRoots,
        rootCertificates: parameters.rootCertificates,
        expectedNonce: parameters.expectedNonce ?? entry.nonce,
        ...rimParameters(parameters),
        extraRegisters: { gpuIndex: String(index), ...(entry.arch === undefined ? {} : { arch: entry.arch }) },
      });
    } catch (error) {
      if (error instanceof TeezkError) {
        throw new TeezkError(error.code, `GPU ${index} of ${entries.length}: ${error.shortMessage}`, {
          details: error.details,
          metaMessages: error.metaMessages,
          cause: error,
        });
      }
      throw error;
    }
    const first = results[0];
    if (first && verified.claims.reportData !== first.claims.reportData) {
      throw new TeezkError("GPU_NONCE_MISMATCH", `GPU ${index} of ${entries.length} signed a different nonce than GPU 0`, {
        details: `${verified.claims.reportData} vs ${first.claims.reportData}`,
      });
    }
    if (platforms.has(verified.claims.platformId)) {
      throw new TeezkError("GPU_EVIDENCE_SET_INVALID", `GPU ${index} of ${entries.length} is listed twice in the evidence set`, {
        details: `device certificate sha256 ${verified.claims.platformId}`,
      });
    }
    platforms.add(verified.claims.platformId);
    const { report: _report, ...evidence } = verified;
    results.push(evidence);
  });
  return results;
}
