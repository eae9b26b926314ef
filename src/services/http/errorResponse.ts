import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { isTeezkError, TeezkError, type ErrorCode } from "../../errors/index.js";

/** HTTP status per code family: the client's fault (4xx) vs the node's (5xx), so retries are informed. */
const statusByCode: Partial<Record<ErrorCode, ContentfulStatusCode>> = {
  REQUEST_INVALID: 400,
  REQUEST_TOO_LARGE: 413,
  REQUEST_TIMEOUT: 504,
  REQUEST_TIME_SKEWED: 400,
  NONCE_REPLAYED: 409,
  KEY_NOT_FOUND: 404,
  KEY_RELEASE_REFUSED: 403,
  VERDICT_REFUSED: 422,
  WITNESS_INVALID: 422,
  CHANNEL_INVALID: 400,
  CHANNEL_PARAMETERS_INVALID: 400,
  CHANNEL_PLAINTEXT_TOO_LARGE: 413,
  CIRCUIT_NOT_BUILT: 503,
  TEE_UNAVAILABLE: 503,
  ARCHIVE_WRITE_FAILED: 503,
  INTERNAL: 500,
  PROVER_FAILED: 500,
  PROVER_BUSY: 503,
  SERVICE_BUSY: 503,
};

/** The JSON body every teezk service answers with on failure: `{ error: { code, message, details? } }`. */
export type ServiceErrorBody = { error: { code: ErrorCode; message: string; details?: string } };

/**
 * Turns any thrown value into a JSON error response. Unknown exceptions become INTERNAL without their message,
 * since a message could carry request data (a witness must never leave the node in an error).
 */
export function errorResponse(context: Context, error: unknown): Response {
  const teezkError = isTeezkError(error)
    ? error
    : new TeezkError("INTERNAL", "the service failed while handling the request");
  // Evidence and policy rejections (CERT_*, MEASUREMENT_*, …) are the caller's evidence being refused: 422.
  const status = statusByCode[teezkError.code] ?? 422;
  const body: ServiceErrorBody = { error: teezkError.toJSON() };
  return context.json(body, status);
}
