import { isErrorCode, TeezkError } from "../errors/index.js";
import { readBodyCapped } from "../util/readBodyCapped.js";

export type RequestServiceParameters = {
  method?: "GET" | "POST";
  /** Sent as JSON. */
  body?: unknown;
  timeoutMs?: number;
  /** Responses larger than this are refused before parsing, so a hostile node cannot exhaust the client. */
  maxResponseBytes?: number;
};
export type RequestServiceErrorType = TeezkError;

const DEFAULT_TIMEOUT_MS = 120_000;
const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/**
 * Calls a teezk service and returns its JSON body. A teezk error body is re-thrown as the same TeezkError code
 * (the node's own words), so a client fails with e.g. MEASUREMENT_NOT_ALLOWED rather than "HTTP 422".
 */
export async function requestService(url: string, parameters: RequestServiceParameters = {}): Promise<unknown> {
  const timeoutMs = parameters.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = parameters.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  let response: Response;
  try {
    response = await fetch(url, {
      method: parameters.method ?? (parameters.body === undefined ? "GET" : "POST"),
      headers: parameters.body === undefined ? undefined : { "content-type": "application/json" },
      body: parameters.body === undefined ? undefined : JSON.stringify(parameters.body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (cause) {
    const timedOut = cause instanceof DOMException && cause.name === "TimeoutError";
    throw new TeezkError(
      timedOut ? "REQUEST_TIMEOUT" : "SERVICE_UNREACHABLE",
      timedOut ? `${url} did not answer within ${timeoutMs} ms` : `cannot reach ${url}`,
      { cause, metaMessages: ["Check the URL and that the node runs (teezk serve …)."] },
    );
  }
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new TeezkError("SERVICE_UNREACHABLE", `${url} answered with ${declared} bytes, over the ${maxBytes}-byte cap`);
  }
  const text = await readCapped(response, maxBytes, url);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new TeezkError("SERVICE_UNREACHABLE", `${url} answered HTTP ${response.status} with a body that is not JSON`, { cause });
  }
  if (!response.ok) {
    const error = (json as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
    if (error && typeof error.code === "string" && isErrorCode(error.code) && typeof error.message === "string") {
      throw new TeezkError(error.code, error.message, {
        details: typeof error.details === "string" ? error.details : undefined,
        metaMessages: [`Reported by ${url} (HTTP ${response.status}).`],
      });
    }
    throw new TeezkError("SERVICE_UNREACHABLE", `${url} answered HTTP ${response.status} without a teezk error body`);
  }
  return json;
}

async function readCapped(response: Response, maxBytes: number, url: string): Promise<string> {
  const tooLarge = () => new TeezkError("SERVICE_UNREACHABLE", `${url} answered with more than the ${maxBytes}-byte cap`);
  return Buffer.from(await readBodyCapped(response, maxBytes, tooLarge)).toString("utf8");
}
