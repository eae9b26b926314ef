/**
 * The mutation corpus: for one real sample, every way the tests break it, each with the error code(s) a
 * correct verifier must give. Generated from the bytes at test time; nothing is written to disk.
 */
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import type { ErrorCode } from "../../../src/errors/codes.js";
import { fixturePath } from "../../../src/fixtures/fixturesDir.js";
import { DCAP_SAMPLES, layoutOf, loadSampleBytes, pemBlocks, pemOf, withPem, type DcapSample } from "./dcapSamples.js";
import type { FakeChain } from "./fakeIntelChain.js";

export type Mutation = { name: string; bytes: Uint8Array; codes: readonly ErrorCode[]; now?: Date };

const STRUCTURE: readonly ErrorCode[] = ["QUOTE_INVALID", "TRUNCATED"];
const MISPARSE: readonly ErrorCode[] = ["QUOTE_INVALID", "TRUNCATED", "TRAILING_DATA"];

function flip(bytes: Uint8Array, at: number, mask = 0x01): Uint8Array {
  const out = new Uint8Array(bytes);
  out[at] = out[at]! ^ mask;
  return out;
}
function writeU16(bytes: Uint8Array, at: number, value: number): Uint8Array {
  const out = Buffer.from(bytes);
  out.writeUInt16LE(value, at);
  return new Uint8Array(out);
}
function writeU32(bytes: Uint8Array, at: number, value: number): Uint8Array {
  const out = Buffer.from(bytes);
  out.writeUInt32LE(value >>> 0, at);
  return new Uint8Array(out);
}
const readU32 = (bytes: Uint8Array, at: number) => Buffer.from(bytes).readUInt32LE(at);

/** Cuts the base64 body of a PEM block in half, keeping its armour: the block still matches, its DER does not. */
function truncatePemBlock(block: string): string {
  const body = block.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "").replace(/\s+/g, "");
  return `-----BEGIN CERTIFICATE-----\n${body.slice(0, Math.floor(body.length / 2) & ~3)}\n-----END CERTIFICATE-----\n`;
}

const certOf = (block: string) => new X509Certificate(block);

let donorCache: { leaves: string[]; intermediates: string[] } | undefined;
function donors(): { leaves: string[]; intermediates: string[] } {
  donorCache ??= {
    leaves: DCAP_SAMPLES.map((sample) => pemBlocks(loadSampleBytes(sample))[0]!),
    intermediates: DCAP_SAMPLES.map((sample) => pemBlocks(loadSampleBytes(sample))[1]!),
  };
  return donorCache;
}

