import { createHash } from "node:crypto";
import type { Address, Hex } from "viem";
import { claimsToJson, type Claims } from "../../claims/index.js";
import type { ContractDomain } from "../../receipts/types.js";
import type { Appraisal } from "../../policy/index.js";
import { MAX_ARCHIVED_EVIDENCE_BYTES, type Archive } from "../../store/index.js";
import type { Verdict } from "../../chain/signVerdict.js";
import { VERIFIER_ARCHIVE_SOURCE } from "./constants.js";
import type { VerifierArchiveIds } from "./types.js";

/** The claims hash archived for evidence that never produced claims (it did not verify). */
export const NO_CLAIMS_HASH: Hex = `0x${"00".repeat(32)}`;

export type RecordVerifierDecisionParameters = {
  archive: Archive;
  verifier: Address;
  committee: ContractDomain;
  /** The evidence as the node verified it (decoded bytes when decoding succeeded, else the text as sent). */
  evidence: Uint8Array;
  teeType?: number;
  claims?: Claims;
  /** Composite evidence: the GPUs' claims, signed over with `claims` (claimsHash is the composite's). */
  gpuClaims?: Claims[];
  claimsHash?: Hex;
  appraisal?: Appraisal;
  /** Present when the node signed. */
  verdict?: Verdict;
  /** Why the node refused when the evidence did not verify (no claims, no appraisal). */
  refusal?: { code: string; message: string };
};

/** Longest refusal message archived: a message may quote parts of the request. */
const MAX_ARCHIVED_REFUSAL_CHARS = 500;

/**
 * Writes one verifier decision: for a signed verdict, the evidence with its claims, the appraisal and the verdict
 * with its signature; for a refusal, the appraisal when one ran and a verdict row with the code, a bounded message
 * and the evidence's sha256 and length, never the evidence itself: anyone may send refused evidence, and storing
 * each body (up to 1 MiB) let a caller fill the node's disk. Written before the node answers (src/store commits
 * with synchronous = FULL), so every answered decision is on disk.
 */
export function recordVerifierDecision(parameters: RecordVerifierDecisionParameters): VerifierArchiveIds {
  const { archive, verifier, committee } = parameters;
  const signed = parameters.verdict !== undefined;
  const storable = signed && parameters.evidence.length > 0 && parameters.evidence.length <= MAX_ARCHIVED_EVIDENCE_BYTES;
  const evidence = storable
    ? archive.recordEvidence({
        evidence: parameters.evidence,
        source: VERIFIER_ARCHIVE_SOURCE,
        ...(parameters.teeType !== undefined ? { teeType: parameters.teeType } : {}),
        ...(parameters.claims ? { claims: parameters.claims } : {}),
      })
    : undefined;
  const appraisal = parameters.appraisal
    ? archive.recordAppraisal({ appraisal: parameters.appraisal, ...(evidence ? { evidenceId: evidence.id } : {}) })
    : undefined;
  const domain = { chainId: String(committee.chainId), verifyingContract: committee.verifyingContract };
  const refusal = parameters.refusal ?? {
    code: "VERDICT_REFUSED",
    message: parameters.appraisal?.failures.map((failure) => failure.code).join(", ") ?? "refused",
  };
  const verdict = archive.recordVerdict({
    claimsHash: parameters.claimsHash ?? NO_CLAIMS_HASH,
    verifier,
    accepted: parameters.verdict !== undefined,
    ...(evidence ? { evidenceId: evidence.id } : {}),
    ...(parameters.verdict ? { signature: parameters.verdict.signature } : {}),
    payload: parameters.verdict
      ? {
          primaryType: "Verdict",
          domain,
          message: { claimsHash: parameters.claimsHash },
          // The evidence row keeps the CPU claims; with these the archived hash can be recomputed.
          ...(parameters.gpuClaims ? { gpuClaims: parameters.gpuClaims.map(claimsToJson) } : {}),
        }
      : {
          refused: { code: refusal.code, message: refusal.message.slice(0, MAX_ARCHIVED_REFUSAL_CHARS) },
          evidence: { sha256: `0x${createHash("sha256").update(parameters.evidence).digest("hex")}`, bytes: parameters.evidence.length },
          ...(appraisal ? { appraisalId: appraisal.id } : {}),
          domain,
        },
  });
  return {
    verdictId: verdict.id,
    ...(evidence ? { evidenceId: evidence.id } : {}),
    ...(appraisal ? { appraisalId: appraisal.id } : {}),
  };
}
