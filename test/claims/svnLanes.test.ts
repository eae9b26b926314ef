import { describe, expect, it } from "vitest";
import { packSvnLanes, svnAtLeast } from "../../src/claims/index.js";

describe("svnLanes", () => {
  it("svnAtLeast holds only when every lane does", () => {
    const genoaMin = packSvnLanes([219, 24, 0, 4]);
    expect(svnAtLeast(packSvnLanes([0, 0, 0, 9]), genoaMin)).toBe(false);
    expect(svnAtLeast(packSvnLanes([219, 24, 0, 9]), genoaMin)).toBe(true);
    expect(svnAtLeast(packSvnLanes([219, 24, 0, 4, 0, 1]), packSvnLanes([0, 0, 0, 0, 0, 2]))).toBe(false);
  });
});
