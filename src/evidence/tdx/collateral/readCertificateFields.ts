import { TeezkError } from "../../../errors/index.js";
import { DerTag, decodeOid, readDerSequence, readDerSingle, type DerElement } from "./readDer.js";

export type CertificateFields = {
  /** The subject Name exactly as encoded in the certificate (what a CRL's issuer Name is compared with). */
  subjectDer: Uint8Array;
  extensions: Array<{ oid: string; critical: boolean; value: Uint8Array }>;
};

const CONTEXT_VERSION = 0xa0;
const CONTEXT_EXTENSIONS = 0xa3;

/**
 * The two things DCAP appraisal reads from an X.509 certificate that node:crypto does not expose as bytes: the
 * subject Name DER and the extensions. A direct DER walk (RFC 5280 §4.1 TBSCertificate) instead of a full
 * schema parse: it runs on every cold verification and costs microseconds rather than ~0.3 ms. The certificate
 * has already been parsed by OpenSSL (X509Certificate), so this only locates fields; anything unexpected is
 * CERT_PARSE.
 */
export function readCertificateFields(der: Uint8Array): CertificateFields {
  const what = "certificate";
  const certificate = readDerSingle(der, DerTag.SEQUENCE, what, "CERT_PARSE");
  const tbs = readDerSequence(certificate.value, what, "CERT_PARSE")[0];
  if (!tbs || tbs.tag !== DerTag.SEQUENCE) throw new TeezkError("CERT_PARSE", "The certificate has no TBSCertificate SEQUENCE");
  const fields = readDerSequence(tbs.value, "TBSCertificate", "CERT_PARSE");
  // version [0] EXPLICIT is present in every v3 certificate; serial, signature, issuer, validity, subject follow.
  const first = fields[0]?.tag === CONTEXT_VERSION ? 1 : 0;
  const subject = fields[first + 4];
  if (!subject || subject.tag !== DerTag.SEQUENCE) throw new TeezkError("CERT_PARSE", "The certificate's subject is not a Name SEQUENCE");
  const extensionsField = fields.slice(first + 6).find((field) => field.tag === CONTEXT_EXTENSIONS);
  const extensions: CertificateFields["extensions"] = [];
  if (extensionsField) {
    const list = readDerSingle(extensionsField.value, DerTag.SEQUENCE, "certificate extensions", "CERT_PARSE");
    for (const entry of readDerSequence(list.value, "certificate extensions", "CERT_PARSE")) extensions.push(readExtension(entry));
  }
  return { subjectDer: subject.element, extensions };
}

function readExtension(entry: DerElement): CertificateFields["extensions"][number] {
  const parts = entry.tag === DerTag.SEQUENCE ? readDerSequence(entry.value, "certificate extension", "CERT_PARSE") : [];
  const [oid, second, third, ...rest] = parts;
  const critical = third !== undefined ? second : undefined;
  const value = third ?? second;
  if (
    !oid ||
    oid.tag !== DerTag.OID ||
    !value ||
    value.tag !== DerTag.OCTET_STRING ||
    rest.length > 0 ||
    (critical !== undefined && (critical.tag !== DerTag.BOOLEAN || critical.value.length !== 1))
  ) {
    throw new TeezkError("CERT_PARSE", "A certificate extension is not { extnID, critical?, extnValue }");
  }
  return { oid: decodeOid(oid.value), critical: critical !== undefined && critical.value[0] !== 0, value: value.value };
}
