import type { Address, Hex } from "viem";
import type { Claims } from "../../claims/index.js";
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
  claimsHash?: Hex;
  appraisal?: Appraisal;
  /** Present when the node signed. */
  verdict?: Verdict;
  /** Why the node refused when the evidence did not verify (no claims, no appraisal). */
  refusal?: { code: string; message: string };
};

/**
 * Writes one verifier decision: the evidence (with its claims when it verified), the appraisal when one ran,
 * and a verdict row — accepted with its signature, or refused with the reason. Each row is its own committed
 * transaction (src/store), written before the node answers, so an answered verdict is always on disk.
 *
 * Evidence over the archive's 1 MiB cap (only possible for undecodable input) is not stored; the verdict row
 * still records the refusal.
 */
export function recordVerifierDecision(parameters: RecordVerifierDecisionParameters): VerifierArchiveIds {
  const { archive, verifier, committee } = parameters;
  const storable = parameters.evidence.length > 0 && parameters.evidence.length <= MAX_ARCHIVED_EVIDENCE_BYTES;
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
  const verdict = archive.recordVerdict({
    claimsHash: parameters.claimsHash ?? NO_CLAIMS_HASH,
    verifier,
    accepted: parameters.verdict !== undefined,
    ...(evidence ? { evidenceId: evidence.id } : {}),
    ...(parameters.verdict ? { signature: parameters.verdict.signature } : {}),
    payload: parameters.verdict
      ? { primaryType: "Verdict", domain, message: { claimsHash: parameters.claimsHash } }
      : {
          refused: parameters.refusal ?? {
            code: "VERDICT_REFUSED",
            message: parameters.appraisal?.failures.map((failure) => failure.code).join(", ") ?? "refused",
          },
          domain,
        },
  });
  return {
    verdictId: verdict.id,
    ...(evidence ? { evidenceId: evidence.id } : {}),
    ...(appraisal ? { appraisalId: appraisal.id } : {}),
  };
}
