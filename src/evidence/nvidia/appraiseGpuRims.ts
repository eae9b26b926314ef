import { TeezkError } from "../../errors/index.js";
import type { GpuReport } from "./types.js";
import type { VerifiedGpuRim } from "./verifyGpuRim.js";

export type AppraiseGpuRimsParameters = {
  report: GpuReport;
  /** Verified with verifyGpuRim: the driver RIM for the report's driver version. */
  driver: VerifiedGpuRim;
  /** Verified with verifyGpuRim: the VBIOS RIM for the report's board and VBIOS version. */
  vbios: VerifiedGpuRim;
};

export type AppraiseGpuRimsReturnType = { comparedIndexes: number; driverVersion: string; vbiosVersion: string };

/** RIM ids as NVIDIA's RIM service names them, derived from the report's signed opaque data. */
export function gpuRimIds(report: GpuReport): { driver: string; vbios: string } {
  const { driverVersion, vbiosVersion, project, projectSku, chipSku } = report.response.opaque;
  if (!driverVersion || !vbiosVersion || !project || !projectSku || !chipSku) {
    throw new TeezkError("COLLATERAL_MISSING", "The GPU report lacks the driver version, VBIOS version, project, project SKU or chip SKU its RIM ids are made of");
  }
  return {
    driver: `NV_GPU_DRIVER_GH100_${driverVersion}`,
    vbios: `NV_GPU_VBIOS_${project}_${projectSku}_${chipSku}_${vbiosVersion.replace(/\./g, "").toUpperCase()}`,
  };
}

/**
 * Compares the report with its two RIMs as nvtrust does: the driver RIM must be for the report's driver version
 * and the VBIOS RIM for its VBIOS version; an index may be active in at most one of them; every active index k
 * needs SPDM measurement block k+1 in the report, equal to one of that index's alternatives. Every mismatching
 * index is listed in one RIM_MISMATCH. Inactive indexes are not judged (the RIMs hold placeholders there).
 */
export function appraiseGpuRims({ report, driver, vbios }: AppraiseGpuRimsParameters): AppraiseGpuRimsReturnType {
  const { driverVersion, vbiosVersion } = report.response.opaque;
  const same = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.toLowerCase();
  if (!same(driverVersion, driver.version) || !same(vbiosVersion, vbios.version)) {
    throw new TeezkError("RIM_VERSION_MISMATCH", "The RIMs are not for the GPU report's driver and VBIOS versions", {
      details: `report driver ${driverVersion ?? "absent"}, VBIOS ${vbiosVersion ?? "absent"}; RIMs driver ${driver.version}, VBIOS ${vbios.version}`,
    });
  }
  const golden = new Map<number, readonly string[]>();
  for (const [name, rim] of [["driver", driver], ["VBIOS", vbios]] as const) {
    for (const measurement of rim.measurements) {
      if (!measurement.active) continue;
      if (golden.has(measurement.index)) {
        throw new TeezkError("RIM_INVALID", `Measurement index ${measurement.index} is active in both the driver and the VBIOS RIM (the ${name} RIM is the second)`);
      }
      golden.set(measurement.index, measurement.values);
    }
  }
  const actual = new Map(report.response.blocks.map((block) => [block.index, Buffer.from(block.value).toString("hex")]));
  const mismatches: string[] = [];
  for (const [index, values] of golden) {
    const value = actual.get(index + 1);
    if (value === undefined || !values.includes(value)) mismatches.push(`index ${index}: ${value === undefined ? "no block" : `0x${value}`}, expected one of ${values.length}`);
  }
  if (mismatches.length > 0) {
    throw new TeezkError("RIM_MISMATCH", `${mismatches.length} active GPU measurement(s) match none of their RIM golden values`, { details: mismatches.join("; ") });
  }
  return { comparedIndexes: golden.size, driverVersion: driver.version, vbiosVersion: vbios.version };
}
