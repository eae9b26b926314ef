import type { X509Certificate } from "node:crypto";
import type { DevKeyPair } from "./types.js";
import { subjectName } from "./issueCertificate.js";
import { issueCrl } from "./issueCrl.js";

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
  return issueCrl({
    issuer: subjectName(issuer.certificate),
    privateKey: issuer.privateKey,
    thisUpdate: new Date(now.getTime() - DAY_MS),
    nextUpdate: new Date(now.getTime() + 30 * DAY_MS),
    revokedSerials: revoked.map((cert) => new Uint8Array(Buffer.from(cert.serialNumber, "hex"))),
  });
}

/** A CRL as one PEM `X509 CRL` block (how AMD KDS serves it, and how it travels in text-only answers). */
export function crlPem(der: Uint8Array): string {
  return `-----BEGIN X509 CRL-----\n${Buffer.from(der).toString("base64").replace(/.{64}/g, "$&\n")}\n-----END X509 CRL-----\n`;
}
