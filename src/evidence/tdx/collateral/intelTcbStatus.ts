import { TcbStatus } from "../../../claims/types.js";

/**
 * Intel's TCB status strings (TCB info levels, QE identity levels, TDX module identity levels) and the Claims
 * status byte each becomes (DESIGN §2): the one table the collateral schema, the TCB evaluation and the tests read.
 */
export const INTEL_TCB_STATUS_BYTE = {
  UpToDate: TcbStatus.UP_TO_DATE,
  SWHardeningNeeded: TcbStatus.SW_HARDENING_NEEDED,
  ConfigurationNeeded: TcbStatus.CONFIGURATION_NEEDED,
  ConfigurationAndSWHardeningNeeded: TcbStatus.CONFIGURATION_AND_SW_HARDENING_NEEDED,
  OutOfDate: TcbStatus.OUT_OF_DATE,
  OutOfDateConfigurationNeeded: TcbStatus.OUT_OF_DATE_CONFIGURATION_NEEDED,
  Revoked: TcbStatus.REVOKED,
} as const satisfies Record<string, TcbStatus>;

export type IntelTcbStatus = keyof typeof INTEL_TCB_STATUS_BYTE;

/** In Intel's order, best first. */
export const INTEL_TCB_STATUSES = Object.keys(INTEL_TCB_STATUS_BYTE) as [IntelTcbStatus, ...IntelTcbStatus[]];
