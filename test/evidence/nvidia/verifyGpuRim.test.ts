import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { appraiseGpuRims, NVIDIA_RIM_PINNED_ROOTS, verifyGpuRim } from "../../../src/evidence/nvidia/index.js";
import { parseGpuReport } from "../../../src/evidence/nvidia/parseGpuReport.js";
import { fixturePath } from "../../../src/fixtures/fixturesDir.js";
import { devRootPin, getDevRoots } from "../../../src/tee/simulated/getDevRoots.js";
import { simulateGpuReport } from "../../../src/tee/simulated/simulateGpuReport.js";
import { simulateGpuRim } from "../../../src/tee/simulated/simulateGpuRim.js";
import { codeOf } from "../../support/rejection.js";

/** Every real RIM's signer chain is valid here (the L4 signers expire in mid-2025). */
const NOW = new Date("2024-06-01T00:00:00Z");
const RIMS = "nvidia-gpu/rims";
const DRIVER = "Driver_RIM_test_no_gpu.swidtag";
const VBIOS = "1010_0200_882_96005E0001_PROD.swidtag";
const REAL = [DRIVER, VBIOS, "1010_0200_882_960074001A_PROD.swidtag", "g520_0202_885_96006D0008_PROD.swidtag"];
const BINDING = `0x${"ab".repeat(32)}` as const;

const rimText = (name: string) => readFileSync(fixturePath(`${RIMS}/${name}`), "utf8");
const verifyText = (xml: string, now = NOW) => verifyGpuRim({ rim: new TextEncoder().encode(xml), now, pinnedRoots: NVIDIA_RIM_PINNED_ROOTS });

describe("verifyGpuRim: the four real RIMs", () => {
  it.each(REAL)("%s: XML-DSig (c14n 1.1, ECDSA P-384) and the KeyInfo chain to the pinned NVIDIA RIM root verify", (name) => {
    const rim = verifyText(rimText(name));
    expect(rim.rootName).toBe("NVIDIA CoRIM signing Root CA");
    expect(rim.measurements.length).toBe(64);
    expect(rim.measurements.every((m) => m.values.every((v) => /^[0-9a-f]{96}$/.test(v)))).toBe(true);
  });

  it("reads versions and active indexes as the files state them", () => {
    const driver = verifyText(rimText(DRIVER));
    expect(driver.version).toBe("545.00");
    expect(driver.measurements.filter((m) => m.active).map((m) => m.index)).toEqual([7, ...Array.from({ length: 20 }, (_, i) => 21 + i)]);
    const vbios = verifyText(rimText(VBIOS));
    expect(vbios.version).toBe("96.00.5E.00.01");
    expect(vbios.measurements.find((m) => m.index === 12)!.values.length).toBe(4);
  });

  it("refuses a RIM whose signer has expired at `now` (CERT_EXPIRED)", () => {
    expect(codeOf(() => verifyText(rimText(DRIVER), new Date("2026-12-05T00:00:00Z")))).toBe("CERT_EXPIRED");
  });
});

