import type { FetchLike } from "./fetchBounded.js";

/** What a service answered, as kept in the cache: the body and the headers the item needs (issuer chains). */
export type StoredResponse = { body: Uint8Array; headers: Record<string, string> };

/** One item read from a response: the files it contributes to the collateral folder, and its validity window. */
export type ParsedItem = {
  files: Record<string, Uint8Array>;
  /** issueDate, thisUpdate or notBefore: what "older" is measured by (rollback). */
  issued: Date;
  /** nextUpdate or notAfter: the item is never served at or after this time. */
  nextUpdate: Date;
};

/** One thing to fetch, derived from the evidence: where it lives and how its answer becomes files. */
export type CollateralRequest = {
  /** Human name for messages, e.g. "TDX TCB info (FMSPC 00806f050000)". */
  name: string;
  url: string;
  /**
   * What the item is, independent of which server answers (`intel:/tdx/certification/v4/tcb?fmspc=…`): the cache
   * key, so a PCCS, Intel's PCS and offline runs share one history (and one rollback floor).
   */
  key: string;
  /** A POST body instead of a GET (OCSP requests). */
  post?: { body: Uint8Array; contentType: string };
  /** Names of the response headers kept with the body (case-insensitive). */
  keepHeaders: readonly string[];
  /** Throws COLLATERAL_INVALID when the answer is not what the service documents. */
  parse: (response: StoredResponse) => ParsedItem;
};

export type CollateralServices = {
  /** Intel PCS v4 or a PCCS (same API). Default https://api.trustedservices.intel.com. */
  pcsUrl?: string;
  /** Intel SGX Root CA CRL. Default: Intel's distribution point with the default PCS, `<pcsUrl>/sgx/certification/v4/rootcacrl` (PCCS) otherwise. */
  rootCrlUrl?: string;
  /** AMD KDS. Default https://kdsintf.amd.com. */
  kdsUrl?: string;
  /** NVIDIA's RIM service. Default https://rim.attestation.nvidia.com. */
  nvidiaRimUrl?: string;
  /** NVIDIA's OCSP responder. Default https://ocsp.ndis.nvidia.com. */
  nvidiaOcspUrl?: string;
};

export type FetchOptions = CollateralServices & {
  /** Per request, headers and body together. Default 10 s. */
  timeoutMs?: number;
  /** Per response. Default 1 MiB (Intel's largest answer, a TCB info, is ~10 KiB). */
  maxBytes?: number;
  fetch?: FetchLike;
};

/** Where each item came from, for the report a caller prints. */
export type ItemSource = {
  name: string;
  url: string;
  source: "fetched" | "cache" | "cache-after-failed-refresh" | "cache-after-rollback";
  /** For the fallbacks: the code of the refresh that was refused or failed. */
  refreshError?: string;
  nextUpdate: string;
};
