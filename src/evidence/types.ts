import type { X509Certificate } from "node:crypto";
import type { VerifiedEvidence } from "../claims/types.js";
import type { PinnedRoot } from "../util/x509.js";

/**
 * What every vendor's `verify…` takes. Verification is pure: bytes in, claims out, `now` explicit. Anything
 * read from disk (collateral folders) is loaded beforehand by the vendor's `load…Collateral(dir)`.
 */
export type VerifyEvidenceParameters<TCollateral = undefined> = {
  /** Decoded evidence bytes (callers decode hex/base64 with `decodeEvidenceInput`). */
  evidence: Uint8Array;
  /** Verification time: certificates, CRLs and collateral must be valid at this instant. */
  now: Date;
  collateral?: TCollateral;
  /**
   * Extra roots to accept besides the vendor's pinned production roots, e.g. the dev root of a simulated
   * TEE. Never set in production: a policy's `allowedRoots` rejects them anyway.
   */
  extraTrustedRoots?: readonly PinnedRoot[];
  /** Root certificates to complete a chain that stops below its root (the root itself is still pinned). */
  rootCertificates?: readonly X509Certificate[];
};

export type { VerifiedEvidence };