describe("verifyGpuRim: tampering and signature wrapping", () => {
  const driver = rimText(DRIVER);
  const golden7 = /index="7" active="True" alternatives="1" ns2:Hash0="([0-9a-f]{96})"/.exec(driver)![1]!;
  const attacker = "ee".repeat(48);

  it("one attribute changed (index 6 made active) → RIM_SIGNATURE_INVALID", () => {
    const tampered = driver.replace('index="6" active="False"', 'index="6" active="True"');
    expect(tampered).not.toBe(driver);
    expect(codeOf(() => verifyText(tampered))).toBe("RIM_SIGNATURE_INVALID");
  });

  it("a Hash value changed → RIM_SIGNATURE_INVALID", () => {
    expect(codeOf(() => verifyText(driver.replace(golden7, attacker)))).toBe("RIM_SIGNATURE_INVALID");
  });

  it("the SignatureValue changed → RIM_SIGNATURE_INVALID", () => {
    const tampered = driver.replace(/<ds:SignatureValue>(.)/, (_, c: string) => `<ds:SignatureValue>${c === "A" ? "B" : "A"}`);
    expect(codeOf(() => verifyText(tampered))).toBe("RIM_SIGNATURE_INVALID");
  });

  it("a forged Resource hidden inside the (enveloped, so undigested) Signature is never read → RIM_INVALID", () => {
    const forged = `<ds:Object><ns0:Resource type="Measurement" index="7" active="True" alternatives="1" ns2:Hash0="${attacker}" name="Measurement_7" size="48"/></ds:Object>`;
    const wrapped = driver.replace("</ds:KeyInfo></ds:Signature>", `</ds:KeyInfo>${forged}</ds:Signature>`);
    expect(codeOf(() => verifyText(wrapped))).toBe("RIM_INVALID");
  });

  it("the signature moved into the Payload (the enveloped transform still removes it) → RIM_INVALID", () => {
    const signature = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(driver)![0];
    const moved = driver.replace(signature, "").replace("</ns0:Payload>", `${signature}</ns0:Payload>`);
    expect(codeOf(() => verifyText(moved))).toBe("RIM_INVALID");
  });

  it("the signed document wrapped under a forged root with its own Payload → refused", () => {
    const body = driver.trimEnd().replace(/^<SoftwareIdentity /, "<ns0:Evidence ").replace(/<\/SoftwareIdentity>$/, "</ns0:Evidence>");
    const forgedPayload = `<ns0:Payload><ns0:Resource type="Measurement" index="7" active="True" alternatives="1" ns2:Hash0="${attacker}" size="48"/></ns0:Payload>`;
    const wrapped = driver.trimEnd().replace(/<ns0:Payload[\s\S]*<\/SoftwareIdentity>$/, `${forgedPayload}${body}</SoftwareIdentity>`);
    expect(wrapped).toContain(attacker);
    expect(["RIM_INVALID", "RIM_SIGNATURE_INVALID"]).toContain(codeOf(() => verifyText(wrapped)));
  });

  it("a second signature, a DOCTYPE, an oversized or non-XML file → RIM_INVALID / INPUT_TOO_LARGE", () => {
    const signature = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(driver)![0];
    expect(codeOf(() => verifyText(driver.replace("</SoftwareIdentity>", `${signature}</SoftwareIdentity>`)))).toBe("RIM_INVALID");
    expect(codeOf(() => verifyText(`<!DOCTYPE x [<!ENTITY a "b">]>${driver}`))).toBe("RIM_INVALID");
    expect(codeOf(() => verifyText(driver + " ".repeat(300 * 1024)))).toBe("INPUT_TOO_LARGE");
    expect(codeOf(() => verifyText("not xml at all"))).toBe("RIM_INVALID");
    expect(codeOf(() => verifyText(driver.slice(0, 5000)))).toBe("RIM_INVALID");
  });

  it("a RIM signed under another root (the dev root) → ROOT_NOT_TRUSTED", () => {
    const devRoots = getDevRoots();
    const devRim = simulateGpuRim({ devRoots, version: "545.00", measurements: [{ index: 7, values: [golden7] }] });
    expect(codeOf(() => verifyGpuRim({ rim: devRim, now: NOW, pinnedRoots: NVIDIA_RIM_PINNED_ROOTS }))).toBe("ROOT_NOT_TRUSTED");
    const verified = verifyGpuRim({ rim: devRim, now: NOW, pinnedRoots: [devRootPin(devRoots, "nvidia")] });
    expect(verified.measurements.filter((m) => m.active).map((m) => m.index)).toEqual([7]);
  });
});

describe("appraiseGpuRims: generated reports against the real driver and VBIOS RIMs", () => {
  const devRoots = getDevRoots();
  const driver = verifyText(rimText(DRIVER));
  const vbios = verifyText(rimText(VBIOS));
  /** RIM index k is SPDM measurement block k+1. */
  const registersFrom = (pick: (values: readonly string[]) => string) => {
    const registers: Record<string, `0x${string}`> = {};
    for (const rim of [driver, vbios]) {
      for (const m of rim.measurements) if (m.active) registers[`measurement${m.index + 1}`] = `0x${pick(m.values)}`;
    }
    return registers;
  };
  const report = (registers: Record<string, `0x${string}`>, versions = { driverVersion: "545.00", vbiosVersion: "96.00.5E.00.01" }) =>
    parseGpuReport(simulateGpuReport({ binding: BINDING, devRoots, registers, ...versions }).report);

  it("a report whose every active block is one of the RIMs' alternatives passes (first and last alternative)", () => {
    expect(appraiseGpuRims({ report: report(registersFrom((v) => v[0]!)), driver, vbios })).toMatchObject({ comparedIndexes: 33, driverVersion: "545.00" });
    expect(appraiseGpuRims({ report: report(registersFrom((v) => v[v.length - 1]!)), driver, vbios }).comparedIndexes).toBe(33);
  });

  it("a block that differs from every alternative (VBIOS index 12, driver index 7) → RIM_MISMATCH", () => {
    for (const block of ["measurement13", "measurement8"]) {
      const registers = { ...registersFrom((v) => v[0]!), [block]: `0x${"5a".repeat(48)}` as const };
      expect(codeOf(() => appraiseGpuRims({ report: report(registers), driver, vbios }))).toBe("RIM_MISMATCH");
    }
  });

  it("RIMs for another driver or VBIOS version than the report's → RIM_VERSION_MISMATCH", () => {
    const registers = registersFrom((v) => v[0]!);
    expect(codeOf(() => appraiseGpuRims({ report: report(registers, { driverVersion: "550.54.15", vbiosVersion: "96.00.5E.00.01" }), driver, vbios }))).toBe("RIM_VERSION_MISMATCH");
    expect(codeOf(() => appraiseGpuRims({ report: report(registers, { driverVersion: "545.00", vbiosVersion: "96.00.74.00.1A" }), driver, vbios }))).toBe("RIM_VERSION_MISMATCH");
  });

  it("the driver RIM given as the VBIOS RIM (both active for index 7) → RIM_INVALID", () => {
    expect(codeOf(() => appraiseGpuRims({ report: report(registersFrom((v) => v[0]!)), driver, vbios: driver }))).not.toBe("OK");
  });
});
