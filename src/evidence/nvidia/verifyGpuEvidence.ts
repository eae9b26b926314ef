import { TeezkError } from "../../errors/index.js";
import type { Hex } from "../../util/bytes.js";
import type { PinnedRoot } from "../../util/x509.js";
import type { VerifiedEvidence, VerifyEvidenceParameters } from "../types.js";
import { NVIDIA_PINNED_ROOTS, NVIDIA_RIM_PINNED_ROOTS } from "./pinnedRoots.js";
import { resolveGpuEntries } from "./resolveGpuEntries.js";
import type { NvidiaCollateral } from "./types.js";
import { verifyGpuReport, type VerifyGpuReportErrorType } from "./verifyGpuReport.js";

export type VerifyGpuEvidenceParameters = VerifyEvidenceParameters<NvidiaCollateral> & {
  /** The 32-byte challenge the GPU must have signed (DESIGN §3); GPU_NONCE_MISMATCH when it differs. */
  expectedNonce?: Hex;
};
export type VerifyGpuEvidenceReturnType = VerifiedEvidence;
export type VerifyGpuEvidenceErrorType = VerifyGpuReportErrorType | "COLLATERAL_MISSING" | "MALFORMED" | "INPUT_EMPTY" | "INPUT_ENCODING";

/**
 * Verifies the evidence of one GPU: a raw SPDM report (chain from `collateral`, see `loadNvidiaCollateral`) or
 * a JSON document listing exactly one GPU (its embedded chain; the collateral one when it has none). Multi-GPU
 * documents go to `verifyGpuEvidenceSet`, so a caller never gets one GPU's claims for an eight-GPU system.
 */
export function verifyGpuEvidence(parameters: VerifyGpuEvidenceParameters): VerifyGpuEvidenceReturnType {
  const entries = resolveGpuEntries(parameters.evidence, parameters.collateral);
  if (entries.length !== 1) {
    throw new TeezkError("MALFORMED", `The GPU evidence lists ${entries.length} GPUs; verify it with verifyGpuEvidenceSet`);
  }
  const entry = entries[0]!;
  const verified = verifyGpuReport({
    report: entry.report,
    certificateChain: entry.certificateChain,
    now: parameters.now,
    pinnedRoots: [...NVIDIA_PINNED_ROOTS, ...(parameters.extraTrustedRoots ?? [])],
    rootCertificates: parameters.rootCertificates,
    expectedNonce: parameters.expectedNonce ?? entry.nonce,
    ...rimParameters(parameters),
    extraRegisters: entry.arch === undefined ? {} : { arch: entry.arch },
  });
  const { report: _report, ...evidence } = verified;
  return evidence;
}

/** The collateral's RIMs and the roots their signer chains may end at (NVIDIA's, plus the caller's extra pins). */
export function rimParameters(parameters: VerifyGpuEvidenceParameters): { rims?: Readonly<Record<string, Uint8Array>>; rimPinnedRoots: PinnedRoot[]; ocspResponses?: readonly Uint8Array[] } {
  const { rims, ocsp } = parameters.collateral ?? {};
  return { ...(rims ? { rims } : {}), ...(ocsp ? { ocspResponses: ocsp } : {}), rimPinnedRoots: [...NVIDIA_RIM_PINNED_ROOTS, ...(parameters.extraTrustedRoots ?? [])] };
}
