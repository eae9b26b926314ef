import type { X509Certificate } from "node:crypto";
import { bytesEqual } from "../../../util/bytes.js";
import { readCertificateFields } from "./readCertificateFields.js";
import type { DcapCrl } from "./types.js";

/**
 * Whether the CRL's issuer Name is the certificate's subject, byte for byte as both were encoded (the signature
 * is checked elsewhere).
 */
export function isCrlIssuedBy(crl: DcapCrl, issuer: X509Certificate): boolean {
  return bytesEqual(readCertificateFields(issuer.raw, { subjectOnly: true }).subjectDer, crl.issuerDer);
}
