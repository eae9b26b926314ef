import type { X509Certificate } from "node:crypto";
import { AsnConvert } from "@peculiar/asn1-schema";
import { Certificate, CertificateList, RevokedCertificate, TBSCertList, Time, Version } from "@peculiar/asn1-x509";
import type { DevKeyPair } from "./types.js";
import { signatureAlgorithm, signWith } from "./issueDevCertificate.js";

export type IssueDevCrlParameters = {
  /** The CA that issues the list (its subject becomes the CRL issuer, byte for byte). */
  issuer: DevKeyPair;
  /** The list is current from a day before `now` to 30 days after it. */
  now: Date;
  /** Revoked certificates (default none). */
  revoked?: readonly X509Certificate[];
};

const DAY_MS = 86_400_000;

/**
 * A CRL of a dev CA, signed the vendor's way (Intel ECDSA P-256/SHA-256, AMD RSA-PSS SHA-384), so simulated
 * collateral is complete: the default reference values require revocation, and a simulated TEE must pass them
 * the way a real one with fresh collateral does.
 */
export function issueDevCrl({ issuer, now, revoked = [] }: IssueDevCrlParameters): Uint8Array {
  const algorithm = signatureAlgorithm(issuer.privateKey);
  const thisUpdate = new Date(now.getTime() - DAY_MS);
  const tbs = new TBSCertList({
    version: Version.v2,
    signature: algorithm,
    issuer: AsnConvert.parse(issuer.certificate.raw, Certificate).tbsCertificate.subject,
    thisUpdate: new Time(thisUpdate),
    nextUpdate: new Time(new Date(now.getTime() + 30 * DAY_MS)),
    ...(revoked.length
      ? {
          revokedCertificates: revoked.map(
            (cert) => new RevokedCertificate({ userCertificate: new Uint8Array(Buffer.from(cert.serialNumber, "hex")).buffer, revocationDate: new Time(thisUpdate) }),
          ),
        }
      : {}),
  });
  const signature = signWith(issuer.privateKey, new Uint8Array(AsnConvert.serialize(tbs)));
  const list = new CertificateList({ tbsCertList: tbs, signatureAlgorithm: algorithm, signature: new Uint8Array(signature).buffer });
  return new Uint8Array(AsnConvert.serialize(list));
}

/** A CRL as one PEM `X509 CRL` block (how AMD KDS serves it, and how it travels in text-only answers). */
export function crlPem(der: Uint8Array): string {
  return `-----BEGIN X509 CRL-----\n${Buffer.from(der).toString("base64").replace(/.{64}/g, "$&\n")}\n-----END X509 CRL-----\n`;
}
