import { describe, expect, it } from "vitest";
import { encodeChannelContext } from "../../src/channel/index.js";
import { isTeezkError } from "../../src/errors/index.js";

const binding = `0x${"ab".repeat(32)}` as const;

describe("encodeChannelContext", () => {
  it("lays out info = 'teezk/v1/witness' ‖ binding and aad = u16 len ‖ circuitId ‖ u16 len ‖ requestId", () => {
    const { info, aad } = encodeChannelContext({ binding, circuitId: "membership", requestId: "r1" });
    // Built by hand from the documented layout, independently of the implementation.
    const expectedInfo = Buffer.concat([Buffer.from("teezk/v1/witness", "ascii"), Buffer.alloc(32, 0xab)]);
    const expectedAad = Buffer.concat([Buffer.from([0x00, 0x0a]), Buffer.from("membership"), Buffer.from([0x00, 0x02]), Buffer.from("r1")]);
    expect(Buffer.from(info).equals(expectedInfo)).toBe(true);
    expect(info).toHaveLength(48);
    expect(Buffer.from(aad).equals(expectedAad)).toBe(true);
  });

  it("is injective where plain concatenation would not be", () => {
    const a = encodeChannelContext({ binding, circuitId: "ab", requestId: "c" }).aad;
    const b = encodeChannelContext({ binding, circuitId: "a", requestId: "bc" }).aad;
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  it("counts UTF-8 bytes, not characters", () => {
    const { aad } = encodeChannelContext({ binding, circuitId: "é", requestId: "x" });
    expect([...aad.subarray(0, 4)]).toEqual([0x00, 0x02, 0xc3, 0xa9]);
    expect(() => encodeChannelContext({ binding, circuitId: "é".repeat(129), requestId: "x" })).toThrow(
      expect.objectContaining({ code: "CHANNEL_PARAMETERS_INVALID" }),
    );
  });

  it("rejects a binding that is not 32 bytes of hex", () => {
    for (const bad of ["0x", `0x${"ab".repeat(31)}`, `${"ab".repeat(32)}`, `0x${"zz".repeat(32)}`]) {
      try {
        encodeChannelContext({ binding: bad as `0x${string}`, circuitId: "c", requestId: "r" });
        expect.unreachable(bad);
      } catch (error) {
        expect(isTeezkError(error, "CHANNEL_PARAMETERS_INVALID")).toBe(true);
      }
    }
  });
});
