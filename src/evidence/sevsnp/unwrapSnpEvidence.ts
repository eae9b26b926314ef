import type { X509Certificate } from "node:crypto";
import { TeezkError } from "../../errors/index.js";
import { parsePemBundle } from "../../util/x509.js";
import {
  HCL_HEADER_BYTES,
  HCL_MAGIC,
  HCL_REQUEST_TYPE_SNP,
  MAX_SNP_EVIDENCE_BYTES,
  SNP_REPORT_BYTES,
} from "./constants.js";
import type { SnpContainer } from "./types.js";

export type UnwrapSnpEvidenceReturnType = {
  report: Uint8Array;
  container: SnpContainer;
  /** Certificates that travel with the evidence (Azure JSON `vcek`); untrusted until the chain verifies. */
  embeddedCertificates: X509Certificate[];
};

/**
 * Finds the raw SNP report inside what a caller hands us. Detection rules, in order:
 * 1. First non-whitespace byte `{`: Azure evidence JSON (az-snp-vtpm). Its `report` member is the HCL report
 *    as a JSON byte array (base64 or hex strings are accepted too); a `vcek` PEM member is kept as an
 *    embedded certificate. The HCL report is then unwrapped by rule 2 (a bare SNP report is accepted too).
 * 2. Starts with "HCLA": Azure HCL report. Its header's request type (u32 at 12) must be 2 (SNP); the SNP
 *    report is bytes [32, 1216).
 * 3. Anything else is taken as a raw report and must be exactly 1184 bytes (parseSnpReport checks).
 * Everything is refused above MAX_SNP_EVIDENCE_BYTES before any parsing.
 */
export function unwrapSnpEvidence(bytes: Uint8Array): UnwrapSnpEvidenceReturnType {
  if (bytes.length > MAX_SNP_EVIDENCE_BYTES) {
    throw new TeezkError("INPUT_TOO_LARGE", `SEV-SNP evidence of ${bytes.length} bytes exceeds the ${MAX_SNP_EVIDENCE_BYTES}-byte cap`);
  }
  if (bytes.length === 0) throw new TeezkError("INPUT_EMPTY", "The SEV-SNP evidence is empty");
  if (firstNonSpace(bytes) === 0x7b) return unwrapJson(bytes);
  if (startsWithHcl(bytes)) return { report: unwrapHcl(bytes), container: "azure-hcl", embeddedCertificates: [] };
  return { report: bytes, container: "raw", embeddedCertificates: [] };
}

function startsWithHcl(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && Buffer.from(bytes.subarray(0, 4)).toString("latin1") === HCL_MAGIC;
}

function unwrapHcl(bytes: Uint8Array): Uint8Array {
  if (bytes.length < HCL_HEADER_BYTES + SNP_REPORT_BYTES) {
    throw new TeezkError("SNP_REPORT_INVALID", `An Azure HCL report needs at least ${HCL_HEADER_BYTES + SNP_REPORT_BYTES} bytes, got ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const requestType = view.getUint32(12, true);
  if (requestType !== HCL_REQUEST_TYPE_SNP) {
    throw new TeezkError("SNP_REPORT_INVALID", `The Azure HCL report holds request type ${requestType}, not an SNP report (2)`);
  }
  return bytes.subarray(HCL_HEADER_BYTES, HCL_HEADER_BYTES + SNP_REPORT_BYTES);
}

function unwrapJson(bytes: Uint8Array): UnwrapSnpEvidenceReturnType {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch (error) {
    throw new TeezkError("SNP_REPORT_INVALID", "The SEV-SNP evidence starts with '{' but is not valid JSON", { cause: error });
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new TeezkError("SNP_REPORT_INVALID", "The SEV-SNP evidence JSON is not an object");
  }
  const record = json as Record<string, unknown>;
  const report = jsonBytes(record.report);
  if (!report) {
    throw new TeezkError("SNP_REPORT_INVALID", "The SEV-SNP evidence JSON has no `report` byte array", {
      details: `keys: ${Object.keys(record).slice(0, 10).join(", ")}`,
    });
  }
  const embeddedCertificates = typeof record.vcek === "string" && record.vcek.includes("-----BEGIN CERTIFICATE-----")
    ? parsePemBundle(record.vcek, "VCEK in the evidence JSON")
    : [];
  const inner = startsWithHcl(report) ? unwrapHcl(report) : report;
  return { report: inner, container: "azure-json", embeddedCertificates };
}

function jsonBytes(value: unknown): Uint8Array | undefined {
  if (Array.isArray(value)) {
    const out = new Uint8Array(value.length);
    value.forEach((byte, index) => {
      if (typeof byte !== "number" || !Number.isInteger(byte) || byte < 0 || byte > 255) {
        throw new TeezkError("SNP_REPORT_INVALID", `The evidence JSON \`report\` array holds a non-byte at index ${index}`);
      }
      out[index] = byte;
    });
    return out;
  }
  if (typeof value === "string") {
    if (/^(0x)?([0-9a-fA-F]{2})+$/.test(value)) return new Uint8Array(Buffer.from(value.replace(/^0x/, ""), "hex"));
    if (/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return new Uint8Array(Buffer.from(value, "base64"));
    throw new TeezkError("SNP_REPORT_INVALID", "The evidence JSON `report` string is neither hex nor base64");
  }
  return undefined;
}

function firstNonSpace(bytes: Uint8Array): number | undefined {
  for (const byte of bytes.subarray(0, 64)) if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return byte;
  return undefined;
}
