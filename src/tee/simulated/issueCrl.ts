import type { KeyObject } from "node:crypto";
import { AsnConvert } from "@peculiar/asn1-schema";
import { CertificateList, type Name, RevokedCertificate, TBSCertList, Time, Version } from "@peculiar/asn1-x509";
import { signatureAlgorithm, signWith } from "./issueCertificate.js";

export type IssueCrlParameters = {
  /** The issuing CA's subject name (compared to the certificates' issuer names byte for byte). */
  issuer: Name;
  /** Signs the list, the vendor's way for its type (see signatureAlgorithm). */
  privateKey: KeyObject;
  thisUpdate: Date;
  nextUpdate: Date;
  /** Serial numbers (positive DER INTEGER content bytes), each revoked at `thisUpdate`; empty: no list at all. */
  revokedSerials?: readonly Uint8Array[];
};

/** A v2 CRL as DER, signed like the certificates of the same key. */
export function issueCrl({ issuer, privateKey, thisUpdate, nextUpdate, revokedSerials = [] }: IssueCrlParameters): Uint8Array {
  const algorithm = signatureAlgorithm(privateKey);
  const tbs = new TBSCertList({
    version: Version.v2,
    signature: algorithm,
    issuer,
    thisUpdate: new Time(thisUpdate),
    nextUpdate: new Time(nextUpdate),
    // RFC 5280 §5.1.2.6: when nothing is revoked the list is absent, not empty.
    ...(revokedSerials.length
      ? {
          revokedCertificates: revokedSerials.map(
            (serial) => new RevokedCertificate({ userCertificate: new Uint8Array(serial).buffer, revocationDate: new Time(thisUpdate) }),
          ),
        }
      : {}),
  });
  const signature = signWith(privateKey, new Uint8Array(AsnConvert.serialize(tbs)));
  const list = new CertificateList({ tbsCertList: tbs, signatureAlgorithm: algorithm, signature: new Uint8Array(signature).buffer });
  return new Uint8Array(AsnConvert.serialize(list));
}
