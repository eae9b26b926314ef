// The leaf module, not the vendor index: the CLI reads these constants while declaring flags, before any verifier loads.
import { MAX_GPU_EVIDENCE_BYTES } from "../../evidence/nvidia/types.js";

/**
 * Largest JSON body `POST /v1/verify` reads. The largest evidence any vendor verifier accepts is NVIDIA's
 * (MAX_GPU_EVIDENCE_BYTES, 1 MiB); hex text is twice that, so a body holds one such evidence and one GPU
 * evidence in hex with room for the other fields. Anything larger is refused before it is read whole
 * (REQUEST_TOO_LARGE); each evidence is checked again against its own vendor's cap.
 */
export const MAX_VERIFY_BODY_BYTES = 2 * (2 * MAX_GPU_EVIDENCE_BYTES + 1024) + 16 * 1024;

/**
 * A verification is synchronous CPU work bounded by the evidence caps (tens of ms for the largest multi-GPU
 * set); the timeout bounds what waits around it (queuing, the archive's lock, signing).
 */
export const DEFAULT_VERIFY_TIMEOUT_MS = 30_000;

/**
 * Verifications admitted at once (reading their body, verifying, archiving); more get SERVICE_BUSY before their
 * body is read. Verification is synchronous CPU on one thread, so more in flight only adds queued bodies
 * (each up to MAX_VERIFY_BODY_BYTES) to memory: 16 × ~4 MiB at most, twice the load bench's 8 connections.
 */
export const DEFAULT_MAX_CONCURRENT_VERIFICATIONS = 16;

/** The archive's `source` for what a verifier node records. */
export const VERIFIER_ARCHIVE_SOURCE = "verifier-node";

/**
 * How far a requested `at` may lie from a node's own clock (either way) for the node to verify as of it without
 * `allowRequestTime`. Evidence that carries no time of its own (a TDX quote, an SEV-SNP report, GPU evidence)
 * gets the verification time as its claims timestamp, so committee members must verify as of one time to sign the
 * same claims hash: the requester picks it and sends it to every node. The bound covers ordinary clock skew
 * between hosts and the time a request takes; it is far below any collateral's or certificate's lifetime, so it
 * cannot be used to re-verify evidence that expired (at most this much after its expiry), and a chain still
 * checks the claims' age against its block time.
 */
export const DEFAULT_REQUEST_TIME_SKEW_MS = 120_000;
