import { Option, type Command } from "commander";
import { fetchCollateral, fetchCollateralTemporarily, type FetchCollateralReturnType } from "../../../collateral/index.js";
import type { EvidenceKind } from "../../../evidence/detectEvidenceType.js";
import { verifyEvidence } from "../../../evidence/verifyEvidence.js";
import { isTeezkError } from "../../../errors/index.js";
import type { SnpProduct } from "../../../evidence/sevsnp/index.js";
import { ExitCode, UsageError, type CliIo } from "../../io.js";
import { reportCommandError } from "../../support/reportCommandError.js";
import { parseAt, readEvidenceFile } from "../verify/verifyCommand.js";

/** Flags shared by `teezk verify` (when it fetches) and `teezk collateral fetch`. */
export type CollateralServiceOptions = {
  offline?: boolean;
  pcsUrl?: string;
  kdsUrl?: string;
  nvidiaRimUrl?: string;
  nvidiaOcspUrl?: string;
  cacheDir?: string;
  fetchTimeout?: string;
  snpProduct?: SnpProduct;
  /** `--no-kds-crl` sets it false. */
  kdsCrl?: boolean;
};

/** `teezk verify` only: `--no-fetch` sets it false. */
export type VerifyFetchOptions = CollateralServiceOptions & { fetch?: boolean };

export function addCollateralServiceOptions(command: Command): Command {
  return command
    .option("--offline", "never contact a service: use only the collateral cache, and say what is missing")
    .option("--pcs-url <url>", "Intel PCS v4 or a PCCS (default https://api.trustedservices.intel.com)")
    .option("--kds-url <url>", "AMD KDS (default https://kdsintf.amd.com)")
    .option("--nvidia-rim-url <url>", "NVIDIA RIM service (default https://rim.attestation.nvidia.com)")
    .option("--nvidia-ocsp-url <url>", "NVIDIA OCSP responder for GPU device chains (default https://ocsp.ndis.nvidia.com)")
    .option("--cache-dir <dir>", "collateral cache (default $TEEZK_CACHE_DIR, else $TEEZK_HOME/collateral-cache, else ~/.teezk/collateral-cache)")
    .option("--fetch-timeout <ms>", "per-request timeout in milliseconds (default 10000)")
    .addOption(new Option("--snp-product <product>", "SEV-SNP product for v2 reports, which carry no CPUID (default Milan)").choices(["Milan", "Genoa", "Turin"]))
    .option("--no-kds-crl", "do not fetch AMD's CRL (revocation is then reported not_checked)");
}

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

type CollateralFetchOptions = CollateralServiceOptions & { out?: string; at?: string; type?: EvidenceKind; json?: boolean };

/** Adds `teezk collateral fetch` to the program. */
export function registerCollateralCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  const collateral = program.command("collateral").description("Collateral from the vendors' services (Intel PCS/PCCS, AMD KDS, NVIDIA RIM service), cached");
  const fetch = collateral
    .command("fetch")
    .description("Write the complete collateral folder for a piece of evidence (the files `teezk verify --collateral` reads), verified with it")
    .argument("<evidence>", "evidence file")
    .option("--out <dir>", "new or empty folder to write (required)")
    .option("--at <iso-time>", "time to judge freshness and verify at (default: now)")
    .addOption(new Option("--type <type>", "evidence type (detected when omitted)").choices(["tdx", "sgx", "sevsnp", "nitro", "nvidia"]))
    .option("--json", "machine-readable output");
  addCollateralServiceOptions(fetch).action(async (file: string, options: CollateralFetchOptions) => {
    setExitCode(await collateralFetchCommand(file, options, io));
  });
}

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
