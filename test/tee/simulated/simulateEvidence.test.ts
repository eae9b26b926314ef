import { createHash, X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyNitroDocument } from "../../../src/evidence/nitro/index.js";
import { verifyDcapQuote } from "../../../src/evidence/tdx/index.js";
import { verifySnpReport } from "../../../src/evidence/sevsnp/index.js";
import { verifyGpuEvidence } from "../../../src/evidence/nvidia/index.js";
import { isTeezkError } from "../../../src/errors/index.js";
import { getDevRoots, simulateEvidence, type DevRoots, type SimulateEvidenceReturnType } from "../../../src/tee/simulated/index.js";
import type { Hex } from "../../../src/util/bytes.js";

/**
 * Simulated evidence of every vendor through the real, unmodified verifiers. Expected values are computed here
 * from the documented default rule (sha384 of "teezk simulated <vendor> <register>") and from fixed byte
 * offsets of each vendor's layout, not taken from the simulator's output.
 */
const binding = `0x${"c0ffee00".repeat(8)}` as Hex;
const high = `0x${"5a".repeat(32)}` as Hex;
const now = new Date("2026-03-01T12:00:00Z");
let dir: string;
let devRoots: DevRoots;

const label = (vendor: string, register: string, length = 48) =>
  createHash(length > 48 ? "sha512" : "sha384").update(`teezk simulated ${vendor} ${register}`).digest().subarray(0, length);
const sha256 = (...parts: Uint8Array[]) => {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return `0x${hash.digest("hex")}`;
};
const rootSha256 = (family: string, name = "root") => sha256(new X509Certificate(readFileSync(join(dir, family, `${name}.crt.pem`))).raw);
const hex = (bytes: Uint8Array) => `0x${Buffer.from(bytes).toString("hex")}`;

function verify(sim: SimulateEvidenceReturnType, trusted: boolean) {
  const common = { evidence: sim.evidence, now, ...(trusted ? { extraTrustedRoots: [sim.trustedRoot] } : {}) };
  switch (sim.vendor) {
    case "nitro":
      return verifyNitroDocument(common);
    case "tdx":
    case "sgx":
      return verifyDcapQuote(common);
    case "sevsnp":
      return verifySnpReport({ ...common, collateral: sim.collateral as never });
    case "nvidia":
      return verifyGpuEvidence({ ...common, ...(sim.collateral ? { collateral: sim.collateral as never } : {}), expectedNonce: binding });
  }
}

function expectCode(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (error) {
    expect(isTeezkError(error) ? error.code : String(error)).toBe(code);
    return;
  }
  throw new Error(`expected ${code}, but it passed`);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "teezk-sim-"));
  devRoots = getDevRoots({ dir });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("simulateEvidence - nitro", () => {
  it("verifies with the dev root trusted: user_data, PCR digest, module id, timestamp, dev root hash", () => {
    const sim = simulateEvidence({ vendor: "nitro", binding, devRoots, now });
    const { claims, registers } = verify(sim, true);
    expect(claims.teeType).toBe(3);
    expect(claims.reportData).toBe(binding);
    expect(claims.measurement).toBe(sha256(label("nitro", "pcr0"), label("nitro", "pcr1"), label("nitro", "pcr2")));
    expect(claims.debug).toBe(false);
    expect(claims.timestamp).toBe(BigInt(now.getTime() / 1000));
    expect(claims.rootHash).toBe(rootSha256("nitro"));
    expect(registers.pcr8).toBe(hex(label("nitro", "pcr8")));
    expect(registers.pcr3).toBe(hex(new Uint8Array(48)));
    expect(`0x${sim.trustedRoot.sha256}`).toBe(rootSha256("nitro"));
  });

  it("is rejected with ROOT_NOT_TRUSTED by the production pins", () => {
    expectCode(() => verify(simulateEvidence({ vendor: "nitro", binding, devRoots, now }), false), "ROOT_NOT_TRUSTED");
  });

  it("debug: every PCR zero, claims.debug true; PCR overrides change the measurement", () => {
    const debug = verify(simulateEvidence({ vendor: "nitro", binding, devRoots, now, debug: true }), true);
    expect(debug.claims.debug).toBe(true);
    expect(debug.claims.measurement).toBe(sha256(new Uint8Array(144)));
    const pcr0 = new Uint8Array(48).fill(7);
    const custom = verify(simulateEvidence({ vendor: "nitro", binding, devRoots, now, registers: { pcr0: hex(pcr0) as Hex } }), true);
    expect(custom.claims.measurement).toBe(sha256(pcr0, label("nitro", "pcr1"), label("nitro", "pcr2")));
  });

  it("the per-document signing certificate lives three hours: verifying a day later is CERT_EXPIRED", () => {
    const sim = simulateEvidence({ vendor: "nitro", binding, devRoots, now });
    expectCode(() => verifyNitroDocument({ evidence: sim.evidence, now: new Date(now.getTime() + 86_400_000), extraTrustedRoots: [sim.trustedRoot] }), "CERT_EXPIRED");
  });
});

