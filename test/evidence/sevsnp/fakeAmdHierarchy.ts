/**
 * A throwaway AMD-shaped PKI for tests: RSA-PSS ARK and ASK (2048-bit to keep key generation quick), a P-384
 * VCEK with AMD TCB extensions, CRLs, and report re-signing. Real AMD keys are, of course, not available;
 * these let the tests reach code paths no real sample covers (Turin layout, v5 fields, revocation).
 */
import { X509Certificate, createHash, generateKeyPairSync, constants, sign, type KeyObject } from "node:crypto";
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  BasicConstraints,
  Certificate,
  CertificateList,
  Extension,
  Extensions,
  Name,
  RelativeDistinguishedName,
  RevokedCertificate,
  SubjectPublicKeyInfo,
  TBSCertList,
  TBSCertificate,
  Time,
  Validity,
  Version,
  id_ce_basicConstraints,
} from "@peculiar/asn1-x509";

const RSA_PSS_OID = "1.2.840.113549.1.1.10";
// RSASSA-PSS-params { sha384, mgf1(sha384), salt 48 } — what AMD's KDS certificates carry.
const PSS_SHA384_PARAMS = Buffer.from(
  "3034a00f300d06096086480165030402020500a11c301a06092a864886f70d010108300d06096086480165030402020500a203020130",
  "hex",
);

export type FakeKey = { privateKey: KeyObject; publicKey: KeyObject };

export function rsaKey(): FakeKey {
  return generateKeyPairSync("rsa", { modulusLength: 2048 });
}

export function p384Key(): FakeKey {
  return generateKeyPairSync("ec", { namedCurve: "P-384" });
}

/** AMD's DN layout (OU, C, L, ST, O, CN), so fake certificates have exactly the names of real ones. */
function name(cn: string): Name {
  const attributes: [string, string][] = [
    ["2.5.4.11", "Engineering"],
    ["2.5.4.6", "US"],
    ["2.5.4.7", "Santa Clara"],
    ["2.5.4.8", "CA"],
    ["2.5.4.10", "Advanced Micro Devices"],
    ["2.5.4.3", cn],
  ];
  return new Name(
    attributes.map(([type, text]) => new RelativeDistinguishedName([new AttributeTypeAndValue({ type, value: new AttributeValue({ utf8String: text }) })])),
  );
}

function pssAlgorithm(): AlgorithmIdentifier {
  return new AlgorithmIdentifier({ algorithm: RSA_PSS_OID, parameters: new Uint8Array(PSS_SHA384_PARAMS).buffer });
}

function pssSign(data: Uint8Array, key: KeyObject): Uint8Array {
  return new Uint8Array(sign("sha384", data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 48 }));
}

/** DER INTEGER for a small non-negative number. */
export function derInteger(value: number): Uint8Array {
  const bytes: number[] = [];
  let v = value;
  do {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v > 0);
  if (bytes[0]! & 0x80) bytes.unshift(0);
  return Uint8Array.from([0x02, bytes.length, ...bytes]);
}

export function derIa5(text: string): Uint8Array {
  return Uint8Array.from([0x16, text.length, ...Buffer.from(text, "latin1")]);
}

export type IssueParameters = {
  subjectCn: string;
  issuerCn: string;
  subjectKey: KeyObject;
  issuerKey: KeyObject;
  serial: number;
  notBefore?: Date;
  notAfter?: Date;
  ca?: boolean;
  /** OID → extension value DER. */
  amdExtensions?: Record<string, Uint8Array>;
};

export function issue(p: IssueParameters): X509Certificate {
  const extensions: Extension[] = [];
  if (p.ca) {
    extensions.push(
      new Extension({
        extnID: id_ce_basicConstraints,
        critical: true,
        extnValue: new OctetString(AsnConvert.serialize(new BasicConstraints({ cA: true }))),
      }),
    );
  }
  for (const [oid, value] of Object.entries(p.amdExtensions ?? {})) {
    extensions.push(new Extension({ extnID: oid, critical: false, extnValue: new OctetString(value) }));
  }
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: Uint8Array.from([p.serial]).buffer,
    signature: pssAlgorithm(),
    issuer: name(p.issuerCn),
    validity: new Validity({ notBefore: p.notBefore ?? new Date("2020-01-01"), notAfter: p.notAfter ?? new Date("2040-01-01") }),
    subject: name(p.subjectCn),
    subjectPublicKeyInfo: AsnConvert.parse(p.subjectKey.export({ type: "spki", format: "der" }), SubjectPublicKeyInfo),
    extensions: new Extensions(extensions),
  });
  const tbsDer = new Uint8Array(AsnConvert.serialize(tbs));
  const cert = new Certificate({
    tbsCertificate: tbs,
    signatureAlgorithm: pssAlgorithm(),
    signatureValue: pssSign(tbsDer, p.issuerKey).slice().buffer,
  });
  return new X509Certificate(Buffer.from(AsnConvert.serialize(cert)));
}

export type CrlParameters = {
  issuerCn: string;
  issuerKey: KeyObject;
  revokedSerials: number[];
  thisUpdate: Date;
  nextUpdate: Date;
};

export function makeCrl(p: CrlParameters): Uint8Array {
  const tbs = new TBSCertList({
    version: Version.v2,
    signature: pssAlgorithm(),
    issuer: name(p.issuerCn),
    thisUpdate: new Time(p.thisUpdate),
    nextUpdate: new Time(p.nextUpdate),
    revokedCertificates: p.revokedSerials.map(
      (serial) => new RevokedCertificate({ userCertificate: Uint8Array.from([serial]).buffer, revocationDate: new Time(p.thisUpdate) }),
    ),
  });
  const tbsDer = new Uint8Array(AsnConvert.serialize(tbs));
  const crl = new CertificateList({ tbsCertList: tbs, signatureAlgorithm: pssAlgorithm(), signature: pssSign(tbsDer, p.issuerKey).slice().buffer });
  return new Uint8Array(AsnConvert.serialize(crl));
}

/** Writes an ECDSA P-384/SHA-384 signature over [0, 0x2A0) into the report, R and S little-endian in 72-byte slots. */
export function signReport(report: Uint8Array, key: KeyObject): Uint8Array {
  const out = new Uint8Array(report);
  const signature = sign("sha384", out.subarray(0, 0x2a0), { key, dsaEncoding: "ieee-p1363" });
  out.fill(0, 0x2a0, 0x4a0);
  out.set(Uint8Array.from(signature.subarray(0, 48)).reverse(), 0x2a0);
  out.set(Uint8Array.from(signature.subarray(48, 96)).reverse(), 0x2a0 + 72);
  return out;
}

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
