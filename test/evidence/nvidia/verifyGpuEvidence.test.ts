import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  appraiseGpuMeasurements,
  loadNvidiaCollateral,
  MAX_GPU_EVIDENCE_BYTES,
  NVIDIA_PINNED_ROOTS,
  parseGpuReport,
  verifyGpuEvidence,
  verifyGpuEvidenceSet,
} from "../../../src/evidence/nvidia/index.js";
import { encodeClaims, TcbStatus, TeeType } from "../../../src/claims/index.js";
import { fixturePath } from "../../../src/fixtures/fixturesDir.js";
import { decodeEvidenceInput } from "../../../src/util/bytes.js";
import { createFakeDevice, type FakeDevice } from "./fakeDevice.js";
import { HOPPER_DIR, PPCIE_JSON, hopperChainPem, hopperReport, layoutOf, pemCertificates, ppcieChainPem, ppcieEntries, ppcieReport, rootDer, sha256 } from "./samples.js";
import { codeOf } from "../../support/rejection.js";

const NOW = new Date("2025-06-01T00:00:00Z");


function hex(bytes: Uint8Array): `0x${string}` {
  return `0x${Buffer.from(bytes).toString("hex")}`;
}

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

describe("verifyGpuEvidenceSet: real nvtrust PPCIe 8×H100 JSON", () => {
  const json = new Uint8Array(readFileSync(fixturePath(PPCIE_JSON)));
  const entries = ppcieEntries();

  it("verifies all 8 GPUs, sharing the JSON's nonce, each with its own leaf", () => {
    const results = verifyGpuEvidenceSet({ evidence: json, now: NOW, expectedNonce: `0x${entries[0]!.nonce}` });
    expect(results).toHaveLength(8);
    results.forEach((result, index) => {
      const report = ppcieReport(index);
      expect(result.claims.reportData).toBe(hex(report.subarray(...layoutOf(report).nonce)));
      expect(result.claims.reportData).toBe(`0x${entries[index]!.nonce.toLowerCase()}`);
      expect(result.claims.platformId).toBe(sha256(pemCertificates(ppcieChainPem(index))[0]!.raw));
      expect(result.claims.rootHash).toBe(sha256(rootDer()));
      expect(result.registers.driverVersion).toBe(entries[index]!.driver_version);
      expect(result.registers.vbiosVersion).toBe(entries[index]!.vbios_version.toUpperCase());
      expect(result.registers.arch).toBe("HOPPER");
      expect(result.registers.gpuIndex).toBe(String(index));
    });
    expect(new Set(results.map((result) => result.claims.platformId)).size).toBe(8);
  });

  it("rejects the whole set as single-GPU evidence", () => {
    expect(codeOf(() => verifyGpuEvidence({ evidence: json, now: NOW }))).toBe("MALFORMED");
  });

  it("rejects a set whose GPUs signed different nonces", () => {
    const mixed = [...entries.slice(0, 3), { arch: "HOPPER", evidence: Buffer.from(hopperReport()).toString("base64"), certificate: Buffer.from(hopperChainPem()).toString("base64") }];
    expect(codeOf(() => verifyGpuEvidenceSet({ evidence: new TextEncoder().encode(JSON.stringify(mixed)), now: NOW }))).toBe("GPU_NONCE_MISMATCH");
  });

  it("rejects a set listing one GPU twice", () => {
    const doubled = [...entries, entries[2]];
    expect(codeOf(() => verifyGpuEvidenceSet({ evidence: new TextEncoder().encode(JSON.stringify(doubled)), now: NOW }))).toBe("GPU_EVIDENCE_SET_INVALID");
  });

  it("rejects an envelope nonce that differs from the signed one, and a wrong expected nonce", () => {
    const tampered = entries.map((entry, index) => (index === 5 ? { ...entry, nonce: "00".repeat(32) } : entry));
    expect(codeOf(() => verifyGpuEvidenceSet({ evidence: new TextEncoder().encode(JSON.stringify(tampered)), now: NOW }))).toBe("GPU_NONCE_MISMATCH");
    expect(codeOf(() => verifyGpuEvidenceSet({ evidence: json, now: NOW, expectedNonce: `0x${"11".repeat(32)}` }))).toBe("GPU_NONCE_MISMATCH");
  });

  it("uses the collateral chain for an entry without one, and fails when it is another GPU's", () => {
    const withoutChain = [{ evidence: entries[1]!.evidence }];
    const bytes = new TextEncoder().encode(JSON.stringify(withoutChain));
    expect(codeOf(() => verifyGpuEvidenceSet({ evidence: bytes, now: NOW }))).toBe("COLLATERAL_MISSING");
    const own = { certificateChain: pemCertificates(ppcieChainPem(1)) };
    expect(verifyGpuEvidenceSet({ evidence: bytes, now: NOW, collateral: own })).toHaveLength(1);
    const other = { certificateChain: pemCertificates(ppcieChainPem(2)) };
    expect(codeOf(() => verifyGpuEvidenceSet({ evidence: bytes, now: NOW, collateral: other }))).toBe("SIGNATURE_INVALID");
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

describe("appraiseGpuMeasurements", () => {
  const raw = hopperReport();
  const layout = layoutOf(raw);
  let verified: ReturnType<typeof verifyGpuEvidence>;
  beforeAll(() => {
    verified = verifyGpuEvidence({ evidence: raw, now: NOW, collateral: loadNvidiaCollateral(fixturePath(HOPPER_DIR)) });
  });
  const valueAt = (index: number) => {
    const block = layout.blocks.find((candidate) => candidate.index === index)!;
    return hex(raw.subarray(block.valueStart, block.valueStart + block.valueSize));
  };

  it("reports no mismatch when every golden index has the reported value among its alternatives", () => {
    const golden = [2, 3, 4].map((index) => ({ index, values: [`0x${"00".repeat(48)}` as const, valueAt(index)] }));
    expect(appraiseGpuMeasurements(verified.registers, golden)).toEqual([]);
  });

  it("accepts parsed blocks as well as registers", () => {
    const blocks = parseGpuReport(raw).response.blocks;
    expect(appraiseGpuMeasurements(blocks, [{ index: 4, values: [valueAt(4)] }])).toEqual([]);
    expect(appraiseGpuMeasurements(blocks, [{ index: 4, values: [valueAt(5)] }])).toHaveLength(valueAt(4) === valueAt(5) ? 0 : 1);
  });

  it("lists wrong values and missing indices", () => {
    const golden = [
      { index: 2, values: [`0x${"11".repeat(48)}` as const] },
      { index: 3, values: [valueAt(3).toUpperCase().replace("0X", "0x") as `0x${string}`] },
      { index: 99, values: [`0x${"22".repeat(48)}` as const] },
    ];
    expect(appraiseGpuMeasurements(verified.registers, golden)).toEqual([
      { index: 2, actual: valueAt(2), expected: golden[0]!.values },
      { index: 99, actual: undefined, expected: golden[2]!.values },
    ]);
  });
});
