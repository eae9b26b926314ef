import type { X509Certificate } from "node:crypto";
import { normalizeSerial } from "./parseDcapCrl.js";
import type { DcapCrl } from "./types.js";

/**
 * Whether the CRL lists the certificate's serial number. Only meaningful once `verifyDcapCrl` has shown that
 * the CRL comes from the certificate's issuer: serials are unique per issuer, not globally.
 */
export function isCertificateRevoked(crl: DcapCrl, cert: X509Certificate | { serialNumber: string }): boolean {
  return crl.revokedSerials.has(normalizeSerial(cert.serialNumber));
}
