import { describe, expect, it } from "vitest";
import { collectEvidence } from "../../src/tee/index.js";

describe("collectEvidence via helper commands", () => {
  const binding = `0x${"c3".repeat(32)}` as const;

  it("runs the configured Nitro helper with the hex binding", () => {
    const calls: Array<[string, string[]]> = [];
    const result = collectEvidence({
      kind: "nitro",
      binding,
      env: { TEEZK_NITRO_ATTEST_CMD: "/opt/nsm-attest" },
      runCommand: (command, args) => {
        calls.push([command, args]);
        return new Uint8Array([0x84, 0x44]);
      },
    });
    expect(calls).toEqual([["/opt/nsm-attest", [binding]]]);
    expect(result.evidence).toEqual(new Uint8Array([0x84, 0x44]));
  });

  it("says which variable to set when no helper is configured", () => {
    expect(() => collectEvidence({ kind: "nvidia", binding, env: {} })).toThrow(/TEEZK_NVIDIA_ATTEST_CMD/);
  });
});
