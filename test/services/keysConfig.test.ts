import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isTeezkError } from "../../src/errors/index.js";
import { loadReleasableKeys } from "../../src/services/keys/index.js";

const policy = { version: 1, tee: { NITRO: { allowedMeasurements: [`0x${"aa".repeat(32)}`] } } };

describe("loadReleasableKeys (teezk serve keys --keys)", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "teezk-keys-config-"));
    writeFileSync(join(dir, "policy.json"), JSON.stringify(policy));
    writeFileSync(join(dir, "raw.key"), Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0x01]));
    writeFileSync(join(dir, "hex.key"), "0x0102\n");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (value: unknown) => {
    const path = join(dir, `keys-${Math.random().toString(16).slice(2)}.json`);
    writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value));
    return path;
  };
  const failure = (fn: () => unknown): string => {
    try {
      fn();
    } catch (error) {
      if (isTeezkError(error)) return error.message;
      throw error;
    }
    return "loaded";
  };

  it("reads material from the environment, a raw or hex file (relative to the keys file) and inline hex; policies inline or by path", () => {
    const path = write({
      version: 1,
      keys: [
        { id: "from-env", material: { env: "K1" }, policy: "policy.json" },
        { id: "raw-file", material: { file: "raw.key" }, policy },
        { id: "hex-file", material: { file: join(dir, "hex.key") }, policy },
        { id: "inline", material: { hex: "0xff" }, policy },
      ],
    });
    const keys = loadReleasableKeys({ path, env: { K1: "0xa1b2" } });
    expect(keys.map((key) => [key.id, Buffer.from(key.material).toString("hex")])).toEqual([
      ["from-env", "a1b2"],
      ["raw-file", "deadbeef0001"],
      ["hex-file", "0102"],
      ["inline", "ff"],
    ]);
    expect(keys[0]!.referenceValues.tee.NITRO!.allowedMeasurements).toEqual(policy.tee.NITRO.allowedMeasurements);
  });

  it("refuses malformed files with CONFIG_INVALID or POLICY_INVALID, and never prints key material", () => {
    const secret = "c0ffeec0ffeec0ffee";
    const cases: Array<[unknown, RegExp]> = [
      ["not json", /^CONFIG_INVALID/],
      [{ version: 2, keys: [] }, /^CONFIG_INVALID/],
      [{ version: 1, keys: [{ id: "a/b", material: { hex: "0x01" }, policy }] }, /^CONFIG_INVALID/],
      [{ version: 1, keys: [{ id: "a", material: { env: "UNSET_VARIABLE" }, policy }] }, /^CONFIG_INVALID.*UNSET_VARIABLE/],
      [{ version: 1, keys: [{ id: "a", material: { env: "BAD" }, policy }] }, /^CONFIG_INVALID: Key a: BAD is not hex/],
      [{ version: 1, keys: [{ id: "a", material: { file: "missing.key" }, policy }] }, /^CONFIG_INVALID/],
      [{ version: 1, keys: [{ id: "a", material: { hex: `0x${secret}` }, policy: { version: 1, tee: { TPM: {} } } }] }, /^POLICY_INVALID/],
      [{ version: 1, keys: [{ id: "a", material: { hex: `0x${secret}` }, policy, extra: true }] }, /^CONFIG_INVALID/],
    ];
    for (const [value, expected] of cases) {
      const message = failure(() => loadReleasableKeys({ path: write(value), env: { BAD: `zz${secret}` } }));
      expect(message).toMatch(expected);
      expect(message).not.toContain(secret);
    }
    expect(failure(() => loadReleasableKeys({ path: join(dir, "absent.json") }))).toMatch(/^CONFIG_INVALID/);
  });
});
