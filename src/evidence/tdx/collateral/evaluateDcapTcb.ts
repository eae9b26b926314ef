import { TcbStatus } from "../../../claims/types.js";
import { TeezkError } from "../../../errors/index.js";
import { bytesEqual } from "../../../util/bytes.js";
import { INTEL_TCB_STATUS_BYTE } from "./intelTcbStatus.js";
import type { EnclaveTcbLevel, IntelTcbStatus, TcbInfo, TcbLevel } from "./types.js";

export type EvaluateDcapTcbParameters = {
  tcbInfo: TcbInfo;
  /** From the PCK certificate: SGX TCB components 1..16 and PCESVN. */
  sgxTcbComponents: readonly number[];
  pceSvn: number;
  teeType: "tdx" | "sgx";
  /** TDX: TEE_TCB_SVN from the TD report (16 bytes). */
  teeTcbSvn?: Uint8Array;
  /** TDX: the TD report's MRSIGNERSEAM (48) and SEAMATTRIBUTES (8), checked against the module identity. */
  tdxModule?: { mrSignerSeam: Uint8Array; seamAttributes: Uint8Array };
  /** The QE identity's TCB level matched by the QE's ISVSVN, when a QE identity was given. */
  qeTcbLevel?: EnclaveTcbLevel;
};

export type EvaluateDcapTcbReturnType = { tcbStatus: TcbStatus; advisoryIds: string[] };
export type EvaluateDcapTcbErrorType = TeezkError;

/**
 * Intel's TCB evaluation (QVL `sgxEvaluateTCB` / `tdxEvaluateTCB`, PCS TCB info v3 spec):
 * 1. the platform level is the first TCB level, in Intel's order, whose SGX components and PCESVN are all
 *    ≤ the PCK certificate's and, for TDX, whose TDX components are ≤ TEE_TCB_SVN (from index 2 when
 *    TEE_TCB_SVN[1], the TDX module major version, is non-zero: those two bytes are the module's own SVNs);
 * 2. TDX with module version > 0: the module identity "TDX_<version hex>" gives a second level, the first
 *    whose isvsvn ≤ TEE_TCB_SVN[0];
 * 3. the QE identity level (matched by the caller) is a further component;
 * 4. components converge into the platform status: any OutOfDate turns UpToDate/SWHardeningNeeded into
 *    OutOfDate and the Configuration* statuses into OutOfDateConfigurationNeeded; any Revoked wins.
 * No platform or module level → TCB_NOT_FOUND. A Revoked level is returned as REVOKED (not thrown), so the
 * claims carry it and the policy rejects it with its own rule.
 */
export function evaluateDcapTcb(params: EvaluateDcapTcbParameters): EvaluateDcapTcbReturnType {
  const { tcbInfo, sgxTcbComponents, pceSvn, teeType, teeTcbSvn, qeTcbLevel } = params;
  if (sgxTcbComponents.length !== 16) throw new TeezkError("INTERNAL", "evaluateDcapTcb needs 16 SGX TCB components");
  if (teeType === "tdx" && teeTcbSvn?.length !== 16) {
    throw new TeezkError("QUOTE_INVALID", "TDX TCB evaluation needs the 16-byte TEE_TCB_SVN of the TD report");
  }
  const moduleVersion = teeType === "tdx" ? teeTcbSvn![1]! : 0;
  const tdxStart = moduleVersion > 0 ? 2 : 0;

  const platform = tcbInfo.tcbLevels.find((level) => {
    if (!atLeast(sgxTcbComponents, level.sgxTcbComponents, 0) || pceSvn < level.pceSvn) return false;
    if (teeType === "sgx") return true;
    return level.tdxTcbComponents !== undefined && atLeast(teeTcbSvn!, level.tdxTcbComponents, tdxStart);
  });
  if (!platform) {
    throw new TeezkError("TCB_NOT_FOUND", `No ${teeType.toUpperCase()} TCB level of FMSPC ${hex(tcbInfo.fmspc)} matches the platform`, {
      details: `PCK SGX components ${sgxTcbComponents.join(",")}, PCESVN ${pceSvn}${teeTcbSvn ? `, TEE_TCB_SVN ${hex(teeTcbSvn)}` : ""}`,
      metaMessages: ["The platform's TCB is older than every level Intel lists: update microcode/BIOS (and the TDX module)."],
    });
  }

  const components: EnclaveTcbLevel[] = [];
  if (teeType === "tdx") {
    const moduleLevel = evaluateTdxModule(tcbInfo, teeTcbSvn!, moduleVersion, params.tdxModule);
    if (moduleLevel) components.push(moduleLevel);
  }
  if (qeTcbLevel) components.push(qeTcbLevel);

  return {
    tcbStatus: converge(platform, components),
    advisoryIds: [...new Set([platform, ...components].flatMap((level) => level.advisoryIds))],
  };
}

