import * as nodeFs from "node:fs";
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { isTeezkError } from "../../src/errors/index.js";
import { fixturePath } from "../../src/fixtures/fixturesDir.js";
import { collectEvidence, type ConfigfsOperations } from "../../src/tee/index.js";
import { configfsStandIn, emptyRoot, fakeRoot, removeFakeRoots } from "./teeStandIns.js";

afterEach(removeFakeRoots);

describe("collectEvidence via configfs-tsm (stand-in)", () => {
  const quote = new Uint8Array(readFileSync(fixturePath("tdx/dcapqvl-v4-b0c06f/quote.bin")));
  const binding = `0x${"a1".repeat(32)}` as const;

  it("writes binding ‖ high half as the 64-byte inblob and returns the outblob", () => {
    const root = fakeRoot(["dev/tdx_guest"]);
    const standIn = configfsStandIn("tdx_guest", quote);
    const result = collectEvidence({ kind: "tdx", binding, reportDataHigh: `0x${"b2".repeat(32)}`, root, fs: standIn.fs });
    expect(result.evidence).toEqual(quote);
    expect(standIn.inblobs).toHaveLength(1);
    expect(Buffer.from(standIn.inblobs[0]!).toString("hex")).toBe("a1".repeat(32) + "b2".repeat(32));
  });

  it("refuses when configfs-tsm is served by another TEE's provider", () => {
    const root = fakeRoot(["dev/sev-guest"]);
    const standIn = configfsStandIn("sev_guest", quote);
    expect(() => collectEvidence({ kind: "tdx", binding, root, fs: standIn.fs })).toThrow(/served by sev_guest/);
  });

  it("detects a concurrent writer through the generation counter", () => {
    const root = fakeRoot(["dev/tdx_guest"]);
    const standIn = configfsStandIn("tdx_guest", quote);
    const racing: ConfigfsOperations = {
      ...standIn.fs,
      writeFileSync: ((path: string, data: Uint8Array) => {
        standIn.fs.writeFileSync(path, data);
        if (basename(path) === "inblob") standIn.fs.writeFileSync(path, data);
      }) as typeof nodeFs.writeFileSync,
    };
    let error: unknown;
    try {
      collectEvidence({ kind: "tdx", binding, root, fs: racing });
    } catch (caught) {
      error = caught;
    }
    expect(isTeezkError(error, "TEE_UNAVAILABLE")).toBe(true);
    expect((error as Error).message).toContain("written concurrently");
  });

  it("fails with TEE_UNAVAILABLE and instructions when no configfs-tsm exists", () => {
    const root = emptyRoot();
    let error: unknown;
    try {
      collectEvidence({ kind: "sevsnp", binding, root });
    } catch (caught) {
      error = caught;
    }
    expect(isTeezkError(error, "TEE_UNAVAILABLE")).toBe(true);
    expect((error as Error).message).toContain("Linux ≥ 6.7");
  });
});
