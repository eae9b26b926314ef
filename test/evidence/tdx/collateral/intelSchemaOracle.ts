// The zod schema that parseTcbInfo / parseEnclaveIdentity replaced (hand-written readers are ~10x faster on the cold
// path): kept here as the oracle those readers must agree with, accept/refuse and output, on mutated real collateral.
import { z } from "zod";
import { TeezkError } from "../../../../src/errors/index.js";
import { INTEL_TCB_STATUSES } from "../../../../src/evidence/tdx/collateral/intelTcbStatus.js";
import type { EnclaveIdentity, EnclaveTcbLevel, IntelTcbStatus, TcbInfo, TcbLevel } from "../../../../src/evidence/tdx/collateral/types.js";

// Zod pieces shared by the TCB info and enclave identity parsers.


export const svn = z.number().int().min(0).max(255);
export const hexOf = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`), `${bytes} bytes of hex`);
export const date = z.string().refine((text) => !Number.isNaN(Date.parse(text)), "an ISO 8601 date");
export const intelTcbStatusSchema = z.enum(INTEL_TCB_STATUSES);
export const advisoryIds = z.array(z.string().max(64)).max(256).optional();

export const enclaveTcbLevelSchema = z.object({
  tcb: z.object({ isvsvn: z.number().int().min(0).max(0xffff) }),
  tcbDate: date,
  tcbStatus: intelTcbStatusSchema,
  advisoryIDs: advisoryIds,
});

export function toEnclaveTcbLevel(level: z.infer<typeof enclaveTcbLevelSchema>): EnclaveTcbLevel {
  return { isvSvn: level.tcb.isvsvn, tcbDate: level.tcbDate, tcbStatus: level.tcbStatus, advisoryIds: level.advisoryIDs ?? [] };
}

export function check<T extends z.ZodTypeAny>(schema: T, json: unknown, source: string): z.infer<T> {
  const result = schema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new TeezkError("COLLATERAL_INVALID", `${source}: the collateral JSON does not match Intel's schema`, {
      details: issue ? `${issue.path.join(".") || "(root)"}: ${issue.message}` : result.error.message,
    });
  }
  return result.data;
}

export function hex(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, "hex"));
}


// Only each component's svn is read: the default (strip) mode skips copying the other keys that passthrough copied.
const components = z.array(z.object({ svn })).length(16);
const levelV3 = z.object({
  tcb: z.object({ sgxtcbcomponents: components, pcesvn: z.number().int().min(0).max(0xffff), tdxtcbcomponents: components.optional() }),
  tcbDate: date,
  tcbStatus: intelTcbStatusSchema,
  advisoryIDs: advisoryIds,
});
const v2Components = Object.fromEntries(
  Array.from({ length: 16 }, (_, index) => [`sgxtcbcomp${String(index + 1).padStart(2, "0")}svn`, svn]),
) as Record<string, typeof svn>;
const levelV2 = z.object({
  tcb: z.object({ ...v2Components, pcesvn: z.number().int().min(0).max(0xffff) }),
  tcbDate: date,
  tcbStatus: intelTcbStatusSchema,
  advisoryIDs: advisoryIds,
});

const moduleIdentity = z.object({
  id: z.string().regex(/^TDX_[0-9A-Fa-f]{2}$/),
  mrsigner: hexOf(48),
  attributes: hexOf(8),
  attributesMask: hexOf(8),
  tcbLevels: z.array(enclaveTcbLevelSchema).min(1).max(64),
});

const common = {
  issueDate: date,
  nextUpdate: date,
  fmspc: hexOf(6),
  pceId: hexOf(2),
  tcbType: z.number().int().min(0),
  tcbEvaluationDataNumber: z.number().int().min(0),
};
const tcbInfoV2 = z.object({ version: z.literal(2), id: z.undefined().optional(), ...common, tcbLevels: z.array(levelV2).min(1).max(256) });
const tcbInfoV3 = z.object({
  version: z.literal(3),
  id: z.enum(["SGX", "TDX"]),
  ...common,
  tdxModule: z.object({ mrsigner: hexOf(48), attributes: hexOf(8), attributesMask: hexOf(8) }).optional(),
  tdxModuleIdentities: z.array(moduleIdentity).max(64).optional(),
  tcbLevels: z.array(levelV3).min(1).max(256),
});



/**
 * Validates and normalises an Intel PCS TCB info body (the value of `tcbInfo`): v2 (SGX only, 16 named
 * component fields) and v3 (`id` SGX/TDX, component arrays, optional TDX module identities). The tcbLevels
 * keep Intel's order, which the TCB evaluation depends on.
 */