function evaluateTdxModule(
  tcbInfo: TcbInfo,
  teeTcbSvn: Uint8Array,
  moduleVersion: number,
  seam: EvaluateDcapTcbParameters["tdxModule"],
): EnclaveTcbLevel | undefined {
  if (moduleVersion === 0) {
    if (seam && tcbInfo.tdxModule) checkSeam(seam, tcbInfo.tdxModule, "tdxModule");
    return undefined;
  }
  const id = `TDX_${moduleVersion.toString(16).toUpperCase().padStart(2, "0")}`;
  const identity = tcbInfo.tdxModuleIdentities?.find((candidate) => candidate.id === id);
  if (!identity) {
    throw new TeezkError("TCB_NOT_FOUND", `The TCB info has no TDX module identity ${id} for TEE_TCB_SVN[1] = ${moduleVersion}`, {
      details: `module identities: ${(tcbInfo.tdxModuleIdentities ?? []).map((candidate) => candidate.id).join(", ") || "none"}`,
    });
  }
  if (seam) checkSeam(seam, identity, id);
  const level = identity.tcbLevels.find((candidate) => teeTcbSvn[0]! >= candidate.isvSvn);
  if (!level) {
    throw new TeezkError("TCB_NOT_FOUND", `No TCB level of TDX module identity ${id} matches module SVN ${teeTcbSvn[0]}`);
  }
  return level;
}

function checkSeam(
  seam: NonNullable<EvaluateDcapTcbParameters["tdxModule"]>,
  identity: { mrsigner: Uint8Array; attributes: Uint8Array; attributesMask: Uint8Array },
  what: string,
): void {
  if (!bytesEqual(seam.mrSignerSeam, identity.mrsigner)) {
    throw new TeezkError("TDX_MODULE_MISMATCH", `MRSIGNERSEAM does not match the TCB info's ${what} mrsigner`, {
      details: `report ${hex(seam.mrSignerSeam)}, expected ${hex(identity.mrsigner)}`,
    });
  }
  const masked = seam.seamAttributes.map((byte, index) => byte & (identity.attributesMask[index] ?? 0));
  if (seam.seamAttributes.length !== identity.attributes.length || !bytesEqual(masked, identity.attributes)) {
    throw new TeezkError("TDX_MODULE_MISMATCH", `SEAMATTRIBUTES do not match the TCB info's ${what} attributes under its mask`);
  }
}

function converge(platform: TcbLevel, components: readonly EnclaveTcbLevel[]): TcbStatus {
  // Intel counts only a component's OutOfDate; OutOfDateConfigurationNeeded on a component is treated the
  // same here because it is at least as out of date.
  const anyOutOfDate = components.some((level) => level.tcbStatus === "OutOfDate" || level.tcbStatus === "OutOfDateConfigurationNeeded");
  const anyRevoked = components.some((level) => level.tcbStatus === "Revoked");
  let status = platform.tcbStatus;
  if (anyOutOfDate) {
    if (status === "UpToDate" || status === "SWHardeningNeeded") status = "OutOfDate";
    else if (status === "ConfigurationNeeded" || status === "ConfigurationAndSWHardeningNeeded") status = "OutOfDateConfigurationNeeded";
  }
  if (anyRevoked) status = "Revoked";
  return INTEL_TCB_STATUS_BYTE[status];
}

/** Every component from `start` on is ≥ the level's; both have 16 entries. */
function atLeast(actual: ArrayLike<number>, required: readonly number[], start: number): boolean {
  if (actual.length !== 16 || required.length !== 16) return false;
  for (let index = start; index < 16; index++) if (actual[index]! < required[index]!) return false;
  return true;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}
