import type { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { timeout } from "hono/timeout";
import { TeezkError } from "../../errors/index.js";
import { errorResponse } from "../http/index.js";

export type ApplyServiceLimitsParameters = {
  /** Largest request body read (bytes); larger bodies are REQUEST_TOO_LARGE before they are buffered. */
  maxBodyBytes: number;
  /** Answer REQUEST_TIMEOUT after this long (ms). */
  timeoutMs: number;
};

/**
 * The guard rails every teezk service of this folder shares: a body cap checked while reading (a declared
 * Content-Length over the cap is refused without reading), a per-request timeout, and JSON error bodies with
 * stable codes for everything, including unknown routes and exceptions that are not TeezkErrors.
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
  app.use("*", timeout(timeoutMs, () => new HTTPException(504, { message: "timeout" })));
  app.notFound((context) =>
    context.json({ error: { code: "REQUEST_INVALID", message: `No route ${context.req.method} ${context.req.path}` } }, 404),
  );
  app.onError((error, context) => {
    if (error instanceof HTTPException && error.status === 504) {
      return errorResponse(context, new TeezkError("REQUEST_TIMEOUT", `The request did not complete within ${timeoutMs} ms`));
    }
    return errorResponse(context, error);
  });
}
