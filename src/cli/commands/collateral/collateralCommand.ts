import { fetchCollateral, fetchCollateralTemporarily, type FetchCollateralReturnType } from "../../../collateral/index.js";
import type { EvidenceKind } from "../../../evidence/detectEvidenceType.js";
import { verifyEvidence } from "../../../evidence/verifyEvidence.js";
import { isTeezkError } from "../../../errors/index.js";
import { ExitCode, UsageError, type CliIo } from "../../io.js";
import { reportCommandError } from "../../support/reportCommandError.js";
import { parseAt, readEvidenceFile } from "../../support/evidenceInputs.js";
import type { CollateralServiceOptions } from "./collateralServiceOptions.js";

/**
 * Fetches (or takes from the cache) the collateral for `evidence` into a folder — `outDir`, or a temporary one
 * removed afterwards — and runs `verify` with it; see `fetchCollateral`.
 */
export async function withFetchedCollateral<T>(
  evidence: Uint8Array,
  kind: EvidenceKind | undefined,
  now: Date,
  options: CollateralServiceOptions,
  verify: (dir: string | undefined) => T,
  outDir?: string,
): Promise<FetchCollateralReturnType<T>> {
  const timeoutMs = options.fetchTimeout === undefined ? undefined : Number(options.fetchTimeout);
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0)) {
    throw new UsageError(`--fetch-timeout expects a positive number of milliseconds, got "${options.fetchTimeout}"`);
  }
  const parameters = {
    evidence,
    now,
    verify,
    ...(kind ? { kind } : {}),
    ...(options.offline ? { offline: true } : {}),
    ...(options.pcsUrl ? { pcsUrl: options.pcsUrl } : {}),
    ...(options.kdsUrl ? { kdsUrl: options.kdsUrl } : {}),
    ...(options.nvidiaRimUrl ? { nvidiaRimUrl: options.nvidiaRimUrl } : {}),
    ...(options.nvidiaOcspUrl ? { nvidiaOcspUrl: options.nvidiaOcspUrl } : {}),
    ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
    ...(timeoutMs ? { timeoutMs } : {}),
    ...(options.snpProduct ? { snpProduct: options.snpProduct } : {}),
    ...(options.kdsCrl === false ? { kdsCrl: false } : {}),
  };
  return outDir ? fetchCollateral({ ...parameters, outDir }) : fetchCollateralTemporarily(parameters);
}

export type CollateralFetchOptions = CollateralServiceOptions & { out?: string; at?: string; type?: EvidenceKind; json?: boolean };

export async function collateralFetchCommand(file: string, options: CollateralFetchOptions, io: CliIo): Promise<number> {
  if (!options.out) throw new UsageError("collateral fetch needs --out <dir>");
  const now = parseAt(options.at);
  try {
    const evidence = readEvidenceFile(file, "evidence");
    const fetched = await withFetchedCollateral(
      evidence,
      options.type,
      now,
      options,
      (dir) => dir && verifyEvidence({ evidence, now, collateralDir: dir, inspectStandaloneGpu: true, ...(options.type ? { kind: options.type } : {}) }),
      options.out,
    );
    if (options.json) {
      io.out(`${JSON.stringify({ ok: true, type: fetched.kind, dir: fetched.dir ?? null, items: fetched.sources })}\n`);
    } else if (!fetched.dir) {
      io.out(`${fetched.kind} evidence: no collateral is fetched for it (Nitro documents carry their chain)\n`);
    } else {
      io.out(`wrote ${fetched.dir} for ${fetched.kind} evidence, verified with it as of ${now.toISOString()}\n`);
      for (const item of fetched.sources) io.out(`  ${item.name}: ${describeSource(item.source, item.refreshError)} (valid until ${item.nextUpdate})\n`);
    }
    return ExitCode.OK;
  } catch (error) {
    if (!isTeezkError(error)) throw error;
    reportCommandError({ io, error, json: options.json });
    return ExitCode.REJECTED;
  }
}

export function describeSource(source: string, refreshError?: string): string {
  return refreshError ? `${source} (refresh: ${refreshError})` : source;
}
