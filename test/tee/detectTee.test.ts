import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { detectTee } from "../../src/tee/index.js";
import { emptyRoot, fakeRoot, removeFakeRoots } from "./teeStandIns.js";

afterEach(removeFakeRoots);

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
    const root = emptyRoot();
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
