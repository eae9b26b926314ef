/**
 * The real DCAP samples of the shared fixtures, with facts copied from their PROVENANCE.md (FMSPC, PCK
 * validity, a verification date inside the window), and the quote layout written out again here from Intel's
 * specifications, independently of src/evidence/tdx, so tests can slice fields straight from the file.
 */
import { readFileSync } from "node:fs";
import { fixturePath } from "../../../src/fixtures/fixturesDir.js";

export type DcapSample = {
  name: string;
  file: string;
  tee: "tdx" | "sgx";
  version: 3 | 4 | 5;
  /** From PROVENANCE.md: FMSPC and PCK leaf validity (dates only). */
  fmspc: string;
  pckNotBefore: string;
  pckNotAfter: string;
  /** A date inside the PCK window (and the collateral window where there is collateral). */
  now: string;
  /** Trailing bytes after the signature data, per the fixtures README. */
  trailing: number;
  /** dcap-qvl JSON collateral present. */
  dcapqvlCollateral?: boolean;
};

export const DCAP_SAMPLES: readonly DcapSample[] = [
  { name: "tdx/dcapqvl-v4-b0c06f", file: "quote.bin", tee: "tdx", version: 4, fmspc: "B0C06F000000", pckNotBefore: "2025-02-06", pckNotAfter: "2032-02-06", now: "2025-06-20T12:00:00Z", trailing: 70, dcapqvlCollateral: true },
  { name: "tdx/dcapqvl-near-v4-20a06f", file: "quote.hex", tee: "tdx", version: 4, fmspc: "20A06F000000", pckNotBefore: "2025-07-31", pckNotAfter: "2032-07-31", now: "2025-09-03T12:00:00Z", trailing: 70, dcapqvlCollateral: true },
  { name: "tdx/automata-v4-00806f05", file: "quote.bin", tee: "tdx", version: 4, fmspc: "00806F050000", pckNotBefore: "2024-02-14", pckNotAfter: "2031-02-14", now: "2025-07-08T12:00:00Z", trailing: 3065 },
  { name: "tdx/automata-v5-90c06f", file: "quote.bin", tee: "tdx", version: 5, fmspc: "90C06F000000", pckNotBefore: "2024-03-18", pckNotAfter: "2031-03-18", now: "2025-06-06T12:00:00Z", trailing: 0 },
  { name: "tdx/gotdx-spr-e4-v4-50806f", file: "quote.bin", tee: "tdx", version: 4, fmspc: "50806F000000", pckNotBefore: "2022-09-20", pckNotAfter: "2029-09-20", now: "2023-06-20T12:00:00Z", trailing: 39 },
  { name: "tdx/gotdx-cos113-v4-00806f05", file: "quote.bin", tee: "tdx", version: 4, fmspc: "00806F050000", pckNotBefore: "2024-07-02", pckNotAfter: "2031-07-02", now: "2024-08-29T12:00:00Z", trailing: 3065 },
  { name: "tdx/trustee-v4-00a06d08", file: "quote.bin", tee: "tdx", version: 4, fmspc: "00A06D080000", pckNotBefore: "2025-04-08", pckNotAfter: "2032-04-08", now: "2025-10-28T12:00:00Z", trailing: 70 },
  { name: "sgx/dcapqvl-v3-00a06711", file: "quote.bin", tee: "sgx", version: 3, fmspc: "00A067110000", pckNotBefore: "2023-09-20", pckNotAfter: "2030-09-20", now: "2025-06-20T12:00:00Z", trailing: 0, dcapqvlCollateral: true },
  { name: "sgx/automata-v3-00606a", file: "quote.hex", tee: "sgx", version: 3, fmspc: "00606A000000", pckNotBefore: "2024-03-07", pckNotAfter: "2031-03-07", now: "2025-08-16T12:00:00Z", trailing: 0 },
  { name: "sgx/trustee-occlum-v3-00606a", file: "quote.bin", tee: "sgx", version: 3, fmspc: "00606A000000", pckNotBefore: "2023-04-26", pckNotAfter: "2030-04-26", now: "2024-07-01T12:00:00Z", trailing: 0 },
];

