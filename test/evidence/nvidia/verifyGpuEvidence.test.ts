import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  loadNvidiaCollateral,
  MAX_GPU_EVIDENCE_BYTES,
  NVIDIA_PINNED_ROOTS,
  verifyGpuEvidence,
} from "../../../src/evidence/nvidia/index.js";
import { encodeClaims, TcbStatus, TeeType } from "../../../src/claims/index.js";
import { fixturePath } from "../../../src/fixtures/fixturesDir.js";
import { decodeEvidenceInput, toHex as hex } from "../../../src/util/bytes.js";
import { createFakeDevice, type FakeDevice } from "./fakeDevice.js";
import { HOPPER_DIR, hopperChainPem, hopperReport, layoutOf, pemCertificates, rootDer, sha256 } from "./samples.js";
import { codeOf } from "../../support/rejection.js";

const NOW = new Date("2025-06-01T00:00:00Z");

describe("verifyGpuEvidence: real nvtrust hopper sample (hex file + cert-chain.pem without final newline)", () => {
  const fileBytes = readFileSync(fixturePath(`${HOPPER_DIR}/attestation-report.hex`));
  const evidence = decodeEvidenceInput(fileBytes, MAX_GPU_EVIDENCE_BYTES).bytes;
  const collateral = loadNvidiaCollateral(fixturePath(HOPPER_DIR));
  const raw = hopperReport();
  const layout = layoutOf(raw);

  it("the pinned fingerprint is the SHA-256 of the shipped root's DER", () => {
    expect(`0x${NVIDIA_PINNED_ROOTS[0]!.sha256}`).toBe(sha256(rootDer()));
    expect(hopperChainPem().endsWith("\n")).toBe(false);
  });

  it("verifies, with claims derived from bytes read independently", () => {
    const verified = verifyGpuEvidence({ evidence, now: NOW, collateral });
    const { claims, registers, checks } = verified;
    expect(claims.teeType).toBe(TeeType.NVIDIA_GPU);
    expect(claims.reportData).toBe(hex(raw.subarray(...layout.nonce)));
    expect(claims.rootHash).toBe(sha256(rootDer()));
    expect(claims.platformId).toBe(sha256(pemCertificates(hopperChainPem())[0]!.raw));
    const values = Buffer.concat(
      [...layout.blocks].sort((a, b) => a.index - b.index).map((block) => raw.subarray(block.valueStart, block.valueStart + block.valueSize)),
    );
    expect(claims.measurement).toBe(sha256(values));
    expect(claims.timestamp).toBe(BigInt(Math.floor(NOW.getTime() / 1000)));
    expect(claims.tcbStatus).toBe(TcbStatus.NOT_APPLICABLE);
    expect(claims.svn).toBe(0);
    expect(claims.debug).toBe(false);
    expect(() => encodeClaims(claims)).not.toThrow();
    expect(registers.measurementBlockCount).toBe(layout.blockCount);
    const block2 = layout.blocks.find((block) => block.index === 2)!;
    expect(registers.measurement2).toBe(hex(raw.subarray(block2.valueStart, block2.valueStart + block2.valueSize)));
    expect(registers.nonce).toBe(claims.reportData);
    expect(registers.fwidCertified).toBe(true);
    expect(typeof registers.driverVersion).toBe("string");
    expect(registers.vbiosVersion).toMatch(/^[0-9A-F]{2}(\.[0-9A-F]{2}){4}$/);
    expect(checks).toEqual({ signature: "passed", certChain: "passed", validity: "passed", revocation: "not_checked", rim: "not_checked" });
  });

  it("verifies at today's date too (certificates run to 9999)", () => {
    expect(codeOf(() => verifyGpuEvidence({ evidence, now: new Date(), collateral }))).toBe("OK");
  });

  it("rejects a time before the intermediates' notBefore with CERT_EXPIRED", () => {
    expect(codeOf(() => verifyGpuEvidence({ evidence, now: new Date("2021-01-01T00:00:00Z"), collateral }))).toBe("CERT_EXPIRED");
  });

  it("accepts the expected nonce and rejects another with GPU_NONCE_MISMATCH", () => {
    const nonce = hex(raw.subarray(...layout.nonce));
    expect(verifyGpuEvidence({ evidence, now: NOW, collateral, expectedNonce: nonce }).claims.reportData).toBe(nonce);
    const other = `0x${"ab".repeat(32)}` as const;
    expect(codeOf(() => verifyGpuEvidence({ evidence, now: NOW, collateral, expectedNonce: other }))).toBe("GPU_NONCE_MISMATCH");
    expect(codeOf(() => verifyGpuEvidence({ evidence, now: NOW, collateral, expectedNonce: "0x1234" }))).toBe("CONFIG_INVALID");
  });

  it("verifies a report carrying one trailing 0x00 after the signature (real-world quirk)", () => {
    const padded = new Uint8Array([...raw, 0]);
    expect(verifyGpuEvidence({ evidence: padded, now: NOW, collateral }).claims.reportData).toBe(hex(raw.subarray(...layout.nonce)));
  });

  it("needs a chain: COLLATERAL_MISSING without one", () => {
    expect(codeOf(() => verifyGpuEvidence({ evidence, now: NOW }))).toBe("COLLATERAL_MISSING");
    expect(codeOf(() => verifyGpuEvidence({ evidence, now: NOW, collateral: { certificateChain: [] } }))).toBe("COLLATERAL_MISSING");
  });

  it("completes a chain that stops below the root from rootCertificates", () => {
    const chain = pemCertificates(hopperChainPem()).slice(0, 4);
    const root = new X509Certificate(rootDer());
    expect(codeOf(() => verifyGpuEvidence({ evidence, now: NOW, collateral: { certificateChain: chain } }))).toBe("CERT_CHAIN_INVALID");
    const verified = verifyGpuEvidence({ evidence, now: NOW, collateral: { certificateChain: chain }, rootCertificates: [root] });
    expect(verified.claims.rootHash).toBe(sha256(rootDer()));
  });

  it("accepts the same report wrapped as a one-GPU JSON document with a base64 PEM chain", () => {
    const json = JSON.stringify([{ arch: "HOPPER", evidence: Buffer.from(raw).toString("base64"), certificate: Buffer.from(hopperChainPem()).toString("base64") }]);
    const verified = verifyGpuEvidence({ evidence: new TextEncoder().encode(json), now: NOW });
    expect(verified.claims.reportData).toBe(hex(raw.subarray(...layout.nonce)));
    expect(verified.registers.arch).toBe("HOPPER");
    const hexForm = JSON.stringify({ evidence_list: [{ evidence: Buffer.from(raw).toString("hex"), certificate: hopperChainPem() }] });
    expect(codeOf(() => verifyGpuEvidence({ evidence: new TextEncoder().encode(hexForm), now: NOW }))).toBe("OK");
  });
});

