import { hash, verify as verifySignature, type X509Certificate } from "node:crypto";
import { BoundedCache } from "./BoundedCache.js";

export type VerifySignatureCachedParameters = {
  /** The certificate whose public key must have signed `data`. */
  signer: X509Certificate;
  data: Uint8Array;
  signature: Uint8Array;
  /** "ieee-p1363" for Intel's r‖s (TCB info, QE identity), "der" for X.509 structures (CRLs). */
  dsaEncoding: "ieee-p1363" | "der";
};

/** Collateral signatures per platform family: TCB info, QE identity and two CRLs per FMSPC. */
const SIGNATURE_CACHE_ENTRIES = 512;
const verified = new BoundedCache<string, true>(SIGNATURE_CACHE_ENTRIES);

/**
 * ECDSA-with-SHA-256 verification by OpenSSL, remembered for signed collateral: whether a key signed some bytes is
 * a pure function of (signer certificate DER, signature, bytes), so a success is keyed by a SHA-256 over all three
 * and later calls with the same content skip the public-key operation. Keyed by content, never by object identity,
 * so bytes changed in place are verified afresh. Failures are not kept. Returns false on any OpenSSL error.
 */
export function verifySignatureCached({ signer, data, signature, dsaEncoding }: VerifySignatureCachedParameters): boolean {
  // One-shot hash: a streaming Hash is a native object per call, left for the garbage collector to finalise.
  const key = hash("sha256", Buffer.concat([Buffer.from(`${signer.fingerprint256}|${dsaEncoding}|${signature.length}|`), signature, data]), "hex");
  if (verified.get(key)) return true;
  let valid = false;
  try {
    valid = verifySignature("sha256", data, { key: signer.publicKey, dsaEncoding }, signature);
  } catch {
    valid = false;
  }
  if (valid) verified.set(key, true);
  return valid;
}
