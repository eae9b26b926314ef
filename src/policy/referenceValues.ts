import { readFileSync } from "node:fs";
import { z } from "zod";
import { TeezkError } from "../errors/index.js";
import { MAX_SVN } from "../claims/svnLanes.js";
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
  "rim",
] as const satisfies readonly CheckName[]);

const SNP_PRODUCT_NAMES = ["Milan", "Genoa", "Turin"] as const;
const svnComponent = z.number().int().min(0).max(255);
const snpTcbComponents = z
  .object({ bootloader: svnComponent, tee: svnComponent, snp: svnComponent, microcode: svnComponent, fmc: svnComponent.optional() })
  .strict();

/** Reference values for one TEE type. Every field is data: governance edits a file, not code. */
export const teeReferenceValuesSchema = z
  .object({
    /** Claims.measurement values (DESIGN §2 digests) that are allowed. An empty list allows nothing. */
    allowedMeasurements: z.array(bytes32),
    /** Statuses that pass; UNKNOWN (no collateral) passes only when listed. Default: UP_TO_DATE only. */
    acceptedTcbStatuses: z.array(tcbStatusName).default(["UP_TO_DATE", "NOT_APPLICABLE"]),
    /** Claims.svn lane vector (DESIGN §2, src/claims/svnLanes.ts): every lane of svn must reach its lane here. */
    minSvn: z.number().int().min(0).max(MAX_SVN).default(0),
    /**
     * SEV-SNP minimums per product, by component, keyed by the ARK that anchors the chain (its Claims.rootHash)
     * or by product name (Milan, Genoa, Turin: the pinned ARK of that product). When present, evidence whose
     * root has no entry fails: a Genoa minimum says nothing about a Milan or Turin TCB.
     */
    minTcb: z.record(z.union([bytes32, z.enum(SNP_PRODUCT_NAMES)]), snpTcbComponents).optional(),
    allowDebug: z.boolean().default(false),
    /** Checks required on top of the TEE type's defaults (appraise.ts DEFAULT_REQUIRED_CHECKS). */
    requiredChecks: z.array(checkName).default([]),
    /**
     * The named opt-out: checks the policy accepts as not performed (e.g. revocation when no CRL is served).
     * Every appraisal reports the ones it skipped (`skippedChecks`); nothing is skipped by default.
     */
    skipChecks: z.array(checkName).default([]),
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
