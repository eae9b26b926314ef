import { createHash, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TcbStatus, TeeType } from "../../../src/claims/types.js";
import { isTeezkError } from "../../../src/errors/index.js";
import { fixturePath } from "../../../src/fixtures/fixturesDir.js";
import { loadDcapCollateral } from "../../../src/evidence/tdx/collateral/index.js";
import { MAX_DCAP_QUOTE_BYTES, verifyDcapQuote } from "../../../src/evidence/tdx/index.js";
import { decodeEvidenceInput } from "../../../src/util/bytes.js";
import { DCAP_SAMPLES, layoutOf, loadSampleBytes, pemBlocks, slice } from "./dcapSamples.js";

const sha256 = (...parts: Uint8Array[]) => {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return `0x${hash.digest("hex")}`;
};
const INTEL_ROOT_DER = readFileSync(fixturePath("roots/intel-sgx/Intel_SGX_Root_CA.der"));

describe.each(DCAP_SAMPLES)("verifyDcapQuote on $name", (sample) => {
  const bytes = loadSampleBytes(sample);
  const layout = layoutOf(bytes);
  const now = new Date(sample.now);
  const hex = (at: number, length: number) => `0x${slice(bytes, at, length)}`;

  it("verifies signature, chain and QE report as of the sample's date", () => {
    const { claims, checks, advisoryIds } = verifyDcapQuote({ evidence: bytes, now });
    expect(checks).toEqual({
      signature: "passed", certChain: "passed", validity: "passed", qeReport: "passed",
      tcbInfo: "not_checked", qeIdentity: "not_checked", pckRevocation: "not_checked", rootRevocation: "not_checked",
    });
    expect(claims.tcbStatus).toBe(TcbStatus.UNKNOWN);
    expect(advisoryIds).toEqual([]);
    expect(claims.timestamp).toBe(BigInt(Math.floor(now.getTime() / 1000)));
    expect(claims.rootHash).toBe(sha256(INTEL_ROOT_DER));
  });

  it("extracts the fields at the offsets the spec gives", () => {
    const { claims, registers } = verifyDcapQuote({ evidence: bytes, now });
    const view = Buffer.from(bytes);
    expect(registers.quoteVersion).toBe(sample.version);
    expect(view.readUInt16LE(0)).toBe(sample.version);
    expect(registers.qeVendorId).toBe("0x939a7233f79c4ca9940a0db3957f0607");
    expect(registers.userData).toBe(hex(28, 20));
    expect(registers.attestationKey).toBe(hex(layout.attKeyAt, 64));
    expect(registers.qeMrSigner).toBe(hex(layout.qeReportAt + 128, 32));
    expect(registers.qeIsvSvn).toBe(view.readUInt16LE(layout.qeReportAt + 258));
    expect(registers.trailingBytes).toBe(sample.trailing);
    expect(registers.trailingBytes).toBe(bytes.length - layout.end);
    const b = layout.bodyStart;
    if (sample.tee === "tdx") {
      expect(claims.teeType).toBe(TeeType.TDX);
      const fields = { teeTcbSvn: [0, 16], mrSeam: [16, 48], mrSignerSeam: [64, 48], seamAttributes: [112, 8], tdAttributes: [120, 8], xfam: [128, 8],
        mrTd: [136, 48], mrConfigId: [184, 48], mrOwner: [232, 48], mrOwnerConfig: [280, 48], rtmr0: [328, 48], rtmr1: [376, 48],
        rtmr2: [424, 48], rtmr3: [472, 48], reportData: [520, 64] } as const;
      for (const [name, [at, length]] of Object.entries(fields)) expect(registers[name], name).toBe(hex(b + at, length));
      if (sample.version === 5) {
        expect(view.readUInt16LE(48)).toBe(3);
        expect(registers.bodyType).toBe(3);
        expect(registers.teeTcbSvn2).toBe(hex(b + 584, 16));
        expect(registers.mrServiceTd).toBe(hex(b + 600, 48));
      }
      const part = (at: number, length: number) => bytes.subarray(b + at, b + at + length);
      expect(claims.measurement).toBe(sha256(part(136, 48), part(184, 48), part(328, 48), part(376, 48), part(424, 48)));
      expect(claims.reportData).toBe(hex(b + 520, 32));
      expect(claims.svn).toBe(bytes[b + 1]! * 256 + bytes[b]!);
      expect(claims.debug).toBe((bytes[b + 120]! & 1) === 1);
    } else {
      expect(claims.teeType).toBe(TeeType.SGX);
      expect(registers.mrEnclave).toBe(hex(b + 64, 32));
      expect(registers.mrSigner).toBe(hex(b + 128, 32));
      expect(registers.reportData).toBe(hex(b + 320, 64));
      expect(registers.isvProdId).toBe(view.readUInt16LE(b + 256));
      expect(registers.isvSvn).toBe(view.readUInt16LE(b + 258));
      expect(registers.cpuSvn).toBe(hex(b, 16));
      expect(claims.measurement).toBe(sha256(bytes.subarray(b + 64, b + 96), bytes.subarray(b + 128, b + 160)));
      expect(claims.reportData).toBe(hex(b + 320, 32));
      expect(claims.svn).toBe(view.readUInt16LE(b + 258));
      expect(claims.debug).toBe((bytes[b + 48]! & 2) === 2);
    }
  });

  it("matches PROVENANCE: FMSPC in the PCK leaf and its validity window", () => {
    const { claims, registers } = verifyDcapQuote({ evidence: bytes, now });
    const leaf = new X509Certificate(pemBlocks(bytes)[0]!);
    expect(claims.platformId).toBe(sha256(leaf.raw));
    expect(leaf.validFromDate.toISOString().slice(0, 10)).toBe(sample.pckNotBefore);
    expect(leaf.validToDate.toISOString().slice(0, 10)).toBe(sample.pckNotAfter);
    // FMSPC OID 1.2.840.113741.1.13.1.4 followed by OCTET STRING(6): found in the leaf's DER directly.
    const marker = Buffer.from(`060a2a864886f84d010d01040406${sample.fmspc}`, "hex");
    expect(leaf.raw.indexOf(marker)).toBeGreaterThan(0);
    expect(registers.fmspc).toBe(`0x${sample.fmspc.toLowerCase()}`);
  });

  it("accepts the file as stored (hex or binary) through decodeEvidenceInput", () => {
    const decoded = decodeEvidenceInput(new Uint8Array(readFileSync(fixturePath(`${sample.name}/${sample.file}`))), MAX_DCAP_QUOTE_BYTES);
    expect(decoded.encoding).toBe(sample.file.endsWith(".hex") ? "hex" : "binary");
    expect(verifyDcapQuote({ evidence: decoded.bytes, now }).claims.measurement).toBe(verifyDcapQuote({ evidence: bytes, now }).claims.measurement);
  });

  it("is rejected at today's date only if the PCK leaf has expired, and in 2040 always", () => {
    expect(() => verifyDcapQuote({ evidence: bytes, now: new Date("2040-01-01") })).toThrowError(expect.objectContaining({ code: "CERT_EXPIRED" }));
    const today = new Date();
    if (today > new Date(sample.pckNotAfter)) expect(() => verifyDcapQuote({ evidence: bytes, now: today })).toThrow();
    else expect(verifyDcapQuote({ evidence: bytes, now: today }).checks.certChain).toBe("passed");
  });

  it("reports trailing bytes and refuses them when maxTrailingBytes is 0", () => {
    if (sample.trailing === 0) {
      expect(verifyDcapQuote({ evidence: bytes, now, maxTrailingBytes: 0 }).registers.trailingBytes).toBe(0);
      return;
    }
    const error = (() => { try { verifyDcapQuote({ evidence: bytes, now, maxTrailingBytes: 0 }); } catch (e) { return e; } })();
    expect(isTeezkError(error, "TRAILING_DATA")).toBe(true);
    const zero = bytes.subarray(layout.end).every((byte) => byte === 0);
    expect(verifyDcapQuote({ evidence: bytes, now }).registers.trailingNonZero).toBe(!zero);
  });

  it("completes a chain without its root from rootCertificates, still pinned", () => {
    const blocks = pemBlocks(bytes);
    const noRoot = Buffer.from(bytes);
    // Overwrite the root block with spaces: lengths stay valid, the chain now stops at the PCK CA.
    const start = noRoot.indexOf(blocks[2]!, layout.pemAt, "latin1");
    noRoot.fill(0x20, start, start + blocks[2]!.length);
    const mutated = new Uint8Array(noRoot);
    expect(() => verifyDcapQuote({ evidence: mutated, now })).toThrowError(expect.objectContaining({ code: "CERT_CHAIN_INVALID" }));
    const result = verifyDcapQuote({ evidence: mutated, now, rootCertificates: [new X509Certificate(INTEL_ROOT_DER)] });
    expect(result.claims.rootHash).toBe(sha256(INTEL_ROOT_DER));
  });
});

