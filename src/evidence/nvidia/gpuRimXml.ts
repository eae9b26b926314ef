import { createHash, createPrivateKey, createPublicKey, KeyObject, sign, verify, type KeyLike } from "node:crypto";
import { C14nCanonicalization, SignedXml, type HashAlgorithm, type SignatureAlgorithm } from "xml-crypto";

/** The XML-DSig algorithms NVIDIA's RIMs use (every real RIM names exactly these). */
export const RIM_XMLDSIG = {
  ns: "http://www.w3.org/2000/09/xmldsig#",
  c14n11: "http://www.w3.org/2006/12/xml-c14n11",
  enveloped: "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
  ecdsaSha384: "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384",
  sha384: "http://www.w3.org/2001/04/xmldsig-more#sha384",
} as const;

class Sha384 implements HashAlgorithm {
  getHash(xml: string): string {
    return createHash("sha384").update(xml, "utf8").digest("base64");
  }
  getAlgorithmName(): string {
    return RIM_XMLDSIG.sha384;
  }
}

/** XML-DSig ECDSA (RFC 4050 / RFC 6931): SignatureValue is r ‖ s, not DER. */
class EcdsaSha384 implements SignatureAlgorithm {
  getSignature(signedInfo: string, privateKey: KeyLike): string {
    return sign("sha384", Buffer.from(signedInfo, "utf8"), { key: privateKey instanceof KeyObject ? privateKey : createPrivateKey(privateKey), dsaEncoding: "ieee-p1363" }).toString("base64");
  }
  verifySignature(material: string, key: KeyLike, signatureValue: string): boolean {
    try {
      return verify("sha384", Buffer.from(material, "utf8"), { key: key instanceof KeyObject ? key : createPublicKey(key), dsaEncoding: "ieee-p1363" }, Buffer.from(signatureValue, "base64"));
    } catch {
      return false;
    }
  }
  getAlgorithmName(): string {
    return RIM_XMLDSIG.ecdsaSha384;
  }
}

/**
 * Canonical XML 1.1 differs from 1.0 only in how xml:id / xml:base / xml:lang / xml:space are inherited into a
 * document subset whose apex is not the root. A RIM's reference is the whole document (URI="") minus its
 * enveloped signature, and the parser refuses xml:* attributes, so 1.0's output is exactly 1.1's here.
 */
class C14n11 extends C14nCanonicalization {
  override getAlgorithmName(): string {
    return RIM_XMLDSIG.c14n11;
  }
}

/** A SignedXml that knows only the RIM algorithms: no RSA, no HMAC, no exclusive c14n, no key from KeyInfo. */
export function rimSignedXml(options: { publicCert?: KeyLike; privateKey?: KeyLike } = {}): SignedXml {
  const signed = new SignedXml({ ...options, getCertFromKeyInfo: () => null });
  signed.CanonicalizationAlgorithms = { [RIM_XMLDSIG.c14n11]: C14n11, [RIM_XMLDSIG.enveloped]: signed.CanonicalizationAlgorithms[RIM_XMLDSIG.enveloped]! };
  signed.HashAlgorithms = { [RIM_XMLDSIG.sha384]: Sha384 };
  signed.SignatureAlgorithms = { [RIM_XMLDSIG.ecdsaSha384]: EcdsaSha384 };
  return signed;
}