describe("simulateEvidence - tdx and sgx", () => {
  it("TDX quote v4 verifies: REPORTDATA = binding ‖ high at body offset 520, measurement per DESIGN §2", () => {
    const sim = simulateEvidence({ vendor: "tdx", binding, reportDataHigh: high, devRoots, now });
    const quote = sim.evidence;
    expect(quote[0]! | (quote[1]! << 8)).toBe(4);
    expect(hex(quote.subarray(48 + 520, 48 + 552))).toBe(binding);
    expect(hex(quote.subarray(48 + 552, 48 + 584))).toBe(high);
    const { claims, registers, checks } = verify(sim, true);
    expect(claims.teeType).toBe(1);
    expect(claims.reportData).toBe(binding);
    const zero = new Uint8Array(48);
    expect(claims.measurement).toBe(sha256(label("tdx", "mrTd"), zero, label("tdx", "rtmr0"), label("tdx", "rtmr1"), label("tdx", "rtmr2")));
    expect(claims.debug).toBe(false);
    expect(claims.svn).toBe(0x0103);
    expect(claims.tcbStatus).toBe(254); // no collateral: UNKNOWN
    expect(claims.rootHash).toBe(rootSha256("intel"));
    expect(claims.platformId).toBe(sha256(new X509Certificate(readFileSync(join(dir, "intel", "pckLeaf.crt.pem"))).raw));
    expect(checks.qeReport).toBe("passed");
    // The PCK leaf carries an SGX extension the collateral code can read.
    expect(registers.fmspc).toBe("0x00dec0de0000");
    expect(registers.pckPceSvn).toBe(13);
  });

  it("TDX debug sets TDATTRIBUTES.DEBUG; overriding MRTD and RTMR2 changes the measurement", () => {
    const mrTd = new Uint8Array(48).fill(1);
    const rtmr2 = new Uint8Array(48).fill(2);
    const sim = simulateEvidence({ vendor: "tdx", binding, devRoots, debug: true, registers: { mrTd: hex(mrTd) as Hex, rtmr2: hex(rtmr2) as Hex } });
    const { claims } = verify(sim, true);
    expect(claims.debug).toBe(true);
    expect(sim.evidence[48 + 16 + 48 + 48 + 8]! & 1).toBe(1);
    expect(claims.measurement).toBe(sha256(mrTd, new Uint8Array(48), label("tdx", "rtmr0"), label("tdx", "rtmr1"), rtmr2));
  });

  it("SGX quote v3 verifies: MRENCLAVE ‖ MRSIGNER digest, report data at body offset 320, debug attribute", () => {
    const sim = simulateEvidence({ vendor: "sgx", binding, devRoots });
    expect(sim.evidence[0]! | (sim.evidence[1]! << 8)).toBe(3);
    expect(hex(sim.evidence.subarray(48 + 320, 48 + 352))).toBe(binding);
    const { claims } = verify(sim, true);
    expect(claims.teeType).toBe(5);
    expect(claims.reportData).toBe(binding);
    expect(claims.measurement).toBe(sha256(label("sgx", "mrEnclave", 32), label("sgx", "mrSigner", 32)));
    expect(claims.debug).toBe(false);
    expect(verify(simulateEvidence({ vendor: "sgx", binding, devRoots, debug: true }), true).claims.debug).toBe(true);
  });

  it("with the simulated Intel collateral: TCB info and QE identity verify, UpToDate, or the chosen status", () => {
    for (const vendor of ["tdx", "sgx"] as const) {
      const sim = simulateEvidence({ vendor, binding, devRoots, now });
      const { claims, checks, advisoryIds } = verifyDcapQuote({ evidence: sim.evidence, now, collateral: sim.collateral as never, extraTrustedRoots: [sim.trustedRoot] });
      expect(claims.tcbStatus).toBe(0);
      expect(checks.tcbInfo).toBe("passed");
      expect(checks.qeIdentity).toBe("passed");
      expect(advisoryIds).toEqual([]);
      const old = simulateEvidence({ vendor, binding, devRoots, now, intelTcbStatus: "OutOfDate" });
      const outdated = verifyDcapQuote({ evidence: old.evidence, now, collateral: old.collateral as never, extraTrustedRoots: [old.trustedRoot] });
      expect(outdated.claims.tcbStatus).toBe(3);
      expect(outdated.advisoryIds).toEqual(["TEEZK-SIM-0001"]);
      // Collateral is current for 30 days only.
      expectCode(
        () => verifyDcapQuote({ evidence: sim.evidence, now: new Date(now.getTime() + 40 * 86_400_000), collateral: sim.collateral as never, extraTrustedRoots: [sim.trustedRoot] }),
        "COLLATERAL_EXPIRED",
      );
    }
  });

  it("both are rejected with ROOT_NOT_TRUSTED by the production pins", () => {
    expectCode(() => verify(simulateEvidence({ vendor: "tdx", binding, devRoots }), false), "ROOT_NOT_TRUSTED");
    expectCode(() => verify(simulateEvidence({ vendor: "sgx", binding, devRoots }), false), "ROOT_NOT_TRUSTED");
  });
});

