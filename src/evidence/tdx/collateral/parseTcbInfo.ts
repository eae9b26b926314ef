import { TeezkError } from "../../../errors/index.js";
import { IntelJsonReader } from "./intelJsonFields.js";
import type { TcbInfo, TcbLevel } from "./types.js";

/** TCB info v2 names its 16 SGX components `sgxtcbcomp01svn` … `sgxtcbcomp16svn`. */
const V2_COMPONENT_KEYS = Array.from({ length: 16 }, (_, index) => `sgxtcbcomp${String(index + 1).padStart(2, "0")}svn`);
const MAX_TCB_LEVELS = 256;
const MAX_MODULE_IDENTITIES = 64;
const MAX_MODULE_TCB_LEVELS = 64;
const TDX_MODULE_ID = /^TDX_[0-9A-Fa-f]{2}$/;

export type ParseTcbInfoErrorType = TeezkError;

/**
 * Validates and normalises an Intel PCS TCB info body (the value of `tcbInfo`): v2 (SGX only, no `id`, 16 named
 * component fields) and v3 (`id` SGX/TDX, component arrays, optional TDX module and module identities). The
 * tcbLevels keep Intel's order, which the TCB evaluation depends on. Anything else is COLLATERAL_INVALID.
 */
export function parseTcbInfo(json: unknown, source: string): TcbInfo {
  const version = (json as { version?: unknown } | null)?.version;
  if (version !== 2 && version !== 3) {
    throw new TeezkError("COLLATERAL_INVALID", `${source}: TCB info version ${String(version)} is not supported (2 or 3)`);
  }
  const read = new IntelJsonReader(source);
  const body = read.object(json, "");
  if (version === 2 && body.id !== undefined) read.fail("id", "TCB info v2 has no id");
  const id = version === 3 ? read.oneOf(body.id, "id", ["SGX", "TDX"] as const) : undefined;
  const out: TcbInfo = {
    ...(id ? { id } : {}),
    version,
    issueDate: read.date(body.issueDate, "issueDate"),
    nextUpdate: read.date(body.nextUpdate, "nextUpdate"),
    fmspc: read.hex(body.fmspc, "fmspc", 6),
    pceId: read.hex(body.pceId, "pceId", 2),
    tcbType: read.integer(body.tcbType, "tcbType", 0),
    tcbEvaluationDataNumber: read.integer(body.tcbEvaluationDataNumber, "tcbEvaluationDataNumber", 0),
    tcbLevels: [],
  };
  if (version === 3) readTdxModule(read, body, out);
  const levels = read.array(body.tcbLevels, "tcbLevels", 1, MAX_TCB_LEVELS);
  out.tcbLevels = levels.map((level, index) => (version === 2 ? readLevelV2 : readLevelV3)(read, level, `tcbLevels.${index}`));
  if (id === "TDX" && out.tcbLevels.some((level) => !level.tdxTcbComponents)) {
    throw new TeezkError("COLLATERAL_INVALID", `${source}: a TDX TCB info level lacks tdxtcbcomponents`);
  }
  return out;
}

function readLevelV3(read: IntelJsonReader, value: unknown, path: string): TcbLevel {
  const level = read.object(value, path);
  const tcb = read.object(level.tcb, `${path}.tcb`);
  const out: TcbLevel = {
    sgxTcbComponents: read.svnComponents(tcb.sgxtcbcomponents, `${path}.tcb.sgxtcbcomponents`),
    pceSvn: read.integer(tcb.pcesvn, `${path}.tcb.pcesvn`, 0, 0xffff),
    tcbDate: read.dateText(level.tcbDate, `${path}.tcbDate`),
    tcbStatus: read.tcbStatus(level.tcbStatus, `${path}.tcbStatus`),
    advisoryIds: read.advisoryIds(level.advisoryIDs, `${path}.advisoryIDs`),
  };
  if (tcb.tdxtcbcomponents !== undefined) out.tdxTcbComponents = read.svnComponents(tcb.tdxtcbcomponents, `${path}.tcb.tdxtcbcomponents`);
  return out;
}

function readLevelV2(read: IntelJsonReader, value: unknown, path: string): TcbLevel {
  const level = read.object(value, path);
  const tcb = read.object(level.tcb, `${path}.tcb`);
  return {
    sgxTcbComponents: V2_COMPONENT_KEYS.map((key) => read.integer(tcb[key], `${path}.tcb.${key}`, 0, 255)),
    pceSvn: read.integer(tcb.pcesvn, `${path}.tcb.pcesvn`, 0, 0xffff),
    tcbDate: read.dateText(level.tcbDate, `${path}.tcbDate`),
    tcbStatus: read.tcbStatus(level.tcbStatus, `${path}.tcbStatus`),
    advisoryIds: read.advisoryIds(level.advisoryIDs, `${path}.advisoryIDs`),
  };
}

/** v3's optional `tdxModule` (MRSIGNERSEAM and SEAM attributes) and `tdxModuleIdentities` (one per module major version). */
function readTdxModule(read: IntelJsonReader, body: Record<string, unknown>, out: TcbInfo): void {
  if (body.tdxModule !== undefined) {
    const module = read.object(body.tdxModule, "tdxModule");
    out.tdxModule = {
      mrsigner: read.hex(module.mrsigner, "tdxModule.mrsigner", 48),
      attributes: read.hex(module.attributes, "tdxModule.attributes", 8),
      attributesMask: read.hex(module.attributesMask, "tdxModule.attributesMask", 8),
    };
  }
  if (body.tdxModuleIdentities === undefined) return;
  out.tdxModuleIdentities = read.array(body.tdxModuleIdentities, "tdxModuleIdentities", 0, MAX_MODULE_IDENTITIES).map((value, index) => {
    const path = `tdxModuleIdentities.${index}`;
    const identity = read.object(value, path);
    if (typeof identity.id !== "string" || !TDX_MODULE_ID.test(identity.id)) read.fail(`${path}.id`, "expected TDX_ and two hex digits");
    return {
      id: identity.id.toUpperCase(),
      mrsigner: read.hex(identity.mrsigner, `${path}.mrsigner`, 48),
      attributes: read.hex(identity.attributes, `${path}.attributes`, 8),
      attributesMask: read.hex(identity.attributesMask, `${path}.attributesMask`, 8),
      tcbLevels: read.enclaveTcbLevels(identity.tcbLevels, `${path}.tcbLevels`, MAX_MODULE_TCB_LEVELS),
    };
  });
}
