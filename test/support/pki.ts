/**
 * The one place tests mint certificates and CRLs: keys we hold, names we choose (including a vendor CA's name
 * copied byte for byte, to show that a name alone earns nothing), built on the library's own minter
 * (src/tee/simulated/issueCertificate.ts) so tests and simulated TEEs make certificates the same way.
 */
import { X509Certificate, createHash, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { AttributeTypeAndValue, AttributeValue, Name, RelativeDistinguishedName } from "@peculiar/asn1-x509";
import { issueCertificate, subjectName, type CertificateExtension } from "../../src/tee/simulated/issueCertificate.js";
import { issueCrl } from "../../src/tee/simulated/issueCrl.js";

export type KeyPair = { privateKey: KeyObject; publicKey: KeyObject };
/** RSA is 2048-bit here (AMD's is 4096) to keep key generation quick. */
export type KeyKind = "P-256" | "P-384" | "RSA";

export function generateKey(kind: KeyKind): KeyPair {
  return kind === "RSA" ? generateKeyPairSync("rsa", { modulusLength: 2048 }) : generateKeyPairSync("ec", { namedCurve: kind });
}

/** A common name alone, a name built here, or an existing certificate whose subject is copied. */
export type NameSpec = string | Name | X509Certificate | Uint8Array;

const ATTRIBUTE = { CN: "2.5.4.3", O: "2.5.4.10", OU: "2.5.4.11", C: "2.5.4.6", L: "2.5.4.7", ST: "2.5.4.8" } as const;

/** A name with the attributes in the given order, one per RDN (as every vendor's CA writes them). */
export function distinguishedName(attributes: readonly (readonly [keyof typeof ATTRIBUTE, string])[]): Name {
  return new Name(
    attributes.map(
      ([type, text]) => new RelativeDistinguishedName([new AttributeTypeAndValue({ type: ATTRIBUTE[type], value: new AttributeValue({ utf8String: text }) })]),
    ),
  );
}

/** Intel's PCS layout (CN, O, L, ST, C). */
export const intelName = (cn: string): Name =>
  distinguishedName([["CN", cn], ["O", "Intel Corporation"], ["L", "Santa Clara"], ["ST", "CA"], ["C", "US"]]);

/** AMD's KDS layout (OU, C, L, ST, O, CN). */
export const amdName = (cn: string): Name =>
  distinguishedName([["OU", "Engineering"], ["C", "US"], ["L", "Santa Clara"], ["ST", "CA"], ["O", "Advanced Micro Devices"], ["CN", cn]]);

export function nameOf(spec: NameSpec): Name {
  if (typeof spec === "string") return distinguishedName([["CN", spec]]);
  if (spec instanceof Name) return spec;
  return subjectName(spec);
}

export type MintedCertificate = KeyPair & {
  certificate: X509Certificate;
  der: Uint8Array;
  pem: string;
  /** SHA-256 of the DER, hex (how roots are pinned). */
  sha256: string;
};

/**
 * Who signs: a CA certificate with its key (minted here, or a simulated TEE's dev CA), or any name with the key
 * that signs (`publicKey` is the one the AKI claims; default the signing key's).
 */
export type Signer = { certificate: X509Certificate; privateKey: KeyObject } | { name: NameSpec; privateKey: KeyObject; publicKey?: KeyObject };

export type MintCertificateParameters = {
  subject: NameSpec;
  /** The certified key pair, or the kind to generate (default P-384). */
  key?: KeyPair | KeyKind;
  /** Self-signed when absent. */
  issuer?: Signer;
  ca?: boolean;
  /** Default 2020-01-01 to 2099-01-01. */
  notBefore?: Date;
  notAfter?: Date;
  /** A number, hex (node's X509Certificate.serialNumber) or DER INTEGER content bytes; default random. */
  serial?: number | string | Uint8Array;
  /** Vendor extensions: a list, or OID → DER value (non-critical). */
  extensions?: readonly CertificateExtension[] | Record<string, Uint8Array>;
  /** SKI/AKI (default true); without them the issuer is found by name alone. */
  keyIdentifiers?: boolean;
};

export function mintCertificate(parameters: MintCertificateParameters): MintedCertificate {
  const key = typeof parameters.key === "object" ? parameters.key : generateKey(parameters.key ?? "P-384");
  const { issuer, extensions = [] } = parameters;
  const certificate = issueCertificate({
    subject: nameOf(parameters.subject),
    publicKey: key.publicKey,
    issuer: issuer ? signerOf(issuer) : { selfSign: key.privateKey },
    ca: parameters.ca ?? false,
    notBefore: parameters.notBefore ?? new Date("2020-01-01T00:00:00Z"),
    notAfter: parameters.notAfter ?? new Date("2099-01-01T00:00:00Z"),
    serialNumber: parameters.serial === undefined ? undefined : serialBytes(parameters.serial),
    keyIdentifiers: parameters.keyIdentifiers,
    extensions: Array.isArray(extensions)
      ? extensions
      : Object.entries(extensions as Record<string, Uint8Array>).map(([oid, value]) => ({ oid, value })),
  });
  return {
    ...key,
    certificate,
    der: new Uint8Array(certificate.raw),
    pem: certificate.toString(),
    sha256: createHash("sha256").update(certificate.raw).digest("hex"),
  };
}

export type MintCrlParameters = {
  /** The CA whose list this is: a minted one (its name and key), or any name with the key that signs. */
  issuer: Signer;
  /** Certificates, or their serials as in MintCertificateParameters. */
  revoked?: readonly (X509Certificate | number | string | Uint8Array)[];
  thisUpdate: Date;
  nextUpdate: Date;
};

/** A v2 CRL as DER, signed the way the issuer key's vendor signs (RSA → RSA-PSS SHA-384, P-256 → SHA-256 …). */
export function mintCrl({ issuer, revoked = [], thisUpdate, nextUpdate }: MintCrlParameters): Uint8Array {
  const signer = signerOf(issuer);
  return issueCrl({
    issuer: signer.name,
    privateKey: signer.privateKey,
    thisUpdate,
    nextUpdate,
    revokedSerials: revoked.map((entry) => serialBytes(entry instanceof X509Certificate ? entry.serialNumber : entry)),
  });
}

function signerOf(signer: Signer): { name: Name; privateKey: KeyObject; publicKey: KeyObject } {
  if ("certificate" in signer) return { name: subjectName(signer.certificate), privateKey: signer.privateKey, publicKey: signer.certificate.publicKey };
  return { name: nameOf(signer.name), privateKey: signer.privateKey, publicKey: signer.publicKey ?? createPublicKey(signer.privateKey) };
}

/** A positive DER INTEGER's content: big-endian, with a 0x00 in front when the top bit is set. */
function serialBytes(serial: number | string | Uint8Array): Uint8Array {
  let bytes: Uint8Array;
  if (typeof serial === "number") bytes = Buffer.from(serial.toString(16).padStart(2, "0").replace(/^(.(..)*)$/, "0$1"), "hex");
  else if (typeof serial === "string") bytes = Buffer.from(serial.length % 2 ? `0${serial}` : serial, "hex");
  else bytes = serial;
  return bytes[0]! & 0x80 ? Uint8Array.from([0, ...bytes]) : new Uint8Array(bytes);
}
