import type { Hex } from "../util/bytes.js";

/** DESIGN §2 TEE type ids: the `teeType` byte of Claims. */
export const TeeType = {
  TDX: 1,
  SEV_SNP: 2,
  NITRO: 3,
  NVIDIA_GPU: 4,
  SGX: 5,
} as const;
export type TeeType = (typeof TeeType)[keyof typeof TeeType];
export type TeeTypeName = keyof typeof TeeType;

export function teeTypeName(teeType: number): TeeTypeName | undefined {
  return (Object.keys(TeeType) as TeeTypeName[]).find((name) => TeeType[name] === teeType);
}

/**
 * The `tcbStatus` byte. 0–4 and 255 are DESIGN §2; Intel's two combined statuses get their own values (5, 6)
 * rather than being folded into a weaker one, and 254 says no collateral was given, so nobody judged the TCB.
 */
export const TcbStatus = {
  UP_TO_DATE: 0,
  SW_HARDENING_NEEDED: 1,
  CONFIGURATION_NEEDED: 2,
  OUT_OF_DATE: 3,
  REVOKED: 4,
  CONFIGURATION_AND_SW_HARDENING_NEEDED: 5,
  OUT_OF_DATE_CONFIGURATION_NEEDED: 6,
  UNKNOWN: 254,
  NOT_APPLICABLE: 255,
} as const;
export type TcbStatus = (typeof TcbStatus)[keyof typeof TcbStatus];
export type TcbStatusName = keyof typeof TcbStatus;

export function tcbStatusName(status: number): TcbStatusName | undefined {
  return (Object.keys(TcbStatus) as TcbStatusName[]).find((name) => TcbStatus[name] === status);
}

/** The compact record of DESIGN §2: exactly the fields that are ABI-encoded, nothing else. */
export type Claims = {
  teeType: TeeType;
  measurement: Hex;
  reportData: Hex;
  platformId: Hex;
  rootHash: Hex;
  /** Seconds since the epoch. */
  timestamp: bigint;
  tcbStatus: TcbStatus;
  /** uint48 of six 8-bit lanes compared lane by lane (svnLanes.ts). */
  svn: number;
  debug: boolean;
};

/**
 * Which verification steps ran. A failed step throws; a step that could not run for lack of collateral is
 * "not_checked", so a policy can require it (`requiredChecks`).
 */
export type CheckName =
  | "signature"
  | "certChain"
  | "validity"
  | "qeReport"
  | "tcbInfo"
  | "qeIdentity"
  | "pckRevocation"
  | "rootRevocation"
  | "tcbExtensions"
  | "revocation"
  /** NVIDIA: the driver and VBIOS RIMs verified and every active measurement matched. */
  | "rim";
export type CheckOutcome = "passed" | "not_checked";
export type Checks = Partial<Record<CheckName, CheckOutcome>>;

/**
 * What every vendor verifier returns: the Claims, the raw registers for finer off-chain policies (RTMR3,
 * PCR8, HOST_DATA, …, as 0x-hex or plain values), the checks performed and the advisories Intel lists.
 */
export type VerifiedEvidence = {
  claims: Claims;
  registers: Record<string, Hex | string | number | boolean>;
  checks: Checks;
  /** Vendor advisory ids attached to the TCB level (Intel INTEL-SA-…); empty when none or not applicable. */
  advisoryIds: string[];
  /**
   * The product whose pinned production root anchors the chain (SEV-SNP: Milan, Genoa or Turin, the ARK's), so
   * a policy may name per-product minimums by product; absent for vendors with one root and for chains ending at
   * an extra (dev) root. Set only together with `claims.rootHash` of that root.
   */
  rootProduct?: string;
};
