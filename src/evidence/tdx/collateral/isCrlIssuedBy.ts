import type { X509Certificate } from "node:crypto";
import { AsnConvert } from "@peculiar/asn1-schema";
import { Certificate } from "@peculiar/asn1-x509";
import { bytesEqual } from "../../../util/bytes.js";
import type { DcapCrl } from "./types.js";

/** Whether the CRL's issuer Name is the certificate's subject, byte for byte (the signature is checked elsewhere). */
export function isCrlIssuedBy(crl: DcapCrl, issuer: X509Certificate): boolean {
  const subjectDer = new Uint8Array(AsnConvert.serialize(AsnConvert.parse(issuer.raw, Certificate).tbsCertificate.subject));
  return bytesEqual(subjectDer, crl.issuerDer);
}
