import type { X509Certificate } from "node:crypto";
import { TeezkError } from "../../../errors/index.js";
import { isCrlIssuedBy } from "./isCrlIssuedBy.js";
import type { DcapCrl } from "./types.js";
import { verifySignatureCached } from "./verifySignatureCached.js";

const ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";

export type VerifyDcapCrlParameters = {
  crl: DcapCrl;
  /** The CA that must have issued the CRL (PCK Platform/Processor CA, or the Intel SGX Root CA). */
  issuer: X509Certificate;
  now: Date;
};

export type VerifyDcapCrlErrorType = TeezkError;

/**
 * A CRL counts only if its issuer Name is the CA's subject (byte for byte), the CA's key signed it
 * (ECDSA P-256/SHA-256, as Intel issues them) and `now` lies in thisUpdate..nextUpdate. Wrong issuer or
 * signature is CRL_INVALID; a stale or not-yet-valid CRL is COLLATERAL_EXPIRED, never a pass.
 */
export function verifyDcapCrl({ crl, issuer, now }: VerifyDcapCrlParameters): void {
  if (!isCrlIssuedBy(crl, issuer)) {
    throw new TeezkError("CRL_INVALID", `${crl.source}: the CRL was not issued by ${firstLine(issuer.subject)}`, {
      details: "the CRL issuer Name differs from the expected CA's subject",
    });
  }
  if (crl.signatureAlgorithm !== ECDSA_WITH_SHA256) {
    throw new TeezkError("UNSUPPORTED_ALGORITHM", `${crl.source}: CRL signature algorithm ${crl.signatureAlgorithm} is not ecdsa-with-SHA256`);
  }
  // The signature is a pure function of the bytes (cached); the update window below is judged at every call.
  if (!verifySignatureCached({ signer: issuer, data: crl.tbs, signature: crl.signature, dsaEncoding: "der" })) throw new TeezkError("CRL_INVALID", `${crl.source}: the CRL signature does not verify with ${firstLine(issuer.subject)}'s key`);
  if (!crl.nextUpdate) throw new TeezkError("CRL_INVALID", `${crl.source}: the CRL has no nextUpdate, so its freshness cannot be judged`);
  if (now < crl.thisUpdate || now > crl.nextUpdate) {
    throw new TeezkError("COLLATERAL_EXPIRED", `${crl.source}: the CRL is not current at ${now.toISOString()}`, {
      details: `thisUpdate ${crl.thisUpdate.toISOString()}, nextUpdate ${crl.nextUpdate.toISOString()}`,
      metaMessages: ["Fetch a fresh CRL from Intel PCS (or your PCCS): stale collateral never yields a TCB status."],
    });
  }
}

function firstLine(name: string): string {
  return name.split("\n").find((part) => part.startsWith("CN=")) ?? name.replace(/\n/g, ", ");
}
