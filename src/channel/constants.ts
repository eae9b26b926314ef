/**
 * The one HPKE suite the witness channel speaks (RFC 9180 ids). A prover that cannot speak exactly this suite
 * cannot receive witnesses: there is no negotiation, so there is nothing to downgrade.
 */
export const CHANNEL_SUITE = {
  kem: 0x0020, // DHKEM(X25519, HKDF-SHA256)
  kdf: 0x0001, // HKDF-SHA256
  aead: 0x0002, // AES-256-GCM
} as const;

/** The `version` field of every sealed message; bump it together with the info/aad layout below. */
export const SEALED_MESSAGE_VERSION = 1;

/** HPKE `info` prefix: info = INFO_LABEL (ASCII, 16 bytes) ‖ binding (32 bytes). */
export const CHANNEL_INFO_LABEL = "teezk/v1/witness";

/** X25519 public keys and the KEM's `enc` are 32 raw bytes. */
export const HPKE_PUBLIC_KEY_BYTES = 32;

/**
 * Largest plaintext the channel seals or opens: 16 MiB. Circom witness inputs are JSON of at most a few MiB;
 * the cap keeps a hostile sealed message from making a prover allocate without bound.
 */
export const MAX_CHANNEL_PLAINTEXT_BYTES = 16 * 1024 * 1024;

/** AES-GCM tag length: ciphertext = plaintext + 16 bytes. */
export const AEAD_TAG_BYTES = 16;

/** Circuit ids and request ids are UTF-8 strings of 1 to 256 bytes (each is length-prefixed in the aad). */
export const MAX_CHANNEL_ID_BYTES = 256;