describe("verifyDcapQuote with collateral (Intel PCS layout)", () => {
  const sample = DCAP_SAMPLES.find((candidate) => candidate.name === "tdx/automata-v4-00806f05")!;
  const bytes = loadSampleBytes(sample);
  const collateral = loadDcapCollateral(fixturePath(sample.name));

  it("runs every collateral check and reports a TCB status", () => {
    const { claims, checks } = verifyDcapQuote({ evidence: bytes, now: new Date(sample.now), collateral });
    expect(checks).toMatchObject({ tcbInfo: "passed", qeIdentity: "passed", pckRevocation: "passed", rootRevocation: "passed", signature: "passed" });
    expect(claims.tcbStatus).not.toBe(TcbStatus.UNKNOWN);
  });

  it("refuses stale collateral instead of reporting a status", () => {
    // PROVENANCE: TCB info 2025-07-07..2025-08-06; the PCK is still valid in September.
    expect(() => verifyDcapQuote({ evidence: bytes, now: new Date("2025-09-15T00:00:00Z"), collateral })).toThrowError(
      expect.objectContaining({ code: "COLLATERAL_EXPIRED" }),
    );
  });

  it("refuses collateral of another platform", () => {
    const other = DCAP_SAMPLES.find((candidate) => candidate.name === "tdx/dcapqvl-v4-b0c06f")!;
    const foreign = loadDcapCollateral(fixturePath(other.name));
    expect(() => verifyDcapQuote({ evidence: bytes, now: new Date(other.now), collateral: foreign })).toThrowError(
      expect.objectContaining({ code: "COLLATERAL_MISMATCH" }),
    );
  });
});
