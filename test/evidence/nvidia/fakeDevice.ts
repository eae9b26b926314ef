import { X509Certificate, createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  BasicConstraints,
  Certificate,
  Extension,
  Extensions,
  Name,
  RelativeDistinguishedName,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
  id_ce_basicConstraints,
} from "@peculiar/asn1-x509";

/**
 * A made-up GPU "vendor": a self-signed P-384 root named like NVIDIA's and leaves it issues, generated in the
 * test run (certificates assembled with @peculiar/asn1-x509, signed with node:crypto; @peculiar/x509 needs a
 * reflect polyfill that is not installed). Re-signing mutated reports with a fake leaf lets a test reach the
 * checks after the signature: root pinning, FWID binding, nonce.
 */
export type FakeDevice = {
  root: X509Certificate;
  rootSha256: string;
  /** A leaf with no TcbInfo extension, or with one whose digest is `fwid`. */
  leaf: (fwid?: Uint8Array) => X509Certificate;
  signReport: (signedBytes: Uint8Array) => Uint8Array;
};

const ECDSA_WITH_SHA384 = "1.2.840.10045.4.3.3";
const TCB_INFO = "2.23.133.5.4.1";

export function createFakeDevice(): FakeDevice {
  const notBefore = new Date("2020-01-01T00:00:00Z");
  const notAfter = new Date("2099-01-01T00:00:00Z");
  const rootKeys = generateKeyPairSync("ec", { namedCurve: "secp384r1" });
  const leafKeys = generateKeyPairSync("ec", { namedCurve: "secp384r1" });
  const rootName = distinguishedName("NVIDIA Device Identity CA");
  const rootDer = certificate({ subject: rootName, issuer: rootName, publicKey: rootKeys.publicKey, signer: rootKeys.privateKey, ca: true, notBefore, notAfter });
  const root = new X509Certificate(rootDer);
  return {
    root,
    rootSha256: createHash("sha256").update(root.raw).digest("hex"),
    leaf: (fwid) =>
      new X509Certificate(
        certificate({
          subject: distinguishedName("FAKE GSP FMC LF"),
          issuer: rootName,
          publicKey: leafKeys.publicKey,
          signer: rootKeys.privateKey,
          ca: false,
          notBefore,
          notAfter,
          extra: fwid ? [new Extension({ extnID: TCB_INFO, critical: false, extnValue: new OctetString(tcbInfoLike(fwid)) })] : [],
        }),
      ),
    signReport: (signedBytes) => {
      const signature = sign("sha384", signedBytes, { key: leafKeys.privateKey, dsaEncoding: "ieee-p1363" });
      return new Uint8Array(Buffer.concat([signedBytes, signature]));
    },
  };
}

function certificate(options: {
  subject: Name;
  issuer: Name;
  publicKey: KeyObject;
  signer: KeyObject;
  ca: boolean;
  notBefore: Date;
  notAfter: Date;
  extra?: Extension[];
}): Buffer {
  const algorithm = new AlgorithmIdentifier({ algorithm: ECDSA_WITH_SHA384 });
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: arrayBuffer(Buffer.concat([Buffer.from([0x01]), randomBytes(8)])),
    signature: algorithm,
    issuer: options.issuer,
    validity: new Validity({ notBefore: options.notBefore, notAfter: options.notAfter }),
    subject: options.subject,
    subjectPublicKeyInfo: AsnConvert.parse(options.publicKey.export({ type: "spki", format: "der" }), SubjectPublicKeyInfo),
    extensions: new Extensions([
      new Extension({ extnID: id_ce_basicConstraints, critical: true, extnValue: new OctetString(AsnConvert.serialize(new BasicConstraints({ cA: options.ca }))) }),
      ...(options.extra ?? []),
    ]),
  });
  const signatureValue = arrayBuffer(sign("sha384", Buffer.from(AsnConvert.serialize(tbs)), options.signer));
  return Buffer.from(AsnConvert.serialize(new Certificate({ tbsCertificate: tbs, signatureAlgorithm: algorithm, signatureValue })));
}

/** SEQUENCE { INTEGER 1, SEQUENCE { OID sha384, OCTET STRING fwid } }: ends with 04 30 ‖ fwid like NVIDIA's. */
function tcbInfoLike(fwid: Uint8Array): ArrayBuffer {
  const sha384Oid = Buffer.from("0609608648016503040202", "hex");
  const digest = Buffer.concat([Buffer.from([0x04, fwid.length]), fwid]);
  const inner = Buffer.concat([Buffer.from([0x30, sha384Oid.length + digest.length]), sha384Oid, digest]);
  const body = Buffer.concat([Buffer.from([0x02, 0x01, 0x01]), inner]);
  return arrayBuffer(Buffer.concat([Buffer.from([0x30, body.length]), body]));
}

function distinguishedName(commonName: string): Name {
  return new Name([new RelativeDistinguishedName([new AttributeTypeAndValue({ type: "2.5.4.3", value: new AttributeValue({ utf8String: commonName }) })])]);
}

function arrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
