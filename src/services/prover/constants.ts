/**
 * Largest `POST /v1/prove` body the node reads: a sealed message is hex, so 4 MiB carries a witness of up to
 * ~2 MiB of JSON (the membership witness is ~2 KiB; the channel's own cap, 16 MiB, is for other deployments,
 * which raise this with `maxBodyBytes`). Larger bodies are refused while they are read (REQUEST_TOO_LARGE).
 */
export const MAX_PROVE_BODY_BYTES = 4 * 1024 * 1024;

/**
 * A request that has not been answered after this long gets REQUEST_TIMEOUT. A warm membership proof takes about
 * a second on two cores; the margin covers a queue of proofs and a cold prover process.
 */
export const DEFAULT_PROVE_TIMEOUT_MS = 120_000;

/** Attestation is evidence collection plus a few hashes; a TEE that takes longer than this is stuck. */
export const DEFAULT_ATTESTATION_TIMEOUT_MS = 30_000;

/**
 * How long a nonce the node attested stays usable for one prove. The client proves right after it verified the
 * evidence (milliseconds); the window only has to cover a slow client, and bounds how long the node remembers.
 */
export const DEFAULT_NONCE_TTL_MS = 5 * 60_000;

/**
 * At most this many nonces are remembered (issued or used). A full table refuses new attestations (SERVICE_BUSY)
 * rather than forget a live nonce; with the default rate and lifetime it never fills (20/s × 300 s < 10,000).
 */
export const DEFAULT_MAX_NONCES = 10_000;

/**
 * Attestations admitted per second (and in a burst). Anyone may ask for one and each runs a real evidence
 * collection, so the rate bounds the TEE's work under a flood; an honest client asks once per proof.
 */
export const DEFAULT_ATTESTATIONS_PER_SECOND = 20;

/** Evidence collections running at once: a TEE serves them one after another anyway. */
export const DEFAULT_MAX_CONCURRENT_ATTESTATIONS = 4;

/**
 * Proofs admitted at once (running or queued behind the serialized prover); more are refused with PROVER_BUSY
 * before their body is read, so a burst cannot hold unbounded sealed witnesses in memory.
 */
export const DEFAULT_MAX_QUEUED_PROOFS = 16;

/** The archive's `source`-like tag for what a prover node records (the proof record's backend is "groth16"). */
export const PROVER_ARCHIVE_SOURCE = "prover-node";