/** Raw quote bytes; hex files are decoded here with Buffer, not with the code under test. */
export function loadSampleBytes(sample: DcapSample): Uint8Array {
  const raw = readFileSync(fixturePath(`${sample.name}/${sample.file}`));
  return new Uint8Array(sample.file.endsWith(".hex") ? Buffer.from(raw.toString("latin1").trim(), "hex") : raw);
}

/**
 * Offsets of every field, from the specs: header 48 bytes; v5 adds body type (u16) and size (u32); bodies are
 * 384 (SGX REPORTBODY), 584 (TDX 1.0) or 648 (TDX 1.5) bytes; then u32 signature data length; signature data
 * = sig (64) ‖ attestation key (64) ‖ [v4/v5: cert type 6 (u16) ‖ size (u32)] ‖ QE report (384) ‖
 * QE report sig (64) ‖ auth len (u16) ‖ auth ‖ cert type 5 (u16) ‖ size (u32) ‖ PEM chain.
 */
export type QuoteLayout = {
  version: number;
  teeType: number;
  bodyStart: number;
  bodySize: number;
  sigLenAt: number;
  sigDataLength: number;
  sigAt: number;
  attKeyAt: number;
  outerCertTypeAt?: number;
  qeReportAt: number;
  qeSigAt: number;
  authLenAt: number;
  authAt: number;
  authLength: number;
  certTypeAt: number;
  certSizeAt: number;
  pemAt: number;
  pemLength: number;
  end: number;
};

export function layoutOf(bytes: Uint8Array): QuoteLayout {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.readUInt16LE(0);
  const teeType = view.readUInt32LE(4);
  let bodyStart = 48;
  let bodySize = teeType === 0 ? 384 : 584;
  if (version === 5) {
    bodySize = view.readUInt32LE(50);
    bodyStart = 54;
  }
  const sigLenAt = bodyStart + bodySize;
  const sigDataLength = view.readUInt32LE(sigLenAt);
  const sigAt = sigLenAt + 4;
  const attKeyAt = sigAt + 64;
  let qeReportAt = attKeyAt + 64;
  let outerCertTypeAt: number | undefined;
  if (version !== 3) {
    outerCertTypeAt = qeReportAt;
    qeReportAt += 6;
  }
  const qeSigAt = qeReportAt + 384;
  const authLenAt = qeSigAt + 64;
  const authLength = view.readUInt16LE(authLenAt);
  const authAt = authLenAt + 2;
  const certTypeAt = authAt + authLength;
  const certSizeAt = certTypeAt + 2;
  const pemAt = certSizeAt + 4;
  const pemLength = view.readUInt32LE(certSizeAt);
  return {
    version, teeType, bodyStart, bodySize, sigLenAt, sigDataLength, sigAt, attKeyAt,
    ...(outerCertTypeAt === undefined ? {} : { outerCertTypeAt }),
    qeReportAt, qeSigAt, authLenAt, authAt, authLength, certTypeAt, certSizeAt, pemAt, pemLength,
    end: sigAt + sigDataLength,
  };
}

export const slice = (bytes: Uint8Array, at: number, length: number): string => Buffer.from(bytes.subarray(at, at + length)).toString("hex");

/** Replaces the PEM chain and fixes every length that frames it (inner size, outer size, signature data length). */
export function withPem(bytes: Uint8Array, pem: Uint8Array): Uint8Array {
  const layout = layoutOf(bytes);
  const delta = pem.length - layout.pemLength;
  const out = Buffer.concat([bytes.subarray(0, layout.pemAt), pem, bytes.subarray(layout.pemAt + layout.pemLength, layout.end)]);
  out.writeUInt32LE(pem.length, layout.certSizeAt);
  out.writeUInt32LE(layout.sigDataLength + delta, layout.sigLenAt);
  if (layout.outerCertTypeAt !== undefined) out.writeUInt32LE(out.readUInt32LE(layout.outerCertTypeAt + 2) + delta, layout.outerCertTypeAt + 2);
  return new Uint8Array(out);
}

/** PEM blocks of the chain, as text. */
export function pemBlocks(bytes: Uint8Array): string[] {
  const layout = layoutOf(bytes);
  const text = Buffer.from(bytes.subarray(layout.pemAt, layout.pemAt + layout.pemLength)).toString("latin1");
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/g) ?? [];
}

export const pemOf = (blocks: string[]): Uint8Array => new Uint8Array(Buffer.from(`${blocks.join("")}\0`, "latin1"));
