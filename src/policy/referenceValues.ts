import { readFileSync } from "node:fs";
import { z } from "zod";
import { TeezkError } from "../errors/index.js";
import { TcbStatus, TeeType, type CheckName, type TcbStatusName, type TeeTypeName } from "../claims/types.js";

const bytes32 = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, "expected a 0x-prefixed 32-byte hex string")
  .transform((value) => value.toLowerCase() as `0x${string}`);

const teeTypeKey = z.enum(Object.keys(TeeType) as [TeeTypeName, ...TeeTypeName[]]);
const tcbStatusName = z.enum(Object.keys(TcbStatus) as [TcbStatusName, ...TcbStatusName[]]);
const checkName = z.enum([
  "signature",
  "certChain",
  "validity",
  "qeReport",
  "tcbInfo",
  "qeIdentity",
  "pckRevocation",
  "rootRevocation",
  "tcbExtensions",
  "revocation",
] as const satisfies readonly CheckName[]);

/** Reference values for one TEE type. Every field is data: governance edits a file, not code. */
export const teeReferenceValuesSchema = z
  .object({
    /** Claims.measurement values (DESIGN §2 digests) that are allowed. An empty list allows nothing. */
    allowedMeasurements: z.array(bytes32),
    /** Statuses that pass; UNKNOWN (no collateral) passes only when listed. Default: UP_TO_DATE only. */
    acceptedTcbStatuses: z.array(tcbStatusName).default(["UP_TO_DATE", "NOT_APPLICABLE"]),
    minSvn: z.number().int().min(0).max(0xffffffff).default(0),
    allowDebug: z.boolean().default(false),
    /** Verification steps that must have run (e.g. tcbInfo, qeIdentity, pckRevocation for DCAP). */
    requiredChecks: z.array(checkName).default([]),
    /** Claims.rootHash values accepted; omitted means any root the verifier pinned. */
    allowedRoots: z.array(bytes32).optional(),
  })
  .strict();

export const referenceValuesSchema = z
  .object({
    version: z.literal(1),
    /** Maximum age of the evidence in seconds, measured from Claims.timestamp to the appraisal time. */
    maxAgeSeconds: z.number().int().positive().optional(),
    /** The binding the first 32 bytes of report data must carry (DESIGN §3), when the verifier knows it. */
    expectedBinding: bytes32.optional(),
    tee: z.record(teeTypeKey, teeReferenceValuesSchema),
  })
  .strict();

export type ReferenceValues = z.infer<typeof referenceValuesSchema>;
export type ReferenceValuesInput = z.input<typeof referenceValuesSchema>;
export type TeeReferenceValues = z.infer<typeof teeReferenceValuesSchema>;

/** Validates reference values from any JSON value; every schema problem is listed in the error details. */
export function parseReferenceValues(value: unknown): ReferenceValues {
  const result = referenceValuesSchema.safeParse(value);
  if (!result.success) {
    throw new TeezkError("POLICY_INVALID", "The reference values do not match the schema", {
      details: result.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; "),
    });
  }
  return result.data;
}

export function loadReferenceValues(path: string): ReferenceValues {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new TeezkError("POLICY_INVALID", `Cannot read the reference values file ${path}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TeezkError("POLICY_INVALID", `The reference values file ${path} is not JSON`, {
      details: error instanceof Error ? error.message : String(error),
    });
  }
  return parseReferenceValues(json);
}
