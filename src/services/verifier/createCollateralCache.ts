import { detectEvidenceType, type EvidenceKind } from "../../evidence/detectEvidenceType.js";
import { MAX_EVIDENCE_FILE_BYTES } from "../../evidence/verifyEvidence.js";
import { decodeEvidenceInput } from "../../util/bytes.js";

/** Collateral folders a service keeps, per evidence kind. */
export type CollateralByKind = Partial<Record<EvidenceKind, string | readonly string[]>>;

export type ResolveEvidenceCollateralReturnType = {
  kind: EvidenceKind;
  /** The evidence bytes after hex/base64 decoding (the text itself for vendor JSON): what an archive keeps. */
  decoded: Uint8Array;
  collateralDir?: string | readonly string[];
  /** The nvidia folder, for the GPU half of composite evidence. */
  gpuCollateralDir?: string;
};

/**
 * Picks the collateral folders for one piece of evidence. verifyEvidence applies the folders it is given to
 * whatever kind it detects, so a service holding folders for several vendors must know the kind first (an Intel
 * folder handed to the SNP loader is an error, not a no-op). Detection runs on the decoded bytes with the
 * same caps as verifyEvidence; a failure throws the same codes (INPUT_TOO_LARGE, UNKNOWN_EVIDENCE_TYPE, …).
 */
export function resolveEvidenceCollateral(evidence: Uint8Array, kind: EvidenceKind | undefined, collateral: CollateralByKind): ResolveEvidenceCollateralReturnType {
  const decoded = decodeEvidenceInput(evidence, MAX_EVIDENCE_FILE_BYTES);
  const resolvedKind = kind ?? detectEvidenceType(decoded.bytes);
  const folders = collateral[resolvedKind];
  const gpu = collateral.nvidia;
  const gpuCollateralDir = gpu === undefined ? undefined : typeof gpu === "string" ? gpu : gpu[0];
  return {
    kind: resolvedKind,
    decoded: decoded.bytes,
    ...(folders !== undefined ? { collateralDir: folders } : {}),
    ...(gpuCollateralDir !== undefined ? { gpuCollateralDir } : {}),
  };
}
