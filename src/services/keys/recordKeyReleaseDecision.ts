import { createHash } from "node:crypto";
import type { Hex } from "viem";
import type { Claims } from "../../claims/index.js";
import type { Appraisal } from "../../policy/index.js";
import { MAX_ARCHIVED_EVIDENCE_BYTES, type Archive } from "../../store/index.js";
import type { KeyReleaseResponseBody } from "../../protocol/index.js";
import { KEY_RELEASE_ARCHIVE_SOURCE, keyReleaseChannelId } from "./constants.js";
import type { ParseKeyReleaseRequestReturnType } from "./parseKeyReleaseRequest.js";

/** What one decision leaves in the archive, written in one transaction. */
export type KeyReleaseDecisionRecord = { binding?: Hex; evidence?: Uint8Array; claims?: Claims; appraisal?: Appraisal };

export type RecordKeyReleaseDecisionParameters = {
  archive: Archive;
  keyId: string;
  request: ParseKeyReleaseRequestReturnType;
  decision: "released" | "refused";
  reasonCodes: string[];
  reason: string | undefined;
  record: KeyReleaseDecisionRecord;
};

/**
 * Evidence, appraisal and the key-release row of one decision, in one archive transaction (one fsync). A
 * refusal keeps its evidence's sha256 and length in `reason`, not the evidence: challenges are free, so anyone
 * can have any body refused, and storing each (up to 1 MiB) let a caller fill the service's disk.
 */
export function recordKeyReleaseDecision(parameters: RecordKeyReleaseDecisionParameters): NonNullable<KeyReleaseResponseBody["archived"]> {
  const { archive, keyId, request, decision, reasonCodes, reason, record } = parameters;
  return archive.transaction(() => {
    const storable =
      decision === "released" && record.evidence !== undefined && record.evidence.length > 0 && record.evidence.length <= MAX_ARCHIVED_EVIDENCE_BYTES;
    const digest = decision === "refused" && record.evidence ? ` [evidence sha256 0x${createHash("sha256").update(record.evidence).digest("hex")}, ${record.evidence.length} bytes]` : "";
    const evidenceId = storable
      ? archive.recordEvidence({
          evidence: record.evidence!,
          source: KEY_RELEASE_ARCHIVE_SOURCE,
          ...(record.claims ? { claims: record.claims, teeType: record.claims.teeType } : {}),
        }).id
      : undefined;
    const appraisalId = record.appraisal ? archive.recordAppraisal({ appraisal: record.appraisal, ...(evidenceId ? { evidenceId } : {}) }).id : undefined;
    const row = archive.recordKeyRelease({
      decision,
      reasonCodes,
      ...(reason || digest ? { reason: `${(reason ?? "").slice(0, 1000 - digest.length)}${digest}` } : {}),
      requestId: request.nonce,
      circuitId: keyReleaseChannelId(keyId),
      enclaveAddress: request.enclaveAddress,
      ...(record.binding ? { binding: record.binding } : {}),
      ...(evidenceId ? { evidenceId } : {}),
      ...(appraisalId ? { appraisalId } : {}),
    });
    return { keyReleaseId: row.id, ...(evidenceId ? { evidenceId } : {}), ...(appraisalId ? { appraisalId } : {}) };
  });
}
