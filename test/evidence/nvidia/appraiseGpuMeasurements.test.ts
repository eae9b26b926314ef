import { beforeAll, describe, expect, it } from "vitest";
import { appraiseGpuMeasurements, loadNvidiaCollateral, parseGpuReport, verifyGpuEvidence } from "../../../src/evidence/nvidia/index.js";
import { fixturePath } from "../../../src/fixtures/fixturesDir.js";
import { toHex as hex } from "../../../src/util/bytes.js";
import { HOPPER_DIR, hopperReport, layoutOf } from "./samples.js";

const NOW = new Date("2025-06-01T00:00:00Z");

describe("appraiseGpuMeasurements", () => {
  const raw = hopperReport();
  const layout = layoutOf(raw);
  let verified: ReturnType<typeof verifyGpuEvidence>;
  beforeAll(() => {
    verified = verifyGpuEvidence({ evidence: raw, now: NOW, collateral: loadNvidiaCollateral(fixturePath(HOPPER_DIR)) });
  });
  const valueAt = (index: number) => {
    const block = layout.blocks.find((candidate) => candidate.index === index)!;
    return hex(raw.subarray(block.valueStart, block.valueStart + block.valueSize));
  };

  it("reports no mismatch when every golden index has the reported value among its alternatives", () => {
    const golden = [2, 3, 4].map((index) => ({ index, values: [`0x${"00".repeat(48)}` as const, valueAt(index)] }));
    expect(appraiseGpuMeasurements(verified.registers, golden)).toEqual([]);
  });

  it("accepts parsed blocks as well as registers", () => {
    const blocks = parseGpuReport(raw).response.blocks;
    expect(appraiseGpuMeasurements(blocks, [{ index: 4, values: [valueAt(4)] }])).toEqual([]);
    expect(appraiseGpuMeasurements(blocks, [{ index: 4, values: [valueAt(5)] }])).toHaveLength(valueAt(4) === valueAt(5) ? 0 : 1);
  });

  it("lists wrong values and missing indices", () => {
    const golden = [
      { index: 2, values: [`0x${"11".repeat(48)}` as const] },
      { index: 3, values: [valueAt(3).toUpperCase().replace("0X", "0x") as `0x${string}`] },
      { index: 99, values: [`0x${"22".repeat(48)}` as const] },
    ];
    expect(appraiseGpuMeasurements(verified.registers, golden)).toEqual([
      { index: 2, actual: valueAt(2), expected: golden[0]!.values },
      { index: 99, actual: undefined, expected: golden[2]!.values },
    ]);
  });
});
