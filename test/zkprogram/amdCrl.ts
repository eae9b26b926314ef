import { constants, sign, type KeyObject } from "node:crypto";
import { AsnConvert } from "@peculiar/asn1-schema";
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  CertificateList,
  Name,
  RelativeDistinguishedName,
  RevokedCertificate,
  TBSCertList,
  Time,
  Version,
} from "@peculiar/asn1-x509";

// RSASSA-PSS-params { sha384, mgf1(sha384), salt 48 }: what AMD's KDS signs its CRLs with.
const PSS_SHA384_PARAMS = Buffer.from(
  "3034a00f300d06096086480165030402020500a11c301a06092a864886f70d010108300d06096086480165030402020500a203020130",
  "hex",
);

export type AmdCrlParameters = {
  issuerCn: string;
  issuerKey: KeyObject;
  /** Serial numbers as hex (node's X509Certificate.serialNumber). */
  revokedSerials: readonly string[];
  thisUpdate: Date;
  nextUpdate: Date;
};

/** A CRL shaped like AMD KDS's (issuer CN, RSA-PSS SHA-384 by the issuer's key), as DER. */
export function makeAmdCrl(p: AmdCrlParameters): Uint8Array {
  const algorithm = new AlgorithmIdentifier({ algorithm: "1.2.840.113549.1.1.10", parameters: new Uint8Array(PSS_SHA384_PARAMS).buffer });
  const serial = (hex: string) => {
    const bytes = Buffer.from(hex.length % 2 ? `0${hex}` : hex, "hex");
    return new Uint8Array(bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes).buffer;
  };
  const tbs = new TBSCertList({
    version: Version.v2,
    signature: algorithm,
    issuer: new Name([new RelativeDistinguishedName([new AttributeTypeAndValue({ type: "2.5.4.3", value: new AttributeValue({ utf8String: p.issuerCn }) })])]),
    thisUpdate: new Time(p.thisUpdate),
    nextUpdate: new Time(p.nextUpdate),
    revokedCertificates: p.revokedSerials.map((hex) => new RevokedCertificate({ userCertificate: serial(hex), revocationDate: new Time(p.thisUpdate) })),
  });
  const tbsDer = new Uint8Array(AsnConvert.serialize(tbs));
  const signature = sign("sha384", tbsDer, { key: p.issuerKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 48 });
  return new Uint8Array(AsnConvert.serialize(new CertificateList({ tbsCertList: tbs, signatureAlgorithm: algorithm, signature: new Uint8Array(signature).buffer })));
}
