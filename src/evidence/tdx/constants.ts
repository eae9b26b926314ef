import type { PinnedRoot } from "../../util/x509.js";

/**
 * Largest DCAP quote accepted, refused with INPUT_TOO_LARGE before any parsing. Real quotes are 4.5–5 KiB
 * (an 8000-byte padded buffer is the largest seen); 64 KiB leaves room for longer PCK chains and QE auth
 * data without letting a hostile input make us walk megabytes.
 */
export const MAX_DCAP_QUOTE_BYTES = 64 * 1024;

/**
 * Bytes tolerated after the signature data. Quote-generation libraries hand out fixed buffers (8000 bytes:
 * 3065 bytes of zero padding) and test suites append text; those bytes are covered by no signature, so they
 * are reported in the registers (`trailingBytes`, `trailingNonZero`) and never read. Anything longer is
 * TRAILING_DATA: it is not a quote with padding but something else glued to one.
 */
export const DEFAULT_MAX_DCAP_TRAILING_BYTES = 4096;

/** Intel SGX Root CA (2018-05-21..2049-12-31): the one anchor of every PCK chain, TDX and SGX alike. */
export const INTEL_SGX_ROOT_CA_SHA256 = "44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3";

export const INTEL_PINNED_ROOTS: readonly PinnedRoot[] = Object.freeze([
  Object.freeze({ name: "Intel SGX Root CA", sha256: INTEL_SGX_ROOT_CA_SHA256 }),
]);

/** Intel's quoting enclave vendor id (939a7233-f79c-4ca9-940a-0db3957f0607). */
export const INTEL_QE_VENDOR_ID = "939a7233f79c4ca9940a0db3957f0607";

export const QUOTE_HEADER_BYTES = 48;
export const ENCLAVE_REPORT_BYTES = 384;
export const TD_REPORT10_BYTES = 584;
export const TD_REPORT15_BYTES = 648;
export const ECDSA_P256_SIGNATURE_BYTES = 64;
export const ECDSA_P256_KEY_BYTES = 64;

export const ATTESTATION_KEY_TYPE_ECDSA_P256 = 2;
export const TEE_TYPE_SGX = 0x00000000;
export const TEE_TYPE_TDX = 0x00000081;

/** v5 body descriptor types. */
export const BODY_TYPE_SGX = 1;
export const BODY_TYPE_TD10 = 2;
export const BODY_TYPE_TD15 = 3;

/** Certification data types: 5 is the PEM PCK chain, 6 wraps the QE report around it (v4/v5). */
export const CERT_DATA_PCK_CHAIN = 5;
export const CERT_DATA_QE_REPORT = 6;

/** A PCK chain is leaf, PCK Processor/Platform CA, Intel SGX Root CA; more than this is not a PCK chain. */
export const MAX_PCK_CHAIN_CERTIFICATES = 4;
