import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TeezkError } from "../errors/index.js";
import { detectEvidenceType, type EvidenceKind } from "../evidence/detectEvidenceType.js";
import type { SnpProduct } from "../evidence/sevsnp/index.js";
import { decodeEvidenceInput } from "../util/bytes.js";
import { amdKdsRequests } from "./amdKds.js";
import { CollateralCache, defaultCacheDir } from "./collateralCache.js";
import { intelPcsRequests } from "./intelPcs.js";
import { nvidiaOcspRequests, nvidiaRimRequests } from "./nvidiaRim.js";
import { resolveItems } from "./resolveItems.js";
import type { CollateralRequest, FetchOptions, ItemSource, ParsedItem } from "./types.js";

const MAX_EVIDENCE_BYTES = 4 * 1024 * 1024;

export type CollateralRequestOptions = FetchOptions & {
  /** SEV-SNP v2 reports carry no CPUID; default Milan. */
  snpProduct?: SnpProduct;
  /** Fetch AMD's ARK CRL (default true). */
  kdsCrl?: boolean;
};

/** How a long-running service fetches collateral for evidence whose kind it holds no folder for. */
export type ServiceCollateralOptions = CollateralRequestOptions & { cacheDir?: string; offline?: boolean };

export type FetchCollateralParameters<T> = CollateralRequestOptions & {
  /** The evidence file's bytes as read (raw, hex or base64, vendor JSON). */
  evidence: Uint8Array;
  kind?: EvidenceKind;
  now: Date;
  /** Use only the cache; never open a connection. */
  offline?: boolean;
  /** Default `defaultCacheDir()`. */
  cacheDir?: string;
  /** When a cached item is reused rather than refreshed (see resolveItems); default outside its refresh margin. */
  reuse?: (item: ParsedItem) => boolean;
  /** The folder to write, in the layout the verifier reads; it must not exist or be empty. */
  outDir: string;
  /**
   * Verifies the evidence with the written folder (or with none, for evidence that needs no fetched
   * collateral). Fetched answers are cached only when it returns: a body that fails verification never is.
   */
  verify: (dir: string | undefined) => T | Promise<T>;
};

export type FetchCollateralReturnType<T> = { kind: EvidenceKind; result: T; sources: ItemSource[]; dir?: string };

/**
 * Collateral for a piece of evidence from the vendor's service (Intel PCS/PCCS for TDX and SGX quotes, AMD KDS
 * for SEV-SNP reports, NVIDIA's RIM service for GPU evidence) or the cache, written as a folder the verifier
 * reads, then verified with it (NVIDIA: RIMs and the OCSP answers for the device chains JSON evidence carries).
 * Nitro needs none (its document carries its chain).
 */
export async function fetchCollateral<T>(parameters: FetchCollateralParameters<T>): Promise<FetchCollateralReturnType<T>> {
  const { outDir } = parameters;
  let written = false;
  const fetched = await fetchCollateralFiles({
    ...parameters,
    verify: async (files) => {
      if (!files) return await parameters.verify(undefined);
      const created = writeFolder(outDir, files);
      written = true;
      try {
        return await parameters.verify(outDir);
      } catch (error) {
        // Nothing that failed verification is left behind for a later --collateral to pick up.
        for (const name of Object.keys(files)) rmSync(join(outDir, name), { force: true });
        if (created) rmSync(outDir, { recursive: true, force: true });
        throw error;
      }
    },
  });
  return { ...fetched, ...(written ? { dir: outDir } : {}) };
}

export type FetchCollateralFilesParameters<T> = Omit<FetchCollateralParameters<T>, "outDir" | "verify"> & {
  /**
   * Verifies the evidence with the resolved files, name → bytes as a folder would hold them (`loadCollateralFileSets`
   * parses them), or with none for evidence that needs no fetched collateral. Fetched answers are cached only
   * when it returns.
   */
  verify: (files: Readonly<Record<string, Uint8Array>> | undefined) => T | Promise<T>;
};

/** `fetchCollateral` without a folder: the collateral stays a value in memory (a service verifying one request). */
export async function fetchCollateralFiles<T>(parameters: FetchCollateralFilesParameters<T>): Promise<Omit<FetchCollateralReturnType<T>, "dir">> {
  const decoded = decodeEvidenceInput(parameters.evidence, MAX_EVIDENCE_BYTES).bytes;
  const kind = parameters.kind ?? detectEvidenceType(decoded);
  const requests = collateralRequests(decoded, kind, parameters);
  if (requests.length === 0) return { kind, result: await parameters.verify(undefined), sources: [] };
  const cache = new CollateralCache(parameters.cacheDir ?? defaultCacheDir());
  const resolved = await resolveItems({ requests, now: parameters.now, cache, offline: parameters.offline ?? false, fetchOptions: parameters, ...(parameters.reuse ? { reuse: parameters.reuse } : {}) });
  const result = await parameters.verify(resolved.files);
  for (const { key, response } of resolved.toCache) cache.write(key, response, new Date());
  return { kind, result, sources: resolved.sources };
}

/** The requests for `kind` (empty for evidence whose collateral is not fetched). `evidence` is decoded bytes. */
export function collateralRequests(evidence: Uint8Array, kind: EvidenceKind, options: CollateralRequestOptions): CollateralRequest[] {
  switch (kind) {
    case "tdx":
    case "sgx":
      return intelPcsRequests(evidence, options);
    case "sevsnp":
      return amdKdsRequests(evidence, {
        ...options,
        ...(options.snpProduct ? { product: options.snpProduct } : {}),
        ...(options.kdsCrl === false ? { crl: false } : {}),
      });
    case "nvidia":
      return [...nvidiaRimRequests(evidence, options), ...nvidiaOcspRequests(evidence, options)];
    case "nitro":
      return [];
  }
}

/** Writes the files into a new or empty folder; true when the folder itself was created here. */
function writeFolder(dir: string, files: Record<string, Uint8Array>): boolean {
  const existed = existsSync(dir);
  if (existed && readdirSync(dir).length > 0) {
    throw new TeezkError("CONFIG_INVALID", `The collateral output folder ${dir} is not empty; name a new or empty folder`);
  }
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  return !existed;
}

/** `fetchCollateral` into a temporary folder, removed once `verify` has run (a service verifying one request). */
export async function fetchCollateralTemporarily<T>(parameters: Omit<FetchCollateralParameters<T>, "outDir">): Promise<FetchCollateralReturnType<T>> {
  const outDir = mkdtempSync(join(tmpdir(), "teezk-collateral-"));
  try {
    const { dir: _dir, ...fetched } = await fetchCollateral({ ...parameters, outDir });
    return fetched;
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
