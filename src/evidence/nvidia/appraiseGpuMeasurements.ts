import type { Hex } from "../../util/bytes.js";
import { toHex } from "../../util/bytes.js";
import type { GpuMeasurementBlock } from "./types.js";

/** Golden values for one measurement index: any one of `values` is acceptable (RIMs list alternatives). */
export type GpuGoldenMeasurement = { index: number; values: readonly Hex[] };

export type GpuMeasurementMismatch = {
  index: number;
  /** The reported value, or undefined when the report has no block at this index. */
  actual: Hex | undefined;
  expected: readonly Hex[];
};

export type AppraiseGpuMeasurementsParameters =
  | readonly GpuMeasurementBlock[]
  | Readonly<Record<string, Hex | string | number | boolean>>;

/**
 * Compares the reported measurement blocks with golden values taken from NVIDIA's driver and VBIOS RIMs and
 * returns every index that does not match (empty = all match). The golden values are data the caller supplies:
 * RIM signature checking is NOT done here, since RIMs are not available offline; whoever extracts the
 * values must have verified the RIMs against NVIDIA's RIM root. Indices without a golden entry are not judged,
 * as in nvtrust (RIMs mark some indices inactive).
 *
 * Accepts the parsed blocks or the `registers` of a VerifiedEvidence (`measurement<index>` keys).
 */
export function appraiseGpuMeasurements(
  measurements: AppraiseGpuMeasurementsParameters,
  golden: readonly GpuGoldenMeasurement[],
): GpuMeasurementMismatch[] {
  const actual = reportedValues(measurements);
  const mismatches: GpuMeasurementMismatch[] = [];
  for (const { index, values } of golden) {
    const value = actual.get(index);
    const accepted = values.map((candidate) => candidate.toLowerCase().replace(/^0x/, ""));
    if (value === undefined || !accepted.includes(value.slice(2))) {
      mismatches.push({ index, actual: value, expected: values });
    }
  }
  return mismatches;
}

function reportedValues(measurements: AppraiseGpuMeasurementsParameters): Map<number, Hex> {
  const out = new Map<number, Hex>();
  if (Array.isArray(measurements)) {
    for (const block of measurements as readonly GpuMeasurementBlock[]) out.set(block.index, toHex(block.value));
    return out;
  }
  for (const [key, value] of Object.entries(measurements)) {
    const match = /^measurement(\d+)$/.exec(key);
    if (match && typeof value === "string") out.set(Number(match[1]), value.toLowerCase() as Hex);
  }
  return out;
}
