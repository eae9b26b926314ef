import * as nodeFs from "node:fs";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { isTeezkError } from "../../src/errors/index.js";
import { fixturePath } from "../../src/fixtures/fixturesDir.js";
import { CONFIGFS_TSM_REPORT, collectEvidence, detectTee, type ConfigfsOperations } from "../../src/tee/index.js";

/**
 * A stand-in for the kernel's configfs-tsm (no TEE exists on a build machine): a temporary directory laid
 * out like /sys/kernel/config/tsm/report, where writing `inblob` produces `outblob` (a real quote from the
 * fixtures, with the requested report data recorded) and bumps `generation`, as the kernel does.
 */
function configfsStandIn(provider: string, outblob: Uint8Array): { fs: ConfigfsOperations; inblobs: Uint8Array[] } {
  const inblobs: Uint8Array[] = [];
  const fs: ConfigfsOperations = {
    ...nodeFs,
    mkdirSync: ((path: string) => {
      mkdirSync(path);
      writeFileSync(join(path, "provider"), `${provider}\n`);
      writeFileSync(join(path, "generation"), "0\n");
    }) as typeof nodeFs.mkdirSync,
    writeFileSync: ((path: string, data: Uint8Array | string) => {
      writeFileSync(path, data);
      if (basename(path) === "inblob") {
        inblobs.push(new Uint8Array(typeof data === "string" ? Buffer.from(data) : data));
        const entry = dirname(path);
        writeFileSync(join(entry, "outblob"), outblob);
        const generation = Number(readFileSync(join(entry, "generation"), "utf8"));
        writeFileSync(join(entry, "generation"), `${generation + 1}\n`);
      }
    }) as typeof nodeFs.writeFileSync,
  };
  return { fs, inblobs };
}

const roots: string[] = [];
function fakeRoot(devices: string[]): string {
  const root = mkdtempSync(join(tmpdir(), "teezk-tee-"));
  roots.push(root);
  for (const device of devices) {
    mkdirSync(dirname(join(root, device)), { recursive: true });
    writeFileSync(join(root, device), "");
  }
  mkdirSync(join(root, CONFIGFS_TSM_REPORT), { recursive: true });
  return root;
}
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe("detectTee (stand-in filesystem)", () => {
  it("reports a TDX guest with configfs-tsm as collectable", () => {
    const root = fakeRoot(["dev/tdx_guest"]);
    const detected = detectTee({ root });
    expect(detected.tdx).toBe(true);
    expect(detected.sevSnp).toBe(false);
    expect(detected.configfsTsm.available).toBe(true);
    expect(detected.collectable).toEqual(["tdx"]);
  });

  it("reports nothing on a machine without TEE devices", () => {
    const root = mkdtempSync(join(tmpdir(), "teezk-none-"));
    roots.push(root);
    const detected = detectTee({ root });
    expect(detected).toMatchObject({ tdx: false, sevSnp: false, nitro: false, collectable: [] });
    expect(detected.configfsTsm.available).toBe(false);
  });

  it("reads the NVIDIA driver's confidential-computing flag when present", () => {
    const root = fakeRoot(["dev/nsm"]);
    mkdirSync(join(root, "proc/driver/nvidia/gpus/0000:01:00.0"), { recursive: true });
    writeFileSync(join(root, "proc/driver/nvidia/gpus/0000:01:00.0/information"), "Model: H100\nConfidential Computing: on\n");
    const detected = detectTee({ root });
    expect(detected.nitro).toBe(true);
    expect(detected.nvidiaGpu).toEqual({ present: true, confidentialComputing: true, gpus: ["0000:01:00.0"] });
    expect(detected.collectable).toEqual(["nitro", "nvidia"]);
  });
});

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
    const root = mkdtempSync(join(tmpdir(), "teezk-none-"));
    roots.push(root);
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
