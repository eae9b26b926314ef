import { AsnConvert } from "@peculiar/asn1-schema";
import { CertificateList } from "@peculiar/asn1-x509";
import { TeezkError } from "../../../errors/index.js";
import { DerTag, readDerSingle, readDerSequence } from "./readDer.js";
import type { DcapCrl } from "./types.js";

/** Intel's PCK CRLs are a few KiB; a 1 MiB cap leaves room for growth and refuses junk before parsing. */
export const MAX_CRL_BYTES = 1 << 20;

export type ParseDcapCrlErrorType = TeezkError;

/**
 * Parses a DER CRL (Intel PCK Platform/Processor CA CRL or Intel SGX Root CA CRL) into what appraisal needs:
 * the signed tbsCertList bytes, the signature, the issuer Name DER, the update window and the revoked
 * serials. @peculiar/asn1-x509 does the ASN.1; the exact tbs bytes come from the outer DER so the
 * signature is checked over what Intel signed, not a re-encoding.
 */
export function parseDcapCrl(der: Uint8Array, source: string): DcapCrl {
  if (der.length > MAX_CRL_BYTES) {
    throw new TeezkError("COLLATERAL_INVALID", `${source}: CRL of ${der.length} bytes exceeds the ${MAX_CRL_BYTES}-byte cap`);
  }
  try {
    const outer = readDerSingle(der, DerTag.SEQUENCE, `${source} CRL`, "COLLATERAL_INVALID");
    const [tbs, , signatureBits, ...rest] = readDerSequence(outer.value, `${source} CRL`, "COLLATERAL_INVALID");
    if (!tbs || !signatureBits || rest.length > 0 || tbs.tag !== DerTag.SEQUENCE || signatureBits.tag !== DerTag.BIT_STRING) {
      throw new TeezkError("COLLATERAL_INVALID", `${source}: not a CertificateList { tbsCertList, algorithm, signature }`);
    }
    if (signatureBits.value[0] !== 0) throw new TeezkError("COLLATERAL_INVALID", `${source}: CRL signature has unused bits`);
    const list = AsnConvert.parse(der, CertificateList);
    const revokedSerials = new Set<string>();
    for (const entry of list.tbsCertList.revokedCertificates ?? []) {
      revokedSerials.add(normalizeSerial(Buffer.from(entry.userCertificate).toString("hex")));
    }
    const nextUpdate = list.tbsCertList.nextUpdate?.getTime();
    return {
      der,
      tbs: tbs.element,
      issuerDer: new Uint8Array(AsnConvert.serialize(list.tbsCertList.issuer)),
      signature: signatureBits.value.subarray(1),
      signatureAlgorithm: list.signatureAlgorithm.algorithm,
      thisUpdate: list.tbsCertList.thisUpdate.getTime(),
      ...(nextUpdate ? { nextUpdate } : {}),
      revokedSerials,
      source,
    };
  } catch (error) {
    if (error instanceof TeezkError) throw error;
    throw new TeezkError("COLLATERAL_INVALID", `${source}: the CRL could not be parsed`, {
      details: error instanceof Error ? error.message : String(error),
      cause: error,
    });
  }
}

/** Serial numbers compare as integers: lowercase hex without leading zeros (node prints "00AB", DER "ab"). */
export function normalizeSerial(hex: string): string {
  const clean = hex.toLowerCase().replace(/[^0-9a-f]/g, "").replace(/^0+/, "");
  return clean === "" ? "0" : clean;
}
