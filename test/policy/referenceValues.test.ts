import { describe, expect, it } from "vitest";
import { isTeezkError } from "../../src/errors/index.js";
import { parseReferenceValues } from "../../src/policy/index.js";

describe("parseReferenceValues", () => {
  it("refuses malformed reference values with POLICY_INVALID and lists the problems", () => {
    let error: unknown;
    try {
      parseReferenceValues({ version: 1, tee: { TDX: { allowedMeasurements: ["0x12"], extra: true } } });
    } catch (caught) {
      error = caught;
    }
    expect(isTeezkError(error, "POLICY_INVALID")).toBe(true);
    expect((error as Error).message).toContain("tee.TDX.allowedMeasurements.0");
    expect((error as Error).message).toContain("extra");
  });
});
