import { statSync } from "node:fs";
import { detectEvidenceType, type EvidenceKind } from "../../evidence/detectEvidenceType.js";
import { loadCollateral, MAX_EVIDENCE_FILE_BYTES, type LoadedCollateral } from "../../evidence/verifyEvidence.js";
import { decodeEvidenceInput } from "../../util/bytes.js";
import { createCollateralRefresher, type CollateralRefresher } from "../../collateral/index.js";
import type { CollateralByKind, EvidenceTrustParameters } from "./types.js";

export type { CollateralByKind } from "./types.js";

export type ResolvedEvidence = {
  kind: EvidenceKind;
  /** The evidence bytes after hex/base64 decoding (the text itself for vendor JSON): what an archive keeps. */
  decoded: Uint8Array;
  /** The kind's collateral, loaded from its folders (cached; see createCollateralCache). */
  collateral?: LoadedCollateral;
  /** The nvidia folders' collateral, loaded: for the GPU half of composite evidence. */
  gpuCollateral?: LoadedCollateral;
};

export type CollateralCache = {
  /**
   * Decodes the evidence, picks its kind (given, or detected with verifyEvidence's caps and codes:
   * INPUT_TOO_LARGE, UNKNOWN_EVIDENCE_TYPE, …) and returns that kind's collateral. verifyEvidence applies the
   * collateral it is given to whatever kind it detects, so a service holding folders for several vendors must
   * know the kind first.
   */
  resolve: (evidence: Uint8Array, kind: EvidenceKind | undefined, withGpu?: boolean) => ResolvedEvidence;
  readonly kinds: EvidenceKind[];
};

export type CreateCollateralCacheParameters = {
  collateral: CollateralByKind;
  /** Reload a kind's folders at least this often (ms); default 60 s. */
  refreshMs?: number;
  clock?: () => Date;
};

const DEFAULT_REFRESH_MS = 60_000;

/**
 * A service's collateral, parsed once and reused across requests (parsing TCB info, QE identity, CRLs and
 * certificates is most of a DCAP verification's cost; signatures over them are cached by content in
 * src/evidence). A kind's folders are reloaded when any folder's mtime changes (a file renamed into place, the
 * way collateral fetchers update) and in any case every `refreshMs`, so edited files are picked up too. Reusing
 * parsed collateral never lets stale data pass: freshness (nextUpdate), validity and revocation are evaluated at
 * each verification's own time. A folder that fails to load fails the request with its typed error.
 */
export function createCollateralCache({ collateral, refreshMs = DEFAULT_REFRESH_MS, clock = () => new Date() }: CreateCollateralCacheParameters): CollateralCache {
  const entries = new Map<EvidenceKind, { loaded: LoadedCollateral | undefined; loadedAt: number; mtimes: string }>();
  const kinds = (Object.keys(collateral) as EvidenceKind[]).filter((kind) => collateral[kind] !== undefined);
  const foldersOf = (kind: EvidenceKind): string[] => {
    const folders = collateral[kind];
    return folders === undefined ? [] : typeof folders === "string" ? [folders] : [...folders];
  };
  const mtimesOf = (folders: string[]) =>
    folders
      .map((folder) => {
        try {
          return String(statSync(folder).mtimeMs);
        } catch {
          return "missing";
        }
      })
      .join(",");

  const collateralFor = (kind: EvidenceKind): LoadedCollateral | undefined => {
    const folders = foldersOf(kind);
    if (folders.length === 0) return undefined;
    const now = clock().getTime();
    const mtimes = mtimesOf(folders);
    const entry = entries.get(kind);
    if (entry && entry.mtimes === mtimes && now - entry.loadedAt < refreshMs) return entry.loaded;
    entries.delete(kind);
    const loaded = loadCollateral(kind, folders);
    entries.set(kind, { loaded, loadedAt: now, mtimes });
    return loaded;
  };

  return {
    kinds,
    resolve(evidence, kind, withGpu = false) {
      const decoded = decodeEvidenceInput(evidence, MAX_EVIDENCE_FILE_BYTES);
      const resolvedKind = kind ?? detectEvidenceType(decoded.bytes);
      const loaded = collateralFor(resolvedKind);
      const gpuCollateral = withGpu && resolvedKind !== "nvidia" ? collateralFor("nvidia") : undefined;
      return {
        kind: resolvedKind,
        decoded: decoded.bytes,
        ...(loaded ? { collateral: loaded } : {}),
        ...(gpuCollateral ? { gpuCollateral } : {}),
      };
    },
  };
}

/** The background collateral refresh of a service that fetches collateral (verifier node, key release). */
export function serviceRefresher(parameters: EvidenceTrustParameters, clock: () => Date): CollateralRefresher | undefined {
  if (!parameters.collateralServices) return undefined;
  return createCollateralRefresher({
    services: parameters.collateralServices,
    clock,
    ...parameters.collateralRefresh,
    ...(parameters.extraTrustedRoots ? { extraTrustedRoots: parameters.extraTrustedRoots } : {}),
  });
}

/** The collateral one assessment uses: the CPU evidence's and, for composite evidence, the GPU half's. */
export type ServiceCollateral = { collateral?: LoadedCollateral; gpuCollateral?: LoadedCollateral };

export type AssessWithServiceCollateralParameters<T> = {
  resolved: ResolvedEvidence;
  refresher: CollateralRefresher | undefined;
  /** The composite's GPU half as received (hex, base64 or vendor JSON). */
  gpuEvidence: Uint8Array | undefined;
  now: Date;
  assess: (collateral: ServiceCollateral) => T | Promise<T>;
};

/**
 * Runs `assess` with the service's collateral for both halves: the kind's folders when configured, otherwise
 * (with --fetch-collateral) fetched through the refresher, the GPU half's RIMs and OCSP answers like the CPU's
 * TCB info and CRLs. The default policy requires NVIDIA's rim and revocation checks, so a composite GPU half
 * without them is refused (CHECK_NOT_PERFORMED) rather than passed unchecked. A lone GPU report, or a GPU "CPU"
 * half, fetches nothing: it is refused (GPU_NOT_AN_ENCLAVE, CONFIG_INVALID) whatever its collateral says, and an
 * unauthenticated request must not make the service spend NVIDIA requests.
 */
export async function assessWithServiceCollateral<T>({ resolved, refresher, gpuEvidence, now, assess }: AssessWithServiceCollateralParameters<T>): Promise<T> {
  const cpuFetched = !resolved.collateral && refresher !== undefined && resolved.kind !== "nvidia";
  const withCpu = (gpuCollateral: LoadedCollateral | undefined): Promise<T> => {
    const gpu = gpuCollateral ? { gpuCollateral } : {};
    if (!cpuFetched) return Promise.resolve(assess({ ...(resolved.collateral ? { collateral: resolved.collateral } : {}), ...gpu }));
    return refresher.verifyWith({ evidence: resolved.decoded, kind: resolved.kind, now, verify: (collateral) => assess({ ...(collateral ? { collateral } : {}), ...gpu }) });
  };
  if (gpuEvidence && resolved.gpuCollateral) return withCpu(resolved.gpuCollateral);
  if (!gpuEvidence || !refresher || resolved.kind === "nvidia") return withCpu(undefined);
  const gpu = decodeEvidenceInput(gpuEvidence, MAX_EVIDENCE_FILE_BYTES).bytes;
  return refresher.verifyWith({ evidence: gpu, kind: "nvidia", now, verify: (gpuCollateral) => withCpu(gpuCollateral) });
}