describe("checks that need an authentic-looking signature (reports re-signed by a test-made root)", () => {
  let fake: FakeDevice;
  beforeAll(() => {
    fake = createFakeDevice();
  });

  function resigned(mutate: (bytes: Uint8Array) => void = () => {}): Uint8Array {
    const raw = hopperReport();
    const signedBytes = raw.slice(0, layoutOf(raw).signature[0]);
    mutate(signedBytes);
    return fake.signReport(signedBytes);
  }

  it("a self-signed root with NVIDIA's name is not trusted (ROOT_NOT_TRUSTED)", () => {
    const collateral = { certificateChain: [fake.leaf(), fake.root] };
    expect(codeOf(() => verifyGpuEvidence({ evidence: resigned(), now: NOW, collateral }))).toBe("ROOT_NOT_TRUSTED");
  });

  it("the same chain passes only when its root is explicitly added, and rootHash then names it", () => {
    const collateral = { certificateChain: [fake.leaf(), fake.root] };
    const verified = verifyGpuEvidence({ evidence: resigned(), now: NOW, collateral, extraTrustedRoots: [{ name: "test root", sha256: fake.rootSha256 }] });
    expect(verified.claims.rootHash).toBe(`0x${fake.rootSha256}`);
    expect(verified.registers.fwidCertified).toBe(false);
  });

  it("a validly signed report for another challenge fails with GPU_NONCE_MISMATCH", () => {
    const collateral = { certificateChain: [fake.leaf(), fake.root] };
    const original = hopperReport().subarray(4, 36);
    const evidence = resigned((bytes) => {
      bytes[4] = bytes[4]! ^ 0xff;
    });
    expect(
      codeOf(() =>
        verifyGpuEvidence({ evidence, now: NOW, collateral, extraTrustedRoots: [{ name: "test", sha256: fake.rootSha256 }], expectedNonce: hex(original) }),
      ),
    ).toBe("GPU_NONCE_MISMATCH");
  });

  it("binds the report FWID to the leaf's TcbInfo FWID: equal passes, different fails with GPU_FWID_MISMATCH", () => {
    const raw = hopperReport();
    const fwidTlv = layoutOf(raw).tlvs.find((tlv) => tlv.type === 20)!;
    const fwid = raw.slice(fwidTlv.valueStart, fwidTlv.end);
    const trusted = [{ name: "test", sha256: fake.rootSha256 }];
    const matching = { certificateChain: [fake.leaf(fwid), fake.root] };
    expect(verifyGpuEvidence({ evidence: resigned(), now: NOW, collateral: matching, extraTrustedRoots: trusted }).registers.fwidCertified).toBe(true);
    const other = fwid.slice();
    other[0] = other[0]! ^ 1;
    const mismatching = { certificateChain: [fake.leaf(other), fake.root] };
    expect(codeOf(() => verifyGpuEvidence({ evidence: resigned(), now: NOW, collateral: mismatching, extraTrustedRoots: trusted }))).toBe("GPU_FWID_MISMATCH");
  });

  it("the real leaf certifies the real report's FWID (the 48 bytes occur in its DER)", () => {
    const raw = hopperReport();
    const fwidTlv = layoutOf(raw).tlvs.find((tlv) => tlv.type === 20)!;
    const leafDer = pemCertificates(hopperChainPem())[0]!.raw;
    expect(leafDer.includes(Buffer.from(raw.subarray(fwidTlv.valueStart, fwidTlv.end)))).toBe(true);
  });
});

