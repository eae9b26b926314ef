import { MAX_VERIFY_BODY_BYTES } from "../verifier/constants.js";

/** Key ids: what a URL path segment and an archive field can carry without escaping. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** Largest key a service holds: keys are symmetric keys or small secrets, never bulk data. */
export const MAX_KEY_MATERIAL_BYTES = 64 * 1024;

/** A release carries the same evidence a verifier node reads, plus three small fields. */
export const MAX_KEY_RELEASE_BODY_BYTES = MAX_VERIFY_BODY_BYTES;

/** How long an issued challenge stays usable: long enough to ask a TEE for evidence, short enough to be fresh. */
export const DEFAULT_CHALLENGE_TTL_MS = 5 * 60_000;

/**
 * Spent challenges remembered until they expire (issued ones are not stored at all); past this, releases are
 * SERVICE_BUSY, without spending the challenge, until some expire.
 */
export const DEFAULT_MAX_OUTSTANDING_CHALLENGES = 10_000;

export const DEFAULT_KEY_RELEASE_TIMEOUT_MS = 30_000;

/** The archive's `source` for evidence a key-release service records. */
export const KEY_RELEASE_ARCHIVE_SOURCE = "key-release";

/**
 * The channel's "circuit id" for a sealed key: `key-release:<id>`. It goes into the HPKE aad, so a key sealed
 * for one id does not open as another, and no witness message (whose circuit ids are circuit names) opens as a
 * key or the reverse.
 */
export function keyReleaseChannelId(keyId: string): string {
  return `key-release:${keyId}`;
}

/**
 * Largest witness ciphertext `decryptStoredWitness` accepts (decoded bytes, tag included): the prover node's
 * `/v1/prove-stored` body cap (4 MiB of base64 or hex) already bounds it; this bounds a direct caller too.
 */
export const MAX_STORED_WITNESS_BYTES = 2 * 1024 * 1024;

/**
 * The AES-256-GCM additional data of a witness stored under a released key: the key id and the circuit, with a
 * label and separators that neither alphabet contains (`|` is in no key id or circuit name), so a witness
 * encrypted for one circuit or key id does not decrypt as another's.
 */
export function storedWitnessAad(keyId: string, circuit: string): Uint8Array {
  return new Uint8Array(Buffer.from(`teezk/v1/stored-witness|${keyId}|${circuit}`, "utf8"));
}
