import { X509Certificate, createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fixturePath } from "../../../src/fixtures/fixturesDir.js";

/**
 * Test helpers: the two real NVIDIA samples read in place, and the report layout computed from fixed SPDM 1.1
 * offsets (DSP0274) with plain Buffer reads — independent of src/evidence/nvidia's parser, so tests can check
 * the parser's output against it.
 */
export const HOPPER_DIR = "nvidia-gpu/nvtrust-hopper-sample";
export const PPCIE_JSON = "nvidia-gpu/nvtrust-ppcie-8xh100/gpu_evidence.json";

export function hopperReport(): Uint8Array {
  const hex = readFileSync(fixturePath(`${HOPPER_DIR}/attestation-report.hex`), "latin1").replace(/\s+/g, "");
  return new Uint8Array(Buffer.from(hex, "hex"));
}

export function hopperChainPem(): string {
  return readFileSync(fixturePath(`${HOPPER_DIR}/cert-chain.pem`), "latin1");
}

export type PpcieEntry = { arch: string; certificate: string; driver_version: string; evidence: string; nonce: string; vbios_version: string; version: string };

export function ppcieEntries(): PpcieEntry[] {
  return JSON.parse(readFileSync(fixturePath(PPCIE_JSON), "utf8")) as PpcieEntry[];
}

export function ppcieReport(index: number): Uint8Array {
  return new Uint8Array(Buffer.from(ppcieEntries()[index]!.evidence, "base64"));
}

export function ppcieChainPem(index: number): string {
  return Buffer.from(ppcieEntries()[index]!.certificate, "base64").toString("latin1");
}

export function rootDer(): Buffer {
  return new X509Certificate(readFileSync(fixturePath("roots/nvidia/nvidia_device_identity_ca.pem"))).raw;
}

export function pemCertificates(pem: string): X509Certificate[] {
  return (pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []).map((block) => new X509Certificate(block));
}

export function sha256(bytes: Uint8Array): `0x${string}` {
  return `0x${createHash("sha256").update(bytes).digest("hex")}`;
}

export type BlockLayout = { index: number; start: number; valueStart: number; valueSize: number; end: number };

/** Byte offsets of every field, read directly from the buffer by the SPDM 1.1 table. */
export type ReportLayout = {
  nonce: [number, number];
  responseStart: number;
  blockCount: number;
  recordLengthAt: number;
  recordStart: number;
  recordEnd: number;
  blocks: BlockLayout[];
  responseNonce: [number, number];
  opaqueLengthAt: number;
  opaque: [number, number];
  tlvs: { type: number; start: number; valueStart: number; end: number }[];
  signature: [number, number];
};

export function layoutOf(report: Uint8Array): ReportLayout {
  const b = Buffer.from(report);
  const responseStart = 37;
  const blockCount = b[responseStart + 4]!;
  const recordLengthAt = responseStart + 5;
  const recordLength = b.readUIntLE(recordLengthAt, 3);
  const recordStart = responseStart + 8;
  const recordEnd = recordStart + recordLength;
  const blocks: BlockLayout[] = [];
  let at = recordStart;
  for (let n = 0; n < blockCount; n++) {
    const size = b.readUInt16LE(at + 2);
    blocks.push({ index: b[at]!, start: at, valueStart: at + 7, valueSize: b.readUInt16LE(at + 5), end: at + 4 + size });
    at += 4 + size;
  }
  const responseNonce: [number, number] = [recordEnd, recordEnd + 32];
  const opaqueLengthAt = recordEnd + 32;
  const opaqueStart = opaqueLengthAt + 2;
  const opaqueEnd = opaqueStart + b.readUInt16LE(opaqueLengthAt);
  const tlvs: ReportLayout["tlvs"] = [];
  for (let t = opaqueStart; t < opaqueEnd; ) {
    const end = t + 4 + b.readUInt16LE(t + 2);
    tlvs.push({ type: b.readUInt16LE(t), start: t, valueStart: t + 4, end });
    t = end;
  }
  return {
    nonce: [4, 36],
    responseStart,
    blockCount,
    recordLengthAt,
    recordStart,
    recordEnd,
    blocks,
    responseNonce,
    opaqueLengthAt,
    opaque: [opaqueStart, opaqueEnd],
    tlvs,
    signature: [opaqueEnd, opaqueEnd + 96],
  };
}
