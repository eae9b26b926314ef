import { constants, verify, type X509Certificate } from "node:crypto";
import { AsnConvert } from "@peculiar/asn1-schema";
import { CertificateList } from "@peculiar/asn1-x509";
import { TeezkError } from "../../errors/index.js";
import { subjectCommonName } from "./createSnpCollateral.js";
import type { SnpCrl } from "./types.js";

export type CheckSnpRevocationParameters = {
  /** The verified chain, leaf first, root last. */
  chain: readonly X509Certificate[];
  crls: readonly SnpCrl[];
  now: Date;
};

/** "passed" when at least one CRL issued by a CA of this chain was applied; "not_checked" when none was given. */
export type CheckSnpRevocationReturnType = "passed" | "not_checked";

/**
 * Applies the CRLs whose issuer CN names a CA of the chain (AMD's KDS CRL is issued by the ARK and lists
 * revoked ASKs/ASVKs; a CRL from an ASK would list VCEKs): the CRL must be signed by that CA (RSA-PSS for
 * AMD, verified with node:crypto, the PSS hash and salt read from the CRL's algorithm parameters), current at `now`
 * (thisUpdate ≤ now ≤ nextUpdate), and must not list any certificate the CA issued in this chain. CRLs of
 * other products are ignored, so one folder can hold all of them.
 */
export function checkSnpRevocation({ chain, crls, now }: CheckSnpRevocationParameters): CheckSnpRevocationReturnType {
  let applied = 0;
  for (const crl of crls) {
    const parsed = parseCrl(crl);
    const issuerCn = parsed.issuerCn;
    const issuerIndex = chain.findIndex((cert, index) => index > 0 && subjectCommonName(cert) === issuerCn);
    if (issuerIndex < 0) continue;
    const issuer = chain[issuerIndex]!;
    if (!verifyCrlSignature(parsed, issuer)) {
      throw new TeezkError("CRL_INVALID", `The CRL ${crl.source} is not signed by ${issuerCn}`);
    }
    const { thisUpdate, nextUpdate } = parsed;
    if (now < thisUpdate || (nextUpdate && now > nextUpdate)) {
      throw new TeezkError("CRL_INVALID", `The CRL ${crl.source} is not current at ${now.toISOString()}`, {
        details: `thisUpdate ${thisUpdate.toISOString()}, nextUpdate ${nextUpdate?.toISOString() ?? "none"}`,
        metaMessages: ["Fetch a fresh CRL from AMD KDS (https://kdsintf.amd.com/vcek/v1/<product>/crl)."],
      });
    }
    const revoked = parsed.serials;
    for (const cert of chain.slice(0, issuerIndex)) {
      if (cert.checkIssued(issuer) && revoked.has(normalizeSerial(cert.serialNumber))) {
        throw new TeezkError("CERT_REVOKED", `The certificate ${subjectCommonName(cert)} (serial ${cert.serialNumber}) is revoked by ${crl.source}`);
      }
    }
    applied++;
  }
  return applied > 0 ? "passed" : "not_checked";
}

type ParsedCrl = {
  issuerCn: string | undefined;
  thisUpdate: Date;
  nextUpdate: Date | undefined;
  serials: Set<string>;
  algorithm: string;
  algorithmParameters: Uint8Array | undefined;
  tbs: Uint8Array;
  signature: Uint8Array;
};

const CN_OID = "2.5.4.3";

function parseCrl(crl: SnpCrl): ParsedCrl {
  try {
    // @peculiar/asn1-x509 rather than @peculiar/x509: the latter needs a reflect-metadata polyfill at import.
    const list = AsnConvert.parse(crl.der, CertificateList);
    const tbs = list.tbsCertList;
    let issuerCn: string | undefined;
    for (const rdn of tbs.issuer) for (const attribute of rdn) if (attribute.type === CN_OID) issuerCn = attribute.value.toString();
    return {
      issuerCn,
      thisUpdate: tbs.thisUpdate.getTime(),
      nextUpdate: tbs.nextUpdate?.getTime(),
      serials: new Set((tbs.revokedCertificates ?? []).map((entry) => normalizeSerial(Buffer.from(entry.userCertificate).toString("hex")))),
      algorithm: list.signatureAlgorithm.algorithm,
      algorithmParameters: list.signatureAlgorithm.parameters ? new Uint8Array(list.signatureAlgorithm.parameters) : undefined,
      tbs: firstElementOfSequence(crl.der),
      signature: new Uint8Array(list.signature),
    };
  } catch (error) {
    if (error instanceof TeezkError) throw error;
    throw new TeezkError("CRL_INVALID", `The CRL ${crl.source} could not be parsed`, {
      details: error instanceof Error ? error.message : String(error),
      cause: error,
    });
  }
}

