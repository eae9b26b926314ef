import { Option, type Command } from "commander";
import type { SnpProduct } from "../../../evidence/sevsnp/index.js";

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

/** Adds the flags of a fetch from Intel PCS / a PCCS: `--offline`, `--pcs-url`, the cache and the timeout. */
export function addPcsFetchOptions(command: Command): Command {
  return command
    .option("--offline", "never contact a service: use only the collateral cache, and say what is missing")
    .option("--pcs-url <url>", "Intel PCS v4 or a PCCS (default https://api.trustedservices.intel.com)")
    .option("--cache-dir <dir>", "collateral cache (default $TEEZK_CACHE_DIR, else $TEEZK_HOME/collateral-cache, else ~/.teezk/collateral-cache)")
    .option("--fetch-timeout <ms>", "per-request timeout in milliseconds (default 10000)");
}

/** Adds the collateral services' flags (`--offline`, service URLs, cache, timeout, SNP product, `--no-kds-crl`). */
export function addCollateralServiceOptions(command: Command): Command {
  return addPcsFetchOptions(command)
    .option("--kds-url <url>", "AMD KDS (default https://kdsintf.amd.com)")
    .option("--nvidia-rim-url <url>", "NVIDIA RIM service (default https://rim.attestation.nvidia.com)")
    .option("--nvidia-ocsp-url <url>", "NVIDIA OCSP responder for GPU device chains (default https://ocsp.ndis.nvidia.com)")
    .addOption(new Option("--snp-product <product>", "SEV-SNP product for v2 reports, which carry no CPUID (default Milan)").choices(["Milan", "Genoa", "Turin"]))
    .option("--no-kds-crl", "do not fetch AMD's CRL (revocation is then reported not_checked)");
}
