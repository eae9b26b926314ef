import type { X509Certificate } from "node:crypto";
import { assertValidAt, verifyCertificateChain, verifyIssuedSignature, type VerifyChainParameters, type VerifyChainReturnType } from "../../../util/x509.js";
import { BoundedCache } from "./BoundedCache.js";

export type VerifyCertificateChainCachedParameters = VerifyChainParameters;
export type VerifyCertificateChainCachedReturnType = VerifyChainReturnType;

/** A few hundred platforms' PCK chains plus the TCB signing chains: each entry is a handful of certificates. */
const CHAIN_CACHE_ENTRIES = 512;
const verifiedChains = new BoundedCache<string, VerifyChainReturnType>(CHAIN_CACHE_ENTRIES);
/** Certificate signatures that verified, keyed "child>issuer" by SHA-256 fingerprints: roots, CAs and a fleet's leaves. */
const verifiedSignatures = new BoundedCache<string, true>(CHAIN_CACHE_ENTRIES * 2);

/**
 * `verifyCertificateChain` with its time-independent part remembered. Issuance, CA flags, signatures and the
 * pinned root are a pure function of the certificates' DER, the extra roots and the pins, so a chain that passed
 * them once (keyed by SHA-256 fingerprints of all of those) is not re-verified; every certificate's validity
 * window is still checked at `at` on every call, with the same error as a cold check. Only successes are kept:
 * a rejected chain is re-verified (and rejected again) in full.
 */
export function verifyCertificateChainCached(params: VerifyCertificateChainCachedParameters): VerifyCertificateChainCachedReturnType {
  const key = chainKey(params);
  const cached = verifiedChains.get(key);
  if (cached) {
    cached.chain.forEach((cert, index) => assertValidAt(cert, params.at, `${params.what} certificate ${index}`));
    return { ...cached, chain: [...cached.chain] };
  }
  const result = verifyCertificateChain({ ...params, verifySignature: verifyIssuedSignatureCached });
  verifiedChains.set(key, Object.freeze({ ...result, chain: Object.freeze([...result.chain]) as X509Certificate[] }));
  return result;
}

function chainKey({ chain, pinnedRoots, extraRoots = [] }: VerifyChainParameters): string {
  return [
    chain.map((cert) => cert.fingerprint256).join(","),
    extraRoots.map((cert) => cert.fingerprint256).join(","),
    pinnedRoots.map((pin) => `${pin.sha256.toLowerCase()}=${JSON.stringify(pin.name)}`).join(","),
  ].join("|");
}

/**
 * A certificate's signature by its issuer is a pure function of the two DERs, so a success is remembered by their
 * fingerprints: a fleet's PCK CAs and TCB signing certificate are verified once, not per quote. Failures are not kept.
 */
function verifyIssuedSignatureCached(child: X509Certificate, parent: X509Certificate): boolean {
  const key = `${child.fingerprint256}>${parent.fingerprint256}`;
  if (verifiedSignatures.get(key)) return true;
  const valid = verifyIssuedSignature(child, parent);
  if (valid) verifiedSignatures.set(key, true);
  return valid;
}
