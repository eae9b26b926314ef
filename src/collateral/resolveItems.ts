import { TeezkError, isTeezkError } from "../errors/index.js";
import { fetchBounded } from "./fetchBounded.js";
import type { CollateralCache } from "./collateralCache.js";
import type { CollateralRequest, FetchOptions, ItemSource, ParsedItem, StoredResponse } from "./types.js";

const HOUR_MS = 3_600_000;
export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_BYTES = 1 << 20;

export type ResolveItemsParameters = {
  requests: readonly CollateralRequest[];
  now: Date;
  cache: CollateralCache;
  offline: boolean;
  fetchOptions: FetchOptions;
  /**
   * Overrides when a cached item is reused rather than fetched (default: outside its refresh margin). A service's
   * background refresh passes an earlier point so that requests never meet the margin themselves.
   */
  reuse?: (item: ParsedItem) => boolean;
};

export type ResolvedItems = {
  files: Record<string, Uint8Array>;
  sources: ItemSource[];
  /** Fetched answers to cache once the evidence verified with them. */
  toCache: { key: string; response: StoredResponse }[];
};

/**
 * Refreshing starts this long before nextUpdate: a tenth of the item's lifetime, at most a day (a 30-day TCB
 * info is refreshed in its last day, a day-long CRL in its last 2.4 hours).
 */
export function refreshMargin(item: ParsedItem): number {
  return Math.min(24 * HOUR_MS, (item.nextUpdate.getTime() - item.issued.getTime()) / 10);
}

/**
 * For every request: a cached item still outside its refresh margin is reused; otherwise it is fetched. A
 * failed or refused refresh falls back to the cached item while it is still valid (never at or after its
 * nextUpdate); an answer older than the cached item (rollback) is refused the same way, and with nothing valid
 * cached it is COLLATERAL_ROLLBACK. Offline, valid cached items are used and every other one is listed in
 * COLLATERAL_UNAVAILABLE_OFFLINE.
 */
export async function resolveItems({ requests, now, cache, offline, fetchOptions, reuse }: ResolveItemsParameters): Promise<ResolvedItems> {
  const at = now.getTime();
  const valid = (item: ParsedItem) => item.issued.getTime() <= at && at < item.nextUpdate.getTime();
  const fresh = (item: ParsedItem) => valid(item) && (reuse ? reuse(item) : at < item.nextUpdate.getTime() - refreshMargin(item));
  const missing: CollateralRequest[] = [];
  // The first item that fails fails the whole set: its siblings' requests are abandoned rather than left to run
  // out their own deadlines.
  const siblings = new AbortController();
  const failFast = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      siblings.abort();
      throw error;
    }
  };
  const resolveOne = async (request: CollateralRequest) => {
    const stored = cache.read(request.key);
    const cached = stored ? parseQuietly(request, stored) : undefined;
    const fromCache = (source: ItemSource["source"], refreshError?: string) => ({ item: cached!, source, refreshError });
    if (cached && fresh(cached)) return fromCache("cache");
    if (offline) {
      if (cached && valid(cached)) return fromCache("cache");
      missing.push(request);
      return undefined;
    }
    let response: StoredResponse;
    let item: ParsedItem;
    try {
      response = await fetchItem(request, fetchOptions, siblings.signal);
      item = request.parse(response);
    } catch (error) {
      if (cached && valid(cached) && isTeezkError(error)) return fromCache("cache-after-failed-refresh", error.code);
      throw error;
    }
    if (cached && at >= cached.issued.getTime() && item.issued.getTime() < cached.issued.getTime()) {
      if (valid(cached)) return fromCache("cache-after-rollback", "COLLATERAL_ROLLBACK");
      throw new TeezkError("COLLATERAL_ROLLBACK", `${request.url} answered ${request.name} issued ${item.issued.toISOString()}, older than the cached one of ${cached.issued.toISOString()}`, {
        metaMessages: ["The service (or something between it and you) served superseded collateral; the cached item is no longer valid, so there is nothing fresh to use."],
      });
    }
    const newest = !cached || item.issued.getTime() >= cached.issued.getTime();
    return { item, source: "fetched" as const, refreshError: undefined, cacheable: newest ? { key: request.key, response } : undefined };
  };
  const resolved = await Promise.all(requests.map((request) => failFast(() => resolveOne(request))));
  if (missing.length > 0) {
    throw new TeezkError("COLLATERAL_UNAVAILABLE_OFFLINE", `Offline, and the collateral cache ${cache.dir} holds no valid copy of: ${missing.map((request) => request.name).join(", ")}`, {
      metaMessages: ["Run once without --offline (or `teezk collateral fetch`) to fill the cache, or pass --collateral.", ...missing.map((request) => `missing: ${request.url}`)],
    });
  }
  const out: ResolvedItems = { files: {}, sources: [], toCache: [] };
  resolved.forEach((entry, index) => {
    if (!entry) return;
    const request = requests[index]!;
    mergeFiles(out.files, entry.item.files, request.name);
    out.sources.push({
      name: request.name,
      url: request.url,
      source: entry.source,
      ...(entry.refreshError ? { refreshError: entry.refreshError } : {}),
      nextUpdate: entry.item.nextUpdate.toISOString(),
    });
    if ("cacheable" in entry && entry.cacheable) out.toCache.push(entry.cacheable);
  });
  return out;
}

async function fetchItem(request: CollateralRequest, options: FetchOptions, signal: AbortSignal): Promise<StoredResponse> {
  const response = await fetchBounded({
    url: request.url,
    signal,
    ...(request.post ? { post: request.post } : {}),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const headers: Record<string, string> = {};
  for (const name of request.keepHeaders) {
    const value = response.headers.get(name);
    if (value !== null) headers[name.toLowerCase()] = value;
  }
  return { body: response.body, headers };
}

function parseQuietly(request: CollateralRequest, stored: StoredResponse): ParsedItem | undefined {
  try {
    return request.parse(stored);
  } catch {
    return undefined;
  }
}

/** Two items may write the same file (TCB info and QE identity both carry the TCB signing chain); they must agree. */
function mergeFiles(into: Record<string, Uint8Array>, files: Record<string, Uint8Array>, name: string): void {
  for (const [file, bytes] of Object.entries(files)) {
    const existing = into[file];
    if (existing && normalize(existing) !== normalize(bytes)) {
      throw new TeezkError("COLLATERAL_INVALID", `${name} brings a ${file} that differs from the one another item brought`);
    }
    into[file] = bytes;
  }
}

function normalize(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("latin1").replace(/\s+/g, "");
}
