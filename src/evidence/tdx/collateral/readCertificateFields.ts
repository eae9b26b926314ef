import { TeezkError } from "../../../errors/index.js";
import { DerTag, decodeOid, readDerOffsets } from "./readDer.js";

export type CertificateFields = {
  /** The subject Name exactly as encoded in the certificate (what a CRL's issuer Name is compared with). */
  subjectDer: Uint8Array;
  extensions: Array<{ oid: string; critical: boolean; value: Uint8Array }>;
};

const CONTEXT_VERSION = 0xa0;
const CONTEXT_EXTENSIONS = 0xa3;

/**
 * The two things DCAP appraisal reads from an X.509 certificate that node:crypto does not expose as bytes: the
 * subject Name DER and the extensions. A direct DER walk (RFC 5280 §4.1 TBSCertificate) by offsets instead of a
 * full schema parse: it runs on every cold verification and costs microseconds rather than ~0.3 ms. The
 * certificate has already been parsed by OpenSSL (X509Certificate), so this only locates fields; anything
 * unexpected is CERT_PARSE. `subjectOnly` stops after the subject (a CRL issuer check needs nothing else).
 */
export function readCertificateFields(der: Uint8Array, { subjectOnly = false } = {}): CertificateFields {
  // A plain view: subarrays of a Buffer are Buffers, each a costlier object.
  const bytes = new Uint8Array(der.buffer, der.byteOffset, der.length);
  const certificate = readDerOffsets(bytes, 0, bytes.length, "certificate", "CERT_PARSE");
  if (certificate.length !== 4 || certificate[0] !== DerTag.SEQUENCE) {
    throw new TeezkError("CERT_PARSE", "certificate: expected one DER element with tag 0x30", {
      details: `found ${certificate.length / 4} element(s), first tag 0x${(certificate[0] ?? 0).toString(16)}`,
    });
  }
  const parts = readDerOffsets(bytes, certificate[2]!, certificate[3]!, "certificate", "CERT_PARSE");
  if (parts[0] !== DerTag.SEQUENCE) throw new TeezkError("CERT_PARSE", "The certificate has no TBSCertificate SEQUENCE");
  const fields = readDerOffsets(bytes, parts[2]!, parts[3]!, "TBSCertificate", "CERT_PARSE");
  // version [0] EXPLICIT is present in every v3 certificate; serial, signature, issuer, validity, subject follow.
  const first = fields[0] === CONTEXT_VERSION ? 1 : 0;
  const subject = (first + 4) * 4;
  if (fields[subject] !== DerTag.SEQUENCE) throw new TeezkError("CERT_PARSE", "The certificate's subject is not a Name SEQUENCE");
  const subjectDer = bytes.subarray(fields[subject + 1]!, fields[subject + 3]!);
  const extensions: CertificateFields["extensions"] = [];
  if (subjectOnly) return { subjectDer, extensions };
  for (let field = (first + 6) * 4; field < fields.length; field += 4) {
    if (fields[field] !== CONTEXT_EXTENSIONS) continue;
    const list = readDerOffsets(bytes, fields[field + 2]!, fields[field + 3]!, "certificate extensions", "CERT_PARSE");
    if (list.length !== 4 || list[0] !== DerTag.SEQUENCE) {
      throw new TeezkError("CERT_PARSE", "certificate extensions: expected one DER element with tag 0x30", {
        details: `found ${list.length / 4} element(s), first tag 0x${(list[0] ?? 0).toString(16)}`,
      });
    }
    const entries = readDerOffsets(bytes, list[2]!, list[3]!, "certificate extensions", "CERT_PARSE");
    for (let entry = 0; entry < entries.length; entry += 4) extensions.push(readExtension(bytes, entries, entry));
    break;
  }
  return { subjectDer, extensions };
}

function readExtension(bytes: Uint8Array, entries: number[], entry: number): CertificateFields["extensions"][number] {
  const parts = entries[entry] === DerTag.SEQUENCE ? readDerOffsets(bytes, entries[entry + 2]!, entries[entry + 3]!, "certificate extension", "CERT_PARSE") : [];
  // { extnID, critical?, extnValue }: with three parts the middle one is the BOOLEAN.
  const count = parts.length / 4;
  const valueAt = count === 3 ? 8 : 4;
  const criticalLength = count === 3 ? parts[7]! - parts[6]! : 1;
  if (count < 2 || count > 3 || parts[0] !== DerTag.OID || parts[valueAt] !== DerTag.OCTET_STRING || (count === 3 && (parts[4] !== DerTag.BOOLEAN || criticalLength !== 1))) {
    throw new TeezkError("CERT_PARSE", "A certificate extension is not { extnID, critical?, extnValue }");
  }
  return {
    oid: decodeOid(bytes.subarray(parts[2]!, parts[3]!)),
    critical: count === 3 && bytes[parts[6]!] !== 0,
    value: bytes.subarray(parts[valueAt + 2]!, parts[valueAt + 3]!),
  };
}
