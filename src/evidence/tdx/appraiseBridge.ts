// TEMPORARY until src/evidence/tdx/collateral/ exports appraiseDcapCollateral.
import type { X509Certificate } from "node:crypto";
import type { Checks, TcbStatus } from "../../claims/types.js";
import { TeezkError } from "../../errors/index.js";
import type { DcapCollateral } from "./collateral/types.js";

export function appraiseDcapCollateral(_params: {
  collateral: DcapCollateral;
  pckChain: X509Certificate[];
  qeReport: { miscselect: number; attributes: Uint8Array; mrsigner: Uint8Array; isvProdId: number; isvSvn: number };
  teeType: "tdx" | "sgx";
  teeTcbSvn?: Uint8Array;
  now: Date;
}): { tcbStatus: TcbStatus; advisoryIds: string[]; checks: Checks } {
  throw new TeezkError("INTERNAL", "collateral appraisal is not available yet");
}