describe("simulateEvidence - sevsnp", () => {
  it("report v3 verifies with its VCEK/ASK/ARK collateral: REPORT_DATA, MEASUREMENT, chip id, TCB", () => {
    const sim = simulateEvidence({ vendor: "sevsnp", now, binding, reportDataHigh: high, devRoots });
    const report = sim.evidence;
    expect(report.length).toBe(0x4a0);
    expect(hex(report.subarray(0x50, 0x70))).toBe(binding);
    expect(hex(report.subarray(0x70, 0x90))).toBe(high);
    const verified = verify(sim, true);
    const { claims, checks } = verified;
    expect(claims.teeType).toBe(2);
    expect(claims.reportData).toBe(binding);
    expect(claims.measurement).toBe(sha256(label("sevsnp", "measurement")));
    expect(claims.platformId).toBe(sha256(label("sevsnp", "chipId", 64)));
    expect(claims.debug).toBe(false);
    expect(claims.svn).toBe(((7 << 24) | (0 << 16) | (14 << 8) | 72) >>> 0);
    expect(claims.rootHash).toBe(rootSha256("amd", "ark"));
    expect(checks.tcbExtensions).toBe("passed");
    expect((verified as { product?: string }).product).toBe("Genoa");
  });

  it("debug policy bit, another TCB (a matching VCEK is issued), ROOT_NOT_TRUSTED without the pin", () => {
    const debug = simulateEvidence({ vendor: "sevsnp", now, binding, devRoots, debug: true });
    expect(verify(debug, true).claims.debug).toBe(true);
    const newer = simulateEvidence({ vendor: "sevsnp", now, binding, devRoots, snpTcb: { bootloader: 9, tee: 0, snp: 23, microcode: 84 } });
    expect(verify(newer, true).claims.svn).toBe(((9 << 24) | (23 << 8) | 84) >>> 0);
    expectCode(() => verify(newer, false), "ROOT_NOT_TRUSTED");
  });

  it("dev roots are per vendor: the Nitro dev pin does not make AMD evidence trusted", () => {
    const sim = simulateEvidence({ vendor: "sevsnp", now, binding, devRoots });
    const nitroPin = simulateEvidence({ vendor: "nitro", binding, devRoots, now }).trustedRoot;
    expectCode(() => verifySnpReport({ evidence: sim.evidence, now, collateral: sim.collateral as never, extraTrustedRoots: [nitroPin] }), "ROOT_NOT_TRUSTED");
  });
});

