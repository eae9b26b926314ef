import type { X509Certificate, KeyObject } from "node:crypto";
import { AttributeTypeAndValue, AttributeValue, Name, RelativeDistinguishedName } from "@peculiar/asn1-x509";
import { issueCertificate, subjectName, type CertificateExtension } from "./issueCertificate.js";

/** Every simulated certificate says what it is, so nobody mistakes one for a vendor's. */
export const DEV_ROOT_LABEL = "teezk DEV ROOT — NOT FOR PRODUCTION";

const OID = { commonName: "2.5.4.3", organization: "2.5.4.10", organizationalUnit: "2.5.4.11" } as const;

export type DevIssuer = { certificate: X509Certificate; privateKey: KeyObject };

export type IssueDevCertificateParameters = {
  commonName: string;
  /** Public key certified; the issuer's key signs (a self-signed root passes its own pair as `selfSign`). */
  publicKey: KeyObject;
  issuer: DevIssuer | { selfSign: KeyObject };
  ca: boolean;
  notBefore: Date;
  notAfter: Date;
  /** Vendor extensions: OID → the DER of the extension value. */
  extensions?: readonly CertificateExtension[];
};

/**
 * A simulated TEE's certificate: issueCertificate with subject O = DEV_ROOT_LABEL, OU = "teezk simulated TEE"
 * and the given CN, issued under the issuer certificate's own subject name.
 */
export function issueDevCertificate(parameters: IssueDevCertificateParameters): X509Certificate {
  const { commonName, issuer, ...rest } = parameters;
  return issueCertificate({
    ...rest,
    subject: devName(commonName),
    issuer: "selfSign" in issuer ? issuer : { name: subjectName(issuer.certificate), privateKey: issuer.privateKey, publicKey: issuer.certificate.publicKey },
  });
}

function devName(commonName: string): Name {
  const attribute = (type: string, text: string) =>
    new RelativeDistinguishedName([new AttributeTypeAndValue({ type, value: new AttributeValue({ utf8String: text }) })]);
  return new Name([attribute(OID.organization, DEV_ROOT_LABEL), attribute(OID.organizationalUnit, "teezk simulated TEE"), attribute(OID.commonName, commonName)]);
}
