import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import { encode } from "cbor2";
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  Extension,
  Extensions,
  KeyIdentifier,
  Name,
  RelativeDistinguishedName,
  SubjectKeyIdentifier,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_subjectKeyIdentifier,
} from "@peculiar/asn1-x509";

// @peculiar/x509 needs a reflect-metadata polyfill that is not installed, so certificates are assembled with
// @peculiar/asn1-x509 and signed with node:crypto.
const ECDSA_WITH_SHA384 = "1.2.840.10045.4.3.3";
const CN = "2.5.4.3";

export type ForgedCert = { der: Uint8Array; subject: Name; privateKey: KeyObject; publicKey: KeyObject; keyId: ArrayBuffer };

/**
 * A P-384 certificate: self-signed when no issuer is given. `subject` is a common name, or a certificate whose
 * subject name is copied (to impersonate a real CA's name).
 */
export function forgeCert(options: {
  subject: string | Uint8Array;
  issuer?: ForgedCert;
  ca: boolean;
  notBefore: Date;
  notAfter: Date;
  curve?: "secp384r1" | "prime256v1";
}): ForgedCert {
  const subject = typeof options.subject === "string" ? name(options.subject) : AsnConvert.parse(options.subject, Certificate).tbsCertificate.subject;
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: options.curve ?? "secp384r1" });
  const spki = AsnConvert.parse(publicKey.export({ type: "spki", format: "der" }), SubjectPublicKeyInfo);
  const keyId = toArrayBuffer(createHash("sha1").update(new Uint8Array(spki.subjectPublicKey)).digest());
  const signer = options.issuer ?? { privateKey, subject, keyId };
  const extensions = new Extensions([
    extension(id_ce_basicConstraints, new BasicConstraints({ cA: options.ca }), true),
    extension(id_ce_subjectKeyIdentifier, new SubjectKeyIdentifier(keyId), false),
    extension(id_ce_authorityKeyIdentifier, new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(signer.keyId) }), false),
  ]);
  const algorithm = new AlgorithmIdentifier({ algorithm: ECDSA_WITH_SHA384 });
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: toArrayBuffer(Buffer.concat([Buffer.from([0x01]), randomBytes(8)])),
    signature: algorithm,
    issuer: signer.subject,
    validity: new Validity({ notBefore: options.notBefore, notAfter: options.notAfter }),
    subject,
    subjectPublicKeyInfo: spki,
    extensions,
  });
  const tbsDer = new Uint8Array(AsnConvert.serialize(tbs));
  const signatureValue = toArrayBuffer(sign("sha384", tbsDer, signer.privateKey));
  const cert = new Certificate({ tbsCertificate: tbs, signatureAlgorithm: algorithm, signatureValue });
  return { der: new Uint8Array(AsnConvert.serialize(cert)), subject, privateKey, publicKey, keyId };
}

function name(commonName: string): Name {
  return new Name([new RelativeDistinguishedName([new AttributeTypeAndValue({ type: CN, value: new AttributeValue({ utf8String: commonName }) })])]);
}

function extension(extnID: string, value: unknown, critical: boolean): Extension {
  return new Extension({ extnID, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** COSE Sig_structure built here with cbor2, independently of the verifier's own helper. */
export function sigStructure(protectedHeader: Uint8Array, payload: Uint8Array): Uint8Array {
  return encode(["Signature1", new Uint8Array(protectedHeader), new Uint8Array(0), new Uint8Array(payload)]);
}

export function es384Sign(privateKey: KeyObject, protectedHeader: Uint8Array, payload: Uint8Array): Uint8Array {
  return new Uint8Array(sign("sha384", sigStructure(protectedHeader, payload), { key: privateKey, dsaEncoding: "ieee-p1363" }));
}

/** `[protected, unprotected, payload, signature]` (or any value) as CBOR, Buffers normalised to byte strings. */
export function encodeCbor(value: unknown): Uint8Array {
  return encode(normalise(value));
}

function normalise(value: unknown): unknown {
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (Array.isArray(value)) return value.map(normalise);
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, normalise(v)]));
  return value;
}
