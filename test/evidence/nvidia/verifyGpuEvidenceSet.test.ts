import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { verifyGpuEvidence, verifyGpuEvidenceSet } from "../../../src/evidence/nvidia/index.js";
import { fixturePath } from "../../../src/fixtures/fixturesDir.js";
import { toHex as hex } from "../../../src/util/bytes.js";
import { codeOf } from "../../support/rejection.js";
import { PPCIE_JSON, hopperChainPem, hopperReport, layoutOf, pemCertificates, ppcieChainPem, ppcieEntries, ppcieReport, rootDer, sha256 } from "./samples.js";

const NOW = new Date("2025-06-01T00:00:00Z");

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
