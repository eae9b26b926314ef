import type { X509Certificate } from "node:crypto";
import { AsnConvert } from "@peculiar/asn1-schema";
import { Certificate } from "@peculiar/asn1-x509";
import { bytesEqual } from "../../../util/bytes.js";
import { BoundedCache } from "./BoundedCache.js";
import type { DcapCrl } from "./types.js";

/** Subject Name DER by certificate fingerprint: an ASN.1 parse of the whole certificate costs ~0.3 ms, and the
 * issuers checked here are the same few CAs (PCK Platform/Processor CA, Intel root) on every call. */
const subjects = new BoundedCache<string, Uint8Array>(256);

/** Whether the CRL's issuer Name is the certificate's subject, byte for byte (the signature is checked elsewhere). */
export function isCrlIssuedBy(crl: DcapCrl, issuer: X509Certificate): boolean {
  return bytesEqual(subjectDer(issuer), crl.issuerDer);
}

function subjectDer(cert: X509Certificate): Uint8Array {
  const key = cert.fingerprint256;
  const cached = subjects.get(key);
  if (cached) return cached;
  const der = new Uint8Array(AsnConvert.serialize(AsnConvert.parse(cert.raw, Certificate).tbsCertificate.subject));
  subjects.set(key, der);
  return der;
}
