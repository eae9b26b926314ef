import { CollateralCache, collateralRequests, defaultCacheDir, resolveItems, type CollateralRequest, type ItemSource, type ServiceCollateralOptions, type StoredResponse } from "../collateral/index.js";
import { TeezkError } from "../errors/index.js";
import type { EvidenceKind } from "../evidence/detectEvidenceType.js";
import { MAX_EVIDENCE_FILE_BYTES } from "../evidence/verifyEvidence.js";
import { decodeEvidenceInput } from "../util/bytes.js";

/** Where a client gets its own collateral: the collateral cache, Intel PCS/PCCS, AMD KDS, or the cache only (offline). */
export type ClientCollateralSources = ServiceCollateralOptions;

export type OwnCollateral = {
  /**
   * The client's items, name → bytes as a collateral folder would hold them (undefined when it has none):
   * verification lists them before anything the prover served. They stay in memory, never written to disk.
   */
  files: Readonly<Record<string, Uint8Array>> | undefined;
  sources: ItemSource[];
  /** Items the client has no valid copy of (and could not fetch): only these may come from the prover. */
  missing: { name: string; code: string }[];
  /** Caches what was fetched; call once the evidence verified with it. */
  commit: () => void;
};

/**
 * The client's own collateral for a prover's evidence (issue 15), item by item: a valid cached item, or a fresh
 * fetch through the cache (the same rules as `teezk verify`: refresh margin, rollback floor, never stale). An item
 * the client cannot get is left out rather than failing the delegation, and is reported in `missing`: the
 * prover's copy may fill it in, and is verified to the pinned roots like any other. Because the client's folder
 * comes first and verification takes each item from the first folder holding it, what the prover serves never
 * replaces an item the client has — a superseded TCB info or CRL from the prover loses to the client's newer one.
 */
export async function prepareOwnCollateral(parameters: { evidence: Uint8Array; kind: EvidenceKind; now: Date; sources: ClientCollateralSources }): Promise<OwnCollateral> {
  const { kind, now, sources } = parameters;
  const evidence = decodeEvidenceInput(parameters.evidence, MAX_EVIDENCE_FILE_BYTES).bytes;
  let requests: CollateralRequest[];
  try {
    requests = collateralRequests(evidence, kind, sources);
  } catch (error) {
    // Nothing to ask for (an SEV-SNP report with a masked CHIP_ID): the client has no items of its own.
    if (!(error instanceof TeezkError)) throw error;
    return { sources: [], missing: [{ name: `${kind} collateral`, code: error.code }], files: undefined, commit: () => undefined };
  }
  const cache = new CollateralCache(sources.cacheDir ?? defaultCacheDir());
  const resolved = await Promise.all(
    requests.map((request) =>
      resolveItems({ requests: [request], now, cache, offline: sources.offline ?? false, fetchOptions: sources }).then(
        (items) => ({ request, items, code: undefined }),
        (error: unknown) => ({ request, items: undefined, code: error instanceof TeezkError ? error.code : "COLLATERAL_FETCH_FAILED" }),
      ),
    ),
  );
  const files: Record<string, Uint8Array> = {};
  const toCache: { key: string; response: StoredResponse }[] = [];
  const out: Omit<OwnCollateral, "files" | "commit"> = { sources: [], missing: [] };
  for (const { request, items, code } of resolved) {
    if (!items) {
      out.missing.push({ name: request.name, code: code! });
      continue;
    }
    // Items that share a file (the TCB signing chain) bring the same bytes; the first copy is kept.
    for (const [name, bytes] of Object.entries(items.files)) files[name] ??= bytes;
    out.sources.push(...items.sources);
    toCache.push(...items.toCache);
  }
  return {
    ...out,
    files: Object.keys(files).length > 0 ? files : undefined,
    commit: () => {
      for (const { key, response } of toCache) cache.write(key, response, new Date());
    },
  };
}
