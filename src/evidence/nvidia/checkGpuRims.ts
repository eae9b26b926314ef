import type { CheckOutcome } from "../../claims/types.js";
import type { PinnedRoot } from "../../util/x509.js";
import { appraiseGpuRims, gpuRimIds } from "./appraiseGpuRims.js";
import type { GpuReport } from "./types.js";
import { verifyGpuRim } from "./verifyGpuRim.js";

export type CheckGpuRimsParameters = {
  report: GpuReport;
  /** RIM bytes by RIM service id (collateral `<id>.swidtag` files). */
  rims: Readonly<Record<string, Uint8Array>> | undefined;
  now: Date;
  pinnedRoots: readonly PinnedRoot[];
};

export type CheckGpuRimsReturnType = { rim: CheckOutcome; registers: Record<string, string | number> };

/**
 * The RIM check of one GPU: with both of its RIMs present (ids from the report), each is verified to the RIM
 * root at `now` and every active measurement compared; any failure throws. Without them the check is
 * "not_checked" and the policy decides (required by default, DEFAULT_REQUIRED_CHECKS).
 */
export function checkGpuRims({ report, rims, now, pinnedRoots }: CheckGpuRimsParameters): CheckGpuRimsReturnType {
  const { opaque } = report.response;
  if (!rims || !opaque.driverVersion || !opaque.vbiosVersion || !opaque.project || !opaque.projectSku || !opaque.chipSku) return { rim: "not_checked", registers: {} };
  const ids = gpuRimIds(report);
  const driverBytes = rims[ids.driver];
  const vbiosBytes = rims[ids.vbios];
  if (!driverBytes || !vbiosBytes) return { rim: "not_checked", registers: {} };
  const driver = verifyGpuRim({ rim: driverBytes, now, pinnedRoots, source: `driver RIM ${ids.driver}` });
  const vbios = verifyGpuRim({ rim: vbiosBytes, now, pinnedRoots, source: `VBIOS RIM ${ids.vbios}` });
  const appraised = appraiseGpuRims({ report, driver, vbios });
  return {
    rim: "passed",
    registers: { rimDriverId: ids.driver, rimVbiosId: ids.vbios, rimComparedIndexes: appraised.comparedIndexes, rimRoot: driver.rootName },
  };
}
