import type { PinnedRoot } from "../../util/x509.js";

/**
 * The AWS Nitro Enclaves Root-G1 certificate, pinned by the SHA-256 of its DER as AWS publishes it
 * (https://aws-nitro-enclaves.amazonaws.com/AWS_NitroEnclaves_Root-G1.zip). The certificate itself arrives as
 * `cabundle[0]` of every document.
 */
export const NITRO_PINNED_ROOTS: readonly PinnedRoot[] = Object.freeze([
  { name: "AWS Nitro Enclaves Root-G1", sha256: "641a0321a3e244efe456463195d606317ed7cdcc3c1756e09893f3c68f79bb5b" },
]);

/**
 * Size cap for a decoded COSE_Sign1 document, checked before any parsing. The AWS CDDL bounds every part:
 * certificates ≤ 1024 bytes each, public_key/user_data/nonce ≤ 1024 each, at most 32 PCRs of ≤ 64 bytes; a
 * document with a four-certificate bundle and every optional field full is about 8 KiB, so 32 KiB leaves room
 * for longer bundles while bounding the work an attacker can ask for.
 */
export const MAX_NITRO_DOCUMENT_BYTES = 32 * 1024;

/** COSE algorithm id of ES384 (ECDSA P-384 with SHA-384), the only one the Nitro hypervisor signs with. */
export const COSE_ALG_ES384 = -35;

/**
 * How far `now` may lag behind the document timestamp before the document counts as coming from the future:
 * the hypervisor's clock and the verifier's clock are not synchronised, so a few minutes are tolerated.
 */
export const NITRO_CLOCK_SKEW_MS = 5 * 60 * 1000;

/** AWS CDDL bounds (Nitro Enclaves NSM API, attestation document specification). */
export const NITRO_LIMITS = Object.freeze({
  maxCertBytes: 1024,
  maxUserFieldBytes: 1024,
  maxPcrIndex: 31,
  maxPcrCount: 32,
  pcrLengths: Object.freeze([32, 48, 64]),
});