export function oracleParseTcbInfo(json: unknown, source: string): TcbInfo {
  const version = (json as { version?: unknown } | null)?.version;
  if (version !== 2 && version !== 3) {
    throw new TeezkError("COLLATERAL_INVALID", `${source}: TCB info version ${String(version)} is not supported (2 or 3)`);
  }
  if (version === 2) {
    const body = check(tcbInfoV2, json, source);
    return {
      version: 2,
      ...commonFields(body),
      tcbLevels: body.tcbLevels.map((level): TcbLevel => ({
        sgxTcbComponents: Array.from({ length: 16 }, (_, index) => (level.tcb as Record<string, number>)[`sgxtcbcomp${String(index + 1).padStart(2, "0")}svn`]!),
        pceSvn: level.tcb.pcesvn,
        tcbDate: level.tcbDate,
        tcbStatus: level.tcbStatus,
        advisoryIds: level.advisoryIDs ?? [],
      })),
    };
  }
  const body = check(tcbInfoV3, json, source);
  if (body.id === "TDX" && body.tcbLevels.some((level) => !level.tcb.tdxtcbcomponents)) {
    throw new TeezkError("COLLATERAL_INVALID", `${source}: a TDX TCB info level lacks tdxtcbcomponents`);
  }
  const out: TcbInfo = {
    id: body.id,
    version: 3,
    ...commonFields(body),
    tcbLevels: body.tcbLevels.map((level): TcbLevel => ({
      sgxTcbComponents: level.tcb.sgxtcbcomponents.map((component) => component.svn),
      pceSvn: level.tcb.pcesvn,
      ...(level.tcb.tdxtcbcomponents ? { tdxTcbComponents: level.tcb.tdxtcbcomponents.map((component) => component.svn) } : {}),
      tcbDate: level.tcbDate,
      tcbStatus: level.tcbStatus,
      advisoryIds: level.advisoryIDs ?? [],
    })),
  };
  if (body.tdxModule) {
    out.tdxModule = {
      mrsigner: hex(body.tdxModule.mrsigner),
      attributes: hex(body.tdxModule.attributes),
      attributesMask: hex(body.tdxModule.attributesMask),
    };
  }
  if (body.tdxModuleIdentities) {
    out.tdxModuleIdentities = body.tdxModuleIdentities.map((identity) => ({
      id: identity.id.toUpperCase(),
      mrsigner: hex(identity.mrsigner),
      attributes: hex(identity.attributes),
      attributesMask: hex(identity.attributesMask),
      tcbLevels: identity.tcbLevels.map(toEnclaveTcbLevel),
    }));
  }
  return out;
}

function commonFields(body: z.infer<typeof tcbInfoV2> | z.infer<typeof tcbInfoV3>) {
  return {
    issueDate: new Date(body.issueDate),
    nextUpdate: new Date(body.nextUpdate),
    fmspc: hex(body.fmspc),
    pceId: hex(body.pceId),
    tcbType: body.tcbType,
    tcbEvaluationDataNumber: body.tcbEvaluationDataNumber,
  };
}


const enclaveIdentityV2 = z.object({
  id: z.enum(["QE", "TD_QE", "QVE"]),
  version: z.literal(2),
  issueDate: date,
  nextUpdate: date,
  tcbEvaluationDataNumber: z.number().int().min(0),
  miscselect: hexOf(4),
  miscselectMask: hexOf(4),
  attributes: hexOf(16),
  attributesMask: hexOf(16),
  mrsigner: hexOf(32),
  isvprodid: z.number().int().min(0).max(0xffff),
  tcbLevels: z.array(enclaveTcbLevelSchema).min(1).max(256),
});



/**
 * Validates and normalises an Intel PCS enclave identity v2 body (the value of `enclaveIdentity`).
 * MISCSELECT and its mask are hex byte arrays in report byte order, so they become the same little-endian
 * number the report's MISCSELECT field reads as.
 */
export function oracleParseEnclaveIdentity(json: unknown, source: string): EnclaveIdentity {
  const body = check(enclaveIdentityV2, json, source);
  return {
    id: body.id,
    version: body.version,
    issueDate: new Date(body.issueDate),
    nextUpdate: new Date(body.nextUpdate),
    tcbEvaluationDataNumber: body.tcbEvaluationDataNumber,
    miscselect: Buffer.from(body.miscselect, "hex").readUInt32LE(0),
    miscselectMask: Buffer.from(body.miscselectMask, "hex").readUInt32LE(0),
    attributes: hex(body.attributes),
    attributesMask: hex(body.attributesMask),
    mrsigner: hex(body.mrsigner),
    isvProdId: body.isvprodid,
    tcbLevels: body.tcbLevels.map(toEnclaveTcbLevel),
  };
}
