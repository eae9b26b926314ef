import type { Hono, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { timeout } from "hono/timeout";
import { isTeezkError, TeezkError } from "../../errors/index.js";
import { errorResponse } from "./errorResponse.js";

export type ApplyServiceLimitsParameters = {
  /** Largest request body read (bytes); larger bodies are REQUEST_TOO_LARGE before they are buffered. */
  maxBodyBytes: number;
  /**
   * Answer REQUEST_TIMEOUT after this long (ms), on every route. Leave it out when the service times its routes
   * itself with `serviceTimeout` (the prover node: attestations and proofs take very different times).
   */
  timeoutMs?: number;
};

/** The limits a service's creator may override; each service states its defaults (MAX_VERIFY_BODY_BYTES, …). */
export type ServiceLimitOptions = {
  /** Largest request body read (bytes). */
  maxBodyBytes?: number;
  /** Per-request timeout (ms). */
  timeoutMs?: number;
};

/**
 * The guard rails every teezk service shares: a body cap checked while reading (a declared Content-Length over
 * the cap is refused without reading), a per-request timeout, and JSON error bodies with stable codes for
 * everything, including unknown routes and exceptions that are not TeezkErrors. Middleware runs in the order it
 * is added: what a service adds before calling this (a route's own timeout, an admission gate) wraps these.
 */
export function applyServiceLimits(app: Hono, { maxBodyBytes, timeoutMs }: ApplyServiceLimitsParameters): void {
  app.use(
    "*",
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: (context) => {
        // The rest of the body is never read, so the connection cannot carry another request: close it.
        context.header("Connection", "close");
        return errorResponse(context, new TeezkError("REQUEST_TOO_LARGE", `The request body is larger than the ${maxBodyBytes}-byte cap`));
      },
    }),
  );
  if (timeoutMs !== undefined) app.use("*", serviceTimeout(timeoutMs));
  app.notFound((context) =>
    context.json({ error: { code: "REQUEST_INVALID", message: `No route ${context.req.method} ${context.req.path}` } }, 404),
  );
  app.onError((error, context) => {
    if (error instanceof HTTPException && error.status === 504) {
      return errorResponse(context, isTeezkError(error.cause) ? error.cause : new TeezkError("REQUEST_TIMEOUT", "The request did not complete in time"));
    }
    return errorResponse(context, error);
  });
}

/**
 * A timeout for the routes it is mounted on (`app.use(path, serviceTimeout(ms))`), answered as REQUEST_TIMEOUT by
 * the error handler applyServiceLimits installs.
 */
export function serviceTimeout(timeoutMs: number): MiddlewareHandler {
  return timeout(
    timeoutMs,
    () => new HTTPException(504, { cause: new TeezkError("REQUEST_TIMEOUT", `The request did not complete within ${timeoutMs} ms`) }),
  );
}
