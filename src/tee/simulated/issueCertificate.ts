import { X509Certificate, constants, createHash, createPublicKey, randomBytes, sign, type KeyObject } from "node:crypto";
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import {
  AlgorithmIdentifier,
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  Extension,
  Extensions,
  KeyIdentifier,
  KeyUsage,
  KeyUsageFlags,
  type Name,
  SubjectKeyIdentifier,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_keyUsage,
  id_ce_subjectKeyIdentifier,
} from "@peculiar/asn1-x509";
import { TeezkError } from "../../errors/index.js";

const OID = {
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  ecdsaWithSha384: "1.2.840.10045.4.3.3",
  rsaPss: "1.2.840.113549.1.1.10",
} as const;

// RSASSA-PSS-params { sha384, mgf1(sha384), saltLength 48 }: what AMD's KDS certificates carry.
const PSS_SHA384_PARAMS = Buffer.from(
  "3034a00f300d06096086480165030402020500a11c301a06092a864886f70d010108300d06096086480165030402020500a203020130",
  "hex",
);

/** A certificate extension: OID → the DER of the extension value. */
export type CertificateExtension = { oid: string; value: Uint8Array; critical?: boolean };

export type IssueCertificateParameters = {
  subject: Name;
  /** Public key certified. */
  publicKey: KeyObject;
  /**
   * The issuing CA: its name, the key that signs, and the public key the AKI names (default: the signing key's;
   * a forger claims one CA's name and key identifier and signs with another key). A self-signed root passes its
   * own private key as `selfSign`.
   */
  issuer: { name: Name; privateKey: KeyObject; publicKey?: KeyObject } | { selfSign: KeyObject };
  ca: boolean;
  notBefore: Date;
  notAfter: Date;
  /** A positive DER INTEGER's content bytes; default 0x01 followed by 15 random bytes. */
  serialNumber?: Uint8Array;
  extensions?: readonly CertificateExtension[];
  /** SKI and AKI (default true). Without them an issuer is found by name alone, as for AMD's older VCEKs. */
  keyIdentifiers?: boolean;
};

/**
 * Builds and signs an X.509 v3 certificate with @peculiar/asn1-x509 and node:crypto (@peculiar/x509 needs a
 * reflect polyfill that is not installed). The signature algorithm follows the signing key: P-256 →
 * ecdsa-with-SHA256 (Intel), P-384 → ecdsa-with-SHA384 (AWS, NVIDIA), RSA → RSASSA-PSS SHA-384 (AMD). SKI/AKI
 * (from the keys, RFC 5280 method 1) and key usage are set so OpenSSL's issuer check links the chain the same
 * way it links a vendor's. The names are the caller's: the simulated TEEs label theirs as dev, tests may copy
 * a vendor CA's name to show that a name alone earns nothing.
 */
export function issueCertificate(parameters: IssueCertificateParameters): X509Certificate {
  const { subject, publicKey, issuer, ca, notBefore, notAfter, extensions = [], keyIdentifiers = true } = parameters;
  const selfSigned = "selfSign" in issuer;
  const signerKey = selfSigned ? issuer.selfSign : issuer.privateKey;
  const keyId = keyIdentifier(publicKey);
  const issuerKeyId = selfSigned ? keyId : keyIdentifier(issuer.publicKey ?? createPublicKey(issuer.privateKey));
  const algorithm = signatureAlgorithm(signerKey);
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: arrayBuffer(parameters.serialNumber ?? Buffer.concat([Buffer.from([0x01]), randomBytes(15)])),
    signature: algorithm,
    issuer: selfSigned ? subject : issuer.name,
    validity: new Validity({ notBefore, notAfter }),
    subject,
    subjectPublicKeyInfo: AsnConvert.parse(publicKey.export({ type: "spki", format: "der" }), SubjectPublicKeyInfo),
    extensions: new Extensions([
      extension(id_ce_basicConstraints, AsnConvert.serialize(new BasicConstraints({ cA: ca })), true),
      extension(
        id_ce_keyUsage,
        AsnConvert.serialize(new KeyUsage(ca ? KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign : KeyUsageFlags.digitalSignature)),
        true,
      ),
      ...(keyIdentifiers
        ? [
            extension(id_ce_subjectKeyIdentifier, AsnConvert.serialize(new SubjectKeyIdentifier(keyId)), false),
            extension(
              id_ce_authorityKeyIdentifier,
              AsnConvert.serialize(new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(issuerKeyId) })),
              false,
            ),
          ]
        : []),
      ...extensions.map((item) => extension(item.oid, arrayBuffer(item.value), item.critical ?? false)),
    ]),
  });
  const tbsDer = new Uint8Array(AsnConvert.serialize(tbs));
  const signatureValue = arrayBuffer(signWith(signerKey, tbsDer));
  const der = AsnConvert.serialize(new Certificate({ tbsCertificate: tbs, signatureAlgorithm: algorithm, signatureValue }));
  return new X509Certificate(Buffer.from(der));
}

/** A certificate's subject name, byte for byte (the issuer name of what it signs). */
export function subjectName(certificate: X509Certificate | Uint8Array): Name {
  const der = certificate instanceof X509Certificate ? certificate.raw : certificate;
  return AsnConvert.parse(der, Certificate).tbsCertificate.subject;
}

/** The vendor-shaped algorithm for a key (also what CRLs are signed with). */
export function signatureAlgorithm(key: KeyObject): AlgorithmIdentifier {
  if (key.asymmetricKeyType === "rsa") {
    return new AlgorithmIdentifier({ algorithm: OID.rsaPss, parameters: arrayBuffer(PSS_SHA384_PARAMS) });
  }
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType === "ec" && curve === "prime256v1") return new AlgorithmIdentifier({ algorithm: OID.ecdsaWithSha256 });
  if (key.asymmetricKeyType === "ec" && curve === "secp384r1") return new AlgorithmIdentifier({ algorithm: OID.ecdsaWithSha384 });
  throw new TeezkError("INTERNAL", `Certificates are signed with P-256, P-384 or RSA keys, not ${key.asymmetricKeyType} ${curve ?? ""}`);
}

export function signWith(key: KeyObject, data: Uint8Array): Uint8Array {
  if (key.asymmetricKeyType === "rsa") {
    return new Uint8Array(sign("sha384", data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 48 }));
  }
  const hash = key.asymmetricKeyDetails?.namedCurve === "prime256v1" ? "sha256" : "sha384";
  return new Uint8Array(sign(hash, data, key));
}

/** RFC 5280 method 1: SHA-1 of the subjectPublicKey bit string. */
function keyIdentifier(publicKey: KeyObject): ArrayBuffer {
  const spki = AsnConvert.parse(publicKey.export({ type: "spki", format: "der" }), SubjectPublicKeyInfo);
  return arrayBuffer(createHash("sha1").update(new Uint8Array(spki.subjectPublicKey)).digest());
}

function extension(extnID: string, value: ArrayBuffer, critical: boolean): Extension {
  return new Extension({ extnID, critical, extnValue: new OctetString(value) });
}

function arrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
