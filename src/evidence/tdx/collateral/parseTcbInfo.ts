import { z } from "zod";
import { TeezkError } from "../../../errors/index.js";
import { advisoryIds, check, date, enclaveTcbLevelSchema, hex, hexOf, intelTcbStatusSchema, svn, toEnclaveTcbLevel } from "./collateralSchema.js";
import type { TcbInfo, TcbLevel } from "./types.js";

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

export type ParseTcbInfoErrorType = TeezkError;

/**
 * Validates and normalises an Intel PCS TCB info body (the value of `tcbInfo`): v2 (SGX only, 16 named
 * component fields) and v3 (`id` SGX/TDX, component arrays, optional TDX module identities). The tcbLevels
 * keep Intel's order, which the TCB evaluation depends on.
 */
export function parseTcbInfo(json: unknown, source: string): TcbInfo {
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