describe("simulateEvidence - nvidia", () => {
  it("SPDM report verifies with its chain: nonce = binding at request bytes 4..36, 64 blocks digest", () => {
    // At the verification time: the simulated OCSP answers are current for a day from their issue.
    const sim = simulateEvidence({ vendor: "nvidia", binding, devRoots, now });
    expect(Array.from(sim.evidence.subarray(0, 4))).toEqual([0x11, 0xe0, 0x01, 0xff]);
    expect(hex(sim.evidence.subarray(4, 36))).toBe(binding);
    const { claims, registers } = verify(sim, true);
    expect(claims.teeType).toBe(4);
    expect(claims.reportData).toBe(binding);
    expect(claims.measurement).toBe(sha256(...Array.from({ length: 64 }, (_, i) => label("nvidia", `measurement${i + 1}`))));
    expect(claims.rootHash).toBe(rootSha256("nvidia"));
    expect(registers.fwidCertified).toBe(true);
    expect(registers.fwid).toBe(hex(label("nvidia", "fwid")));
    expect(registers.driverVersion).toBe("550.54.15");
    expect(verify(sim, true).checks).toMatchObject({ rim: "passed", revocation: "passed" });
  });

  it("nvtrust JSON form verifies with its embedded chain (collateral: RIMs and OCSP only); another firmware id gets a leaf certifying it", () => {
    const fwid = new Uint8Array(48).fill(0x42);
    const sim = simulateEvidence({ vendor: "nvidia", binding, devRoots, gpuFormat: "json", registers: { fwid: hex(fwid) as Hex }, now });
    expect((sim.collateral as { certificateChain: unknown[] }).certificateChain).toEqual([]);
    const { claims, registers } = verify(sim, true);
    expect(claims.reportData).toBe(binding);
    expect(registers.fwid).toBe(hex(fwid));
    expect(registers.fwidCertified).toBe(true);
  });

  it("ROOT_NOT_TRUSTED without the pin; GPU_NONCE_MISMATCH for another session's nonce; no debug GPU", () => {
    const sim = simulateEvidence({ vendor: "nvidia", binding, devRoots });
    expectCode(() => verify(sim, false), "ROOT_NOT_TRUSTED");
    expectCode(
      () => verifyGpuEvidence({ evidence: sim.evidence, now, collateral: sim.collateral as never, extraTrustedRoots: [sim.trustedRoot], expectedNonce: `0x${"00".repeat(32)}` }),
      "GPU_NONCE_MISMATCH",
    );
    expectCode(() => simulateEvidence({ vendor: "nvidia", binding, devRoots, debug: true }), "CONFIG_INVALID");
  });
});

describe("simulateEvidence - inputs", () => {
  it("refuses a binding that is not 32 bytes, an unknown register, a register of the wrong length, an unknown vendor", () => {
    expectCode(() => simulateEvidence({ vendor: "nitro", binding: "0x1234", devRoots }), "CONFIG_INVALID");
    expectCode(() => simulateEvidence({ vendor: "tdx", binding, devRoots, registers: { mrtd: `0x${"00".repeat(48)}` } }), "CONFIG_INVALID");
    expectCode(() => simulateEvidence({ vendor: "sgx", binding, devRoots, registers: { mrEnclave: `0x${"00".repeat(48)}` } }), "CONFIG_INVALID");
    expectCode(() => simulateEvidence({ vendor: "sev" as never, binding, devRoots }), "CONFIG_INVALID");
  });

  it("every dev certificate names itself DEV ROOT — NOT FOR PRODUCTION", () => {
    for (const cert of [devRoots.nitro.root, devRoots.intel.pckLeaf, devRoots.amd.ark, devRoots.amd.vcek, devRoots.nvidia.leaf]) {
      expect(cert.certificate.subject).toContain("O=teezk DEV ROOT — NOT FOR PRODUCTION");
    }
  });
});
