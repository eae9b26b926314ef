import { isTeezkError, TeezkError } from "../errors/index.js";
import type { EvidenceKind } from "../evidence/detectEvidenceType.js";
import { loadCollateralFileSets, verifyEvidence, type LoadedCollateral } from "../evidence/verifyEvidence.js";
import type { PinnedRoot } from "../util/x509.js";
import { CollateralCache, defaultCacheDir } from "./collateralCache.js";
import { collateralRequests, fetchCollateralFiles, type ServiceCollateralOptions } from "./fetchCollateral.js";
import { refreshMargin } from "./resolveItems.js";
import type { CollateralRequest, ItemSource, ParsedItem } from "./types.js";

export const DEFAULT_REFRESH_CHECK_MS = 60_000;
/** Collateral sets a service keeps fresh; the oldest is forgotten (and refetched inline on its next use). */
export const DEFAULT_MAX_TRACKED_SETS = 32;

export type CreateCollateralRefresherParameters = {
  services: ServiceCollateralOptions;
  /** The service's clock: what "due" and "stale" are measured by. */
  clock: () => Date;
  /** Dev roots of simulated TEEs, for the background re-verification. */
  extraTrustedRoots?: readonly PinnedRoot[];
  /** Average time between background checks (each wait is drawn from ±50% of it). Default 60 s. */
  checkEveryMs?: number;
  maxTracked?: number;
  /** In [0, 1); tests pin it. */
  random?: () => number;
};

/** What one background pass did. */
export type CollateralRefreshReport = {
  /** Tracked collateral sets that were due (one or more items within twice their refresh margin). */
  due: number;
  /** Items fetched, verified and cached. */
  refreshed: number;
  /** Sets whose refresh failed or was refused, with the code; their cached items stay in use while valid. */
  failed: { set: string; code: string }[];
};

export type CollateralRefresher = {
  /**
   * Runs `verify` with `evidence`'s collateral, loaded. A set seen before is the one the background keeps fresh,
   * held loaded in memory: no network, no disk; at or past its first nextUpdate it is COLLATERAL_STALE. A set seen
   * for the first time comes through the cache (fetched when not fresh there) and is tracked from then on.
   */
  verifyWith<T>(parameters: VerifyWithParameters<T>): Promise<T>;
  /** One background pass now (the timer calls it); a pass already running is joined, never doubled. */
  refreshDue(): Promise<CollateralRefreshReport>;
  /** Tracked sets. */
  readonly tracked: number;
  /** Stops the timer; a pass in flight finishes on its own. */
  close(): void;
};

export type VerifyWithParameters<T> = {
  /** Decoded evidence bytes. */
  evidence: Uint8Array;
  kind: EvidenceKind;
  now: Date;
  /** Verifies with the loaded collateral (undefined for evidence whose collateral is not fetched); throws to refuse. */
  verify: (collateral: LoadedCollateral | undefined) => T | Promise<T>;
};

type TrackedSet = {
  name: string;
  requests: CollateralRequest[];
  kind: EvidenceKind;
  /** The latest evidence that verified with this set: a refreshed set is verified with it before it is cached. */
  evidence: Uint8Array;
  /** The set as last verified, parsed once: what requests use. */
  loaded: LoadedCollateral | undefined;
  /** The earliest nextUpdate among its items (ms): requests at or after it are COLLATERAL_STALE. */
  validUntil: number;
  /** Where in [margin, 2·margin] before nextUpdate this set refreshes, so a fleet's nodes spread their fetches. */
  lead: number;
  lastError?: string;
};

/**
 * Keeps a long-running service's fetched collateral fresh in the background (issue 15), so requests never wait on
 * a vendor. Every collateral set a verified request used is tracked; a timer (unref'd, jittered) refreshes a set
 * once any of its items is within `(1 + lead)` refresh margins of nextUpdate, one pass at a time, and caches the
 * answers only after the set's latest evidence verified with them (the same rule as inline fetches). A refresh
 * that fails leaves the cached items serving while they are valid; at nextUpdate requests get COLLATERAL_STALE
 * with the last refresh error, never stale collateral and never an inline fetch.
 */
