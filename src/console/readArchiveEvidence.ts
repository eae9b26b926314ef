import type { Hex } from "viem";
import type { AppraisalRecord, Archive, EvidenceRecord, VerdictRecord } from "../store/index.js";
import type { PinnedRoot } from "../util/x509.js";
import { rereadArchivedEvidence, type RereadEvidence } from "./rereadArchivedEvidence.js";

export type ArchivedEvidence = {
  evidence: (Omit<EvidenceRecord, "evidence"> & { bytes: number; reread: RereadEvidence })[];
  appraisals: AppraisalRecord[];
  verdicts: VerdictRecord[];
};

/** Rows returned per table: an enclave has one evidence per (re-)attestation and a verdict per committee member. */
const MAX_ROWS = 100;

/**
 * What the archive holds behind one registration, by its claims hash: the evidence the nodes verified (its size and
 * its fields re-read by rereadArchivedEvidence, not its bytes), each appraisal of it and every verdict.
 */
export function readArchiveEvidence(archive: Archive, claimsHash: Hex, extraTrustedRoots?: readonly PinnedRoot[]): ArchivedEvidence {
  const evidence = archive.list("evidence", { where: { claimsHash }, limit: MAX_ROWS });
  const appraisals = evidence.flatMap((row) => archive.list("appraisals", { where: { evidenceId: row.id }, limit: MAX_ROWS }));
  const verdicts = archive.list("verdicts", { where: { claimsHash }, limit: MAX_ROWS });
  return {
    evidence: evidence.map(({ evidence: hex, ...row }) => ({
      ...row,
      bytes: (hex.length - 2) / 2,
      reread: rereadArchivedEvidence({ evidence: hex, timestamp: row.claims?.timestamp ?? Math.floor(row.recordedAt.getTime() / 1000), ...(extraTrustedRoots ? { extraTrustedRoots } : {}) }),
    })),
    appraisals,
    verdicts,
  };
}