export function mutationsOf(sample: DcapSample, fake: FakeChain): Mutation[] {
  const bytes = loadSampleBytes(sample);
  const layout = layoutOf(bytes);
  const blocks = pemBlocks(bytes);
  const [leafPem, intPem, rootPem] = blocks as [string, string, string];
  const out: Mutation[] = [];
  const add = (name: string, mutated: Uint8Array, codes: ErrorCode | readonly ErrorCode[], now?: Date) =>
    out.push({ name, bytes: mutated, codes: typeof codes === "string" ? [codes] : codes, ...(now ? { now } : {}) });
  const body = layout.bodyStart;

  // ── signed region: header and body ────────────────────────────────────────────────────────
  add("header user data byte", flip(bytes, 47), "SIGNATURE_INVALID");
  add("header QE SVN", flip(bytes, 8), "SIGNATURE_INVALID");
  if (layout.teeType === 0x81) {
    add("TEE_TCB_SVN byte 0", flip(bytes, body + 0), "SIGNATURE_INVALID");
    add("MRSEAM byte", flip(bytes, body + 16), "SIGNATURE_INVALID");
    add("TDATTRIBUTES DEBUG bit set", flip(bytes, body + 120, 0x01), "SIGNATURE_INVALID");
    add("XFAM byte", flip(bytes, body + 128), "SIGNATURE_INVALID");
    add("MRTD first byte", flip(bytes, body + 136), "SIGNATURE_INVALID");
    add("MRTD last byte", flip(bytes, body + 183), "SIGNATURE_INVALID");
    add("MRCONFIGID byte", flip(bytes, body + 184), "SIGNATURE_INVALID");
    add("MROWNER byte", flip(bytes, body + 232), "SIGNATURE_INVALID");
    add("RTMR0 byte", flip(bytes, body + 328), "SIGNATURE_INVALID");
    add("RTMR3 byte", flip(bytes, body + 472 + 47), "SIGNATURE_INVALID");
    add("REPORTDATA first byte", flip(bytes, body + 520), "SIGNATURE_INVALID");
    add("REPORTDATA last byte", flip(bytes, body + 583), "SIGNATURE_INVALID");
  } else {
    add("CPUSVN byte", flip(bytes, body + 0), "SIGNATURE_INVALID");
    add("MISCSELECT byte", flip(bytes, body + 16), "SIGNATURE_INVALID");
    add("ATTRIBUTES DEBUG bit flipped", flip(bytes, body + 48, 0x02), "SIGNATURE_INVALID");
    add("MRENCLAVE first byte", flip(bytes, body + 64), "SIGNATURE_INVALID");
    add("MRENCLAVE last byte", flip(bytes, body + 95), "SIGNATURE_INVALID");
    add("MRSIGNER byte", flip(bytes, body + 128), "SIGNATURE_INVALID");
    add("ISVPRODID byte", flip(bytes, body + 256), "SIGNATURE_INVALID");
    add("ISVSVN byte", flip(bytes, body + 258), "SIGNATURE_INVALID");
    add("REPORTDATA first byte", flip(bytes, body + 320), "SIGNATURE_INVALID");
    add("REPORTDATA last byte", flip(bytes, body + 383), "SIGNATURE_INVALID");
  }
  if (layout.version === 5) {
    add("v5 body type 3 -> 2", writeU16(bytes, 48, 2), "QUOTE_INVALID");
    add("v5 body type 9", writeU16(bytes, 48, 9), "QUOTE_INVALID");
    add("v5 body size + 1", writeU32(bytes, 50, layout.bodySize + 1), "QUOTE_INVALID");
  }

  // ── header fields the parser must refuse ──────────────────────────────────────────────────
  add("version 2", writeU16(bytes, 0, 2), "UNSUPPORTED_VERSION");
  add("version 6", writeU16(bytes, 0, 6), "UNSUPPORTED_VERSION");
  if (layout.version === 3) {
    add("version 3 -> 4 (v4 layout over v3 bytes)", writeU16(bytes, 0, 4), MISPARSE);
    add("v3 with TDX TEE type", writeU32(bytes, 4, 0x81), "QUOTE_INVALID");
  } else {
    add(`version ${layout.version} -> 3`, writeU16(bytes, 0, 3), layout.teeType === 0x81 ? ["QUOTE_INVALID"] : MISPARSE);
    add(`version ${layout.version} -> ${layout.version === 4 ? 5 : 4}`, writeU16(bytes, 0, layout.version === 4 ? 5 : 4), MISPARSE);
    add("TEE type TDX -> SGX", writeU32(bytes, 4, 0), MISPARSE);
  }
  add("TEE type 0x82", writeU32(bytes, 4, 0x82), "QUOTE_INVALID");
  add("attestation key type 3 (P-384)", writeU16(bytes, 2, 3), "UNSUPPORTED_ALGORITHM");
  add("attestation key type 0", writeU16(bytes, 2, 0), "UNSUPPORTED_ALGORITHM");
  add("QE vendor id byte", flip(bytes, 12), "QUOTE_INVALID");

  // ── signature data ────────────────────────────────────────────────────────────────────────
  add("quote signature r byte", flip(bytes, layout.sigAt), "SIGNATURE_INVALID");
  add("quote signature s byte", flip(bytes, layout.sigAt + 63), "SIGNATURE_INVALID");
  add("quote signature zero", new Uint8Array(Buffer.concat([bytes.subarray(0, layout.sigAt), Buffer.alloc(64), bytes.subarray(layout.sigAt + 64)])), "SIGNATURE_INVALID");
  add("attestation key byte", flip(bytes, layout.attKeyAt), "QE_REPORT_INVALID");
  add("attestation key last byte", flip(bytes, layout.attKeyAt + 63), "QE_REPORT_INVALID");
  add("QE report CPUSVN byte", flip(bytes, layout.qeReportAt), "QE_REPORT_INVALID");
  add("QE report MRENCLAVE byte", flip(bytes, layout.qeReportAt + 64), "QE_REPORT_INVALID");
  add("QE report MRSIGNER byte", flip(bytes, layout.qeReportAt + 128), "QE_REPORT_INVALID");
  add("QE report ISVSVN byte", flip(bytes, layout.qeReportAt + 258), "QE_REPORT_INVALID");
  add("QE report data hash byte", flip(bytes, layout.qeReportAt + 320), "QE_REPORT_INVALID");
  add("QE report data zero half byte", flip(bytes, layout.qeReportAt + 383), "QE_REPORT_INVALID");
  add("QE report signature byte", flip(bytes, layout.qeSigAt + 5), "QE_REPORT_INVALID");
  add("QE auth data byte", flip(bytes, layout.authAt), "QE_REPORT_INVALID");
  add("QE auth data length + 1", writeU16(bytes, layout.authLenAt, layout.authLength + 1), STRUCTURE);
  add("QE auth data length - 1", writeU16(bytes, layout.authLenAt, layout.authLength - 1), STRUCTURE);
  add("QE auth data length 0xffff", writeU16(bytes, layout.authLenAt, 0xffff), STRUCTURE);
  add("signature data length + 1", writeU32(bytes, layout.sigLenAt, layout.sigDataLength + 1), STRUCTURE);
  add("signature data length - 1", writeU32(bytes, layout.sigLenAt, layout.sigDataLength - 1), STRUCTURE);
  add("signature data length 0xffffffff", writeU32(bytes, layout.sigLenAt, 0xffffffff), "TRUNCATED");
  add("PCK cert data size + 1", writeU32(bytes, layout.certSizeAt, layout.pemLength + 1), STRUCTURE);
  add("PCK cert data size - 1", writeU32(bytes, layout.certSizeAt, layout.pemLength - 1), STRUCTURE);
  add("PCK cert data type 5 -> 4", writeU16(bytes, layout.certTypeAt, 4), "QUOTE_INVALID");
  if (layout.outerCertTypeAt !== undefined) {
    const outerSize = readU32(bytes, layout.outerCertTypeAt + 2);
    add("QE certification data type 6 -> 5", writeU16(bytes, layout.outerCertTypeAt, 5), "QUOTE_INVALID");
    add("QE certification data size + 1", writeU32(bytes, layout.outerCertTypeAt + 2, outerSize + 1), STRUCTURE);
    add("QE certification data size - 1", writeU32(bytes, layout.outerCertTypeAt + 2, outerSize - 1), STRUCTURE);
  }
  add("PEM byte not text", (() => { const m = new Uint8Array(bytes); m[layout.pemAt + 100] = 0x01; return m; })(), "QUOTE_INVALID");

  // ── truncation at every structure boundary ────────────────────────────────────────────────
  add("truncated to nothing", bytes.subarray(0, 0), "INPUT_EMPTY");
  const cuts = new Set([1, 2, 4, 8, 10, 12, 28, 47, 48, body - 1, body + 1, body + 16, layout.sigLenAt - 1, layout.sigLenAt, layout.sigLenAt + 2,
    layout.sigAt, layout.attKeyAt, layout.qeReportAt - 1, layout.qeReportAt, layout.qeSigAt, layout.authLenAt, layout.authAt,
    layout.certTypeAt, layout.certSizeAt, layout.pemAt, layout.pemAt + (layout.pemLength >> 1), layout.end - 1]);
  if (layout.outerCertTypeAt !== undefined) cuts.add(layout.outerCertTypeAt + 2);
  if (layout.version === 5) cuts.add(50).add(54);
  for (const cut of [...cuts].sort((a, b) => a - b)) add(`truncated at ${cut}`, bytes.subarray(0, cut), "TRUNCATED");

  // ── trailing and oversized ───────────────────────────────────────────────────────────────
  add("5000 bytes of trailing garbage", new Uint8Array(Buffer.concat([bytes.subarray(0, layout.end), Buffer.alloc(5000, 0x41)])), "TRAILING_DATA");
  add("4097 trailing zero bytes", new Uint8Array(Buffer.concat([bytes.subarray(0, layout.end), Buffer.alloc(4097)])), "TRAILING_DATA");
  add("over 64 KiB", new Uint8Array(Buffer.concat([bytes, Buffer.alloc(64 * 1024 + 1 - bytes.length)])), "INPUT_TOO_LARGE");

  // ── the PEM chain ─────────────────────────────────────────────────────────────────────────
  const { leaves, intermediates } = donors();
  const ownLeaf = certOf(leafPem);
  const ownInt = certOf(intPem);
  // A donor valid at the sample's date, so the only fault is the key (or the issuer).
  const at = new Date(sample.now);
  const donorLeaf = leaves.find((candidate) => {
    const cert = certOf(candidate);
    return !cert.raw.equals(ownLeaf.raw) && cert.validFromDate <= at && at <= cert.validToDate;
  })!;
  const donor = certOf(donorLeaf);
  add("leaf replaced by another platform's PCK leaf", withPem(bytes, pemOf([donorLeaf, intPem, rootPem])),
    !donor.checkIssued(ownInt) ? "CERT_CHAIN_INVALID" : donor.verify(ownInt.publicKey) ? "QE_REPORT_INVALID" : "SIGNATURE_INVALID");
  const otherCa = intermediates.find((candidate) => certOf(candidate).subject !== ownInt.subject)!;
  add("PCK CA replaced by the other PCK CA", withPem(bytes, pemOf([leafPem, otherCa, rootPem])), "CERT_CHAIN_INVALID");
  add("root replaced by another fixture's PCK CA", withPem(bytes, pemOf([leafPem, intPem, otherCa])), "CERT_CHAIN_INVALID");
  add("root replaced by the AWS Nitro root", withPem(bytes, pemOf([leafPem, intPem, readFileSync(fixturePath("roots/aws-nitro/root.pem"), "latin1")])), "CERT_CHAIN_INVALID");
  // OpenSSL's issuer check matches the PCK CA's authority key id against the root's subject key id, so a root
  // that only copies Intel's name is refused as "not the issuer" before any signature is tried.
  add("root replaced by a fresh root named Intel SGX Root CA", withPem(bytes, pemOf([leafPem, intPem, fake.rootPem])), "CERT_CHAIN_INVALID");
  // Intel's root also issues the TCB signing certificate: a chain that verifies but whose leaf is not a PCK
  // certificate must not vouch for a QE.
  const signing = new X509Certificate(readFileSync(fixturePath("tdx/automata-v4-00806f05/tcb_signing_cert.der")));
  add("leaf and PCK CA replaced by Intel's TCB signing certificate", withPem(bytes, pemOf([signing.toString(), rootPem])),
    at >= signing.validFromDate && at <= signing.validToDate ? "CERT_CHAIN_INVALID" : "CERT_EXPIRED");
  add("root dropped", withPem(bytes, pemOf([leafPem, intPem])), "CERT_CHAIN_INVALID");
  add("leaf only", withPem(bytes, pemOf([leafPem])), "CERT_CHAIN_INVALID");
  add("chain reversed", withPem(bytes, pemOf([rootPem, intPem, leafPem])), "CERT_CHAIN_INVALID");
  add("leaf duplicated", withPem(bytes, pemOf([leafPem, leafPem, intPem, rootPem])), "CERT_CHAIN_INVALID");
  add("five certificates", withPem(bytes, pemOf([leafPem, intPem, rootPem, rootPem, rootPem])), "CERT_CHAIN_INVALID");
  add("leaf truncated", withPem(bytes, pemOf([truncatePemBlock(leafPem), intPem, rootPem])), "CERT_PARSE");
  add("PCK CA truncated", withPem(bytes, pemOf([leafPem, truncatePemBlock(intPem), rootPem])), "CERT_PARSE");
  add("root truncated", withPem(bytes, pemOf([leafPem, intPem, truncatePemBlock(rootPem)])), "CERT_PARSE");
  add("no certificate in the PEM", withPem(bytes, pemOf(["not a certificate\n"])), "CERT_PARSE");
  add("fresh leaf and PCK CA under Intel's real root", withPem(bytes, pemOf([fake.leafPem, fake.intermediatePem, rootPem])), "CERT_CHAIN_INVALID");

  // ── time ─────────────────────────────────────────────────────────────────────────────────
  add("after the PCK leaf expired", bytes, "CERT_EXPIRED", new Date(Date.parse(sample.pckNotAfter) + 2 * 86_400_000));
  add("before the PCK leaf was issued", bytes, "CERT_EXPIRED", new Date(Date.parse(sample.pckNotBefore) - 2 * 86_400_000));
  return out;
}
