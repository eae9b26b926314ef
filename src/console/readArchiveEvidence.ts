import type { Hex } from "viem";
import type { AppraisalRecord, Archive, EvidenceRecord, VerdictRecord } from "../store/index.js";

export type ArchivedEvidence = {
  evidence: (Omit<EvidenceRecord, "evidence"> & { bytes: number })[];
  appraisals: AppraisalRecord[];
  verdicts: VerdictRecord[];
};

/** Rows returned per table: an enclave has one evidence per (re-)attestation and a verdict per committee member. */
const MAX_ROWS = 100;

/**
 * What the archive holds behind one registration, by its claims hash: the evidence the nodes verified (its size,
 * not its bytes, which the page does not need), each appraisal of it and every verdict signed or refused.
 */
export function readArchiveEvidence(archive: Archive, claimsHash: Hex): ArchivedEvidence {
  const evidence = archive.list("evidence", { where: { claimsHash }, limit: MAX_ROWS });
  const appraisals = evidence.flatMap((row) => archive.list("appraisals", { where: { evidenceId: row.id }, limit: MAX_ROWS }));
  const verdicts = archive.list("verdicts", { where: { claimsHash }, limit: MAX_ROWS });
  return {
    evidence: evidence.map(({ evidence: hex, ...row }) => ({ ...row, bytes: (hex.length - 2) / 2 })),
    appraisals,
    verdicts,
  };
}
