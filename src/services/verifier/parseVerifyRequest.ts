import { z } from "zod";
import { TeezkError } from "../../errors/index.js";
import { evidenceKinds, type EvidenceKind } from "../../evidence/detectEvidenceType.js";
import type { VerifyRequestBody } from "./types.js";

export const bytes32Schema = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "expected 0x-prefixed 32-byte hex");

/**
 * The evidence fields of every service request that carries evidence (verify, key release), so both accept the
 * same encodings and kinds.
 */
export const evidenceRequestFields = {
  evidence: z.string().min(1, "evidence is empty"),
  kind: z.enum(evidenceKinds as [EvidenceKind, ...EvidenceKind[]]).optional(),
  gpuEvidence: z.string().min(1).optional(),
};

/**
 * The evidence texts as bytes, as sent: verifyEvidence decodes hex, base64 or vendor JSON itself (with its size
 * caps).
 */
export function evidenceRequestBytes(value: { evidence: string; gpuEvidence?: string | undefined }): { evidenceBytes: Uint8Array; gpuEvidenceBytes?: Uint8Array } {
  return {
    evidenceBytes: new Uint8Array(Buffer.from(value.evidence, "utf8")),
    ...(value.gpuEvidence ? { gpuEvidenceBytes: new Uint8Array(Buffer.from(value.gpuEvidence, "utf8")) } : {}),
  };
}

export const verifyRequestSchema = z
  .object({
    ...evidenceRequestFields,
    expectedBinding: bytes32Schema.optional(),
    at: z
      .string()
      .max(64)
      .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/, "expected an ISO 8601 time such as 2025-06-20T12:00:00Z")
      .optional(),
  })
  .strict();

export type ParseVerifyRequestReturnType = VerifyRequestBody & { evidenceBytes: Uint8Array; gpuEvidenceBytes?: Uint8Array; atDate?: Date };

/**
 * Validates a `POST /v1/verify` body. Unknown fields are refused rather than ignored, so a client that thinks it
 * sent a policy or a time the node does not honour learns so.
 */
export function parseVerifyRequest(body: unknown): ParseVerifyRequestReturnType {
  const parsed = verifyRequestSchema.safeParse(body);
  if (!parsed.success) {
    throw new TeezkError("REQUEST_INVALID", "The verify request does not match the schema", {
      details: parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; "),
    });
  }
  const value = parsed.data as VerifyRequestBody;
  let atDate: Date | undefined;
  if (value.at !== undefined) {
    atDate = new Date(value.at);
    if (Number.isNaN(atDate.getTime())) throw new TeezkError("REQUEST_INVALID", `at is not a valid time: ${value.at}`);
  }
  return {
    ...value,
    ...evidenceRequestBytes(value),
    ...(atDate ? { atDate } : {}),
  };
}