const OID = {
  rsaPss: "1.2.840.113549.1.1.10",
  sha256WithRsa: "1.2.840.113549.1.1.11",
  sha384WithRsa: "1.2.840.113549.1.1.12",
  sha512WithRsa: "1.2.840.113549.1.1.13",
  ecdsaSha256: "1.2.840.10045.4.3.2",
  ecdsaSha384: "1.2.840.10045.4.3.3",
  ecdsaSha512: "1.2.840.10045.4.3.4",
} as const;
const HASH_OIDS: Record<string, string> = {
  "2.16.840.1.101.3.4.2.1": "sha256",
  "2.16.840.1.101.3.4.2.2": "sha384",
  "2.16.840.1.101.3.4.2.3": "sha512",
};

function verifyCrlSignature(crl: ParsedCrl, issuer: X509Certificate): boolean {
  const key = issuer.publicKey;
  try {
    switch (crl.algorithm) {
      case OID.rsaPss: {
        const { hash, saltLength } = pssParameters(crl.algorithmParameters);
        return verify(hash, crl.tbs, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }, crl.signature);
      }
      case OID.sha256WithRsa:
      case OID.sha384WithRsa:
      case OID.sha512WithRsa: {
        const hash = { [OID.sha256WithRsa]: "sha256", [OID.sha384WithRsa]: "sha384", [OID.sha512WithRsa]: "sha512" }[crl.algorithm];
        return verify(hash, crl.tbs, { key, padding: constants.RSA_PKCS1_PADDING }, crl.signature);
      }
      case OID.ecdsaSha256:
      case OID.ecdsaSha384:
      case OID.ecdsaSha512: {
        const hash = { [OID.ecdsaSha256]: "sha256", [OID.ecdsaSha384]: "sha384", [OID.ecdsaSha512]: "sha512" }[crl.algorithm];
        return verify(hash, crl.tbs, key, crl.signature);
      }
      default:
        throw new TeezkError("CRL_INVALID", `Unsupported CRL signature algorithm ${crl.algorithm}`);
    }
  } catch (error) {
    if (error instanceof TeezkError) throw error;
    return false;
  }
}

/**
 * RSASSA-PSS-params (RFC 4055): [0] hashAlgorithm, [1] maskGenAlgorithm, [2] saltLength, [3] trailerField.
 * Defaults (SHA-1, salt 20) apply to absent fields; MGF1 is assumed to use the same hash, as AMD's does.
 */
function pssParameters(parameters: Uint8Array | undefined): { hash: string; saltLength: number } {
  let hash = "sha1";
  let saltLength = 20;
  if (!parameters || parameters.length === 0) return { hash, saltLength };
  const sequence = readHeader(parameters, 0);
  let offset = sequence.headerLength;
  const end = Math.min(parameters.length, sequence.headerLength + sequence.length);
  while (offset < end) {
    const tag = parameters[offset]!;
    const header = readHeader(parameters, offset);
    const body = parameters.subarray(offset + header.headerLength, offset + header.headerLength + header.length);
    if (tag === 0xa0) {
      // AlgorithmIdentifier SEQUENCE { OID, NULL? }
      const algorithm = readHeader(body, 0);
      const oid = body.subarray(algorithm.headerLength, algorithm.headerLength + algorithm.length);
      const oidHeader = readHeader(oid, 0);
      const name = HASH_OIDS[decodeOid(oid.subarray(oidHeader.headerLength, oidHeader.headerLength + oidHeader.length))];
      if (!name) throw new TeezkError("CRL_INVALID", "Unsupported RSA-PSS hash in a CRL signature");
      hash = name;
    } else if (tag === 0xa2) {
      const integer = readHeader(body, 0);
      saltLength = 0;
      for (const byte of body.subarray(integer.headerLength, integer.headerLength + integer.length)) saltLength = saltLength * 256 + byte;
    }
    offset += header.headerLength + header.length;
  }
  return { hash, saltLength };
}

function decodeOid(bytes: Uint8Array): string {
  const parts: number[] = [];
  let value = 0;
  for (const byte of bytes) {
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      if (parts.length === 0) parts.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
      else parts.push(value);
      value = 0;
    }
  }
  return parts.join(".");
}

/** DER of the first element of the outer SEQUENCE (tbsCertList): the exact bytes the CRL signature covers. */
function firstElementOfSequence(der: Uint8Array): Uint8Array {
  const outer = readHeader(der, 0);
  if (der[0] !== 0x30) throw new TeezkError("CRL_INVALID", "A CRL is not a DER SEQUENCE");
  const inner = readHeader(der, outer.headerLength);
  const end = outer.headerLength + inner.headerLength + inner.length;
  if (end > der.length) throw new TeezkError("CRL_INVALID", "A CRL is truncated");
  return der.subarray(outer.headerLength, end);
}

function readHeader(der: Uint8Array, offset: number): { headerLength: number; length: number } {
  const first = der[offset + 1];
  if (first === undefined) throw new TeezkError("CRL_INVALID", "A CRL is truncated");
  if (first < 0x80) return { headerLength: 2, length: first };
  const count = first & 0x7f;
  if (count === 0 || count > 4 || offset + 2 + count > der.length) throw new TeezkError("CRL_INVALID", "A CRL has a bad DER length");
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + der[offset + 2 + i]!;
  return { headerLength: 2 + count, length };
}

function normalizeSerial(hex: string): string {
  return hex.toLowerCase().replace(/^0+(?=.)/, "");
}