export function createCollateralRefresher(parameters: CreateCollateralRefresherParameters): CollateralRefresher {
  const { services, clock, extraTrustedRoots } = parameters;
  const random = parameters.random ?? Math.random;
  const checkEveryMs = parameters.checkEveryMs ?? DEFAULT_REFRESH_CHECK_MS;
  const maxTracked = parameters.maxTracked ?? DEFAULT_MAX_TRACKED_SETS;
  const cache = new CollateralCache(services.cacheDir ?? defaultCacheDir());
  const sets = new Map<string, TrackedSet>();
  let running: Promise<CollateralRefreshReport> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const arm = () => {
    if (closed || services.offline) return;
    timer = setTimeout(() => {
      void refreshDue().finally(arm);
    }, checkEveryMs * (0.5 + random()));
    timer.unref();
  };

  const refreshesAt = (set: TrackedSet, item: ParsedItem) => item.nextUpdate.getTime() - refreshMargin(item) * (1 + set.lead);

  const isDue = (set: TrackedSet, at: number) =>
    set.requests.some((request) => {
      const stored = cache.read(request.key);
      if (!stored) return true;
      try {
        return at >= refreshesAt(set, request.parse(stored));
      } catch {
        return true;
      }
    });

  function refreshDue(): Promise<CollateralRefreshReport> {
    if (running) return running;
    const pass = (async () => {
      const report: CollateralRefreshReport = { due: 0, refreshed: 0, failed: [] };
      for (const set of [...sets.values()]) {
        const now = clock();
        if (!isDue(set, now.getTime())) continue;
        report.due += 1;
        await refreshSet({ services, extraTrustedRoots, random, refreshesAt }, set, now, report);
      }
      return report;
    })();
    // Cleared only after `running` was set: a pass with nothing due completes before the assignment would run.
    const clear = () => {
      if (running === pass) running = undefined;
    };
    running = pass;
    pass.then(clear, clear);
    return pass;
  }

  async function verifyWith<T>({ evidence, kind, now, verify }: VerifyWithParameters<T>): Promise<T> {
    const requests = collateralRequests(evidence, kind, services);
    if (requests.length === 0) return await verify(undefined);
    const id = requests.map((request) => request.key).join("\n");
    const known = sets.get(id);
    if (known) {
      if (now.getTime() >= known.validUntil) {
        throw new TeezkError("COLLATERAL_STALE", `The ${kind} collateral this service keeps (${known.name}) is past its nextUpdate and its background refresh has not replaced it`, {
          details: `last refresh: ${known.lastError ?? "not yet run"}`,
          metaMessages: ["The service refuses rather than verify with stale collateral; check that it can reach its PCS/PCCS or KDS."],
        });
      }
      const result = await verify(known.loaded);
      known.evidence = evidence;
      return result;
    }
    let loaded: LoadedCollateral | undefined;
    const { result, sources } = await fetchCollateralFiles({
      ...services,
      evidence,
      kind,
      now,
      verify: (files) => {
        loaded = files ? loadCollateralFileSets(kind, [files]) : undefined;
        return verify(loaded);
      },
    });
    if (sets.size >= maxTracked) sets.delete(sets.keys().next().value!);
    sets.set(id, { name: requests.map((request) => request.name).join(", "), requests, kind, evidence, loaded, validUntil: firstNextUpdate(sources), lead: random() });
    if (!timer) arm();
    return result;
  }

  return {
    verifyWith,
    refreshDue,
    get tracked() {
      return sets.size;
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
    },
  };
}

type RefreshContext = {
  services: ServiceCollateralOptions;
  extraTrustedRoots: readonly PinnedRoot[] | undefined;
  random: () => number;
  refreshesAt: (set: TrackedSet, item: ParsedItem) => number;
};

/**
 * Refetches what is due of one tracked set and re-verifies the set's latest evidence with it before it is cached
 * or used; a failure leaves the set as it was, with the code for COLLATERAL_STALE to report.
 */
async function refreshSet(context: RefreshContext, set: TrackedSet, now: Date, report: CollateralRefreshReport): Promise<void> {
  const { services, extraTrustedRoots, random, refreshesAt } = context;
  try {
    let loaded: LoadedCollateral | undefined;
    const { sources } = await fetchCollateralFiles({
      ...services,
      evidence: set.evidence,
      kind: set.kind,
      now,
      reuse: (item) => now.getTime() < refreshesAt(set, item),
      verify: (files) => {
        loaded = files ? loadCollateralFileSets(set.kind, [files]) : undefined;
        // A composite's GPU half is tracked on its own: its RIMs and OCSP answers are checked without the CPU's.
        verifyEvidence({
          evidence: set.evidence,
          kind: set.kind,
          now,
          ...(set.kind === "nvidia" ? { inspectStandaloneGpu: true } : {}),
          ...(loaded ? { collateral: loaded } : {}),
          ...(extraTrustedRoots ? { extraTrustedRoots } : {}),
        });
      },
    });
    Object.assign(set, { loaded, validUntil: firstNextUpdate(sources) });
    report.refreshed += sources.filter((source) => source.source === "fetched").length;
    const fallback = sources.find((source) => source.refreshError);
    set.lastError = fallback?.refreshError;
    if (fallback) report.failed.push({ set: set.name, code: fallback.refreshError! });
    else set.lead = random();
  } catch (error) {
    set.lastError = isTeezkError(error) ? error.code : "INTERNAL";
    report.failed.push({ set: set.name, code: set.lastError });
  }
}

function firstNextUpdate(sources: readonly ItemSource[]): number {
  return Math.min(...sources.map((source) => new Date(source.nextUpdate).getTime()));
}
