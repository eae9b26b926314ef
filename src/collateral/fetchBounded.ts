import { TeezkError } from "../errors/index.js";
import { readBodyCapped } from "../util/readBodyCapped.js";

export type FetchLike = typeof fetch;

export type FetchBoundedParameters = {
  url: string;
  /** One deadline for the whole exchange: connection, headers and the last body byte. */
  timeoutMs: number;
  maxBytes: number;
  fetch?: FetchLike;
  /** Abandons the request early (sibling requests of one evidence stop once one of them has failed). */
  signal?: AbortSignal;
  /** POST this body (an OCSP request) instead of a GET. */
  post?: { body: Uint8Array; contentType: string };
};

export type FetchedResponse = { url: string; status: number; headers: Headers; body: Uint8Array };

/**
 * GET `url` and read the whole body under a byte cap and one deadline. Anything but a complete 200 answer is a
 * typed error naming the URL: no connection, an error status (the status is in the message), a body cut short
 * (fewer bytes than Content-Length, or the connection reset mid-body), a body over the cap, or the deadline.
 * A slow server therefore costs at most `timeoutMs`, never a hang.
 */
export async function fetchBounded({ url, timeoutMs, maxBytes, fetch: fetchImpl = fetch, signal: cancel, post }: FetchBoundedParameters): Promise<FetchedResponse> {
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = cancel ? AbortSignal.any([deadline, cancel]) : deadline;
  try {
    const response = await fetchImpl(
      url,
      post ? { signal, method: "POST", body: Buffer.from(post.body), headers: { accept: "*/*", "content-type": post.contentType } } : { signal, headers: { accept: "*/*" } },
    );
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      throw new TeezkError("COLLATERAL_FETCH_FAILED", `${url} answered HTTP ${response.status}`, { details: `status ${response.status}` });
    }
    const declared = response.headers.get("content-length");
    if (declared !== null && Number(declared) > maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw tooLarge(url, maxBytes);
    }
    const body = await readBodyCapped(response, maxBytes, () => tooLarge(url, maxBytes));
    if (declared !== null && Number(declared) !== body.length) {
      throw new TeezkError("COLLATERAL_FETCH_FAILED", `${url} sent ${body.length} of the ${declared} bytes it announced (truncated body)`);
    }
    return { url, status: response.status, headers: response.headers, body };
  } catch (error) {
    if (error instanceof TeezkError) throw error;
    if (deadline.aborted) {
      throw new TeezkError("COLLATERAL_FETCH_TIMEOUT", `${url} did not answer within ${timeoutMs} ms`, { cause: error });
    }
    throw new TeezkError("COLLATERAL_FETCH_FAILED", `${url} could not be fetched`, { details: describe(error), cause: error });
  }
}

function tooLarge(url: string, maxBytes: number): TeezkError {
  return new TeezkError("COLLATERAL_FETCH_FAILED", `${url} sent a body over the ${maxBytes}-byte cap`);
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  const message = error instanceof Error ? error.message : String(error);
  return cause?.code ? `${message} (${cause.code})` : cause?.message ? `${message}: ${cause.message}` : message;
}
