/** Byte layout of ATTESTATION_REPORT (AMD SEV-SNP ABI, spec 56860, "ATTESTATION_REPORT Structure"). */
export const SNP_REPORT_BYTES = 0x4a0;
/** The signature covers every byte before it. */
export const SNP_SIGNED_BYTES = 0x2a0;
export const SNP_MIN_VERSION = 2;
export const SNP_MAX_VERSION = 5;
/** SIGNATURE_ALGO 1: ECDSA P-384 with SHA-384, the only algorithm the ABI defines. */
export const SNP_SIG_ALGO_ECDSA_P384_SHA384 = 1;
/** R and S are little-endian and zero-extended to 72 bytes each; the rest of the 512-byte field is reserved. */
export const SNP_SIGNATURE_COMPONENT_BYTES = 72;
export const P384_SCALAR_BYTES = 48;

/**
 * Cap on evidence handed to `verifySnpReport` (raw report, Azure HCL report or Azure evidence JSON). Real
 * Azure evidence JSON is about 37 KB (the vTPM quote and VCEK travel with it); 256 KiB leaves room for
 * pretty-printed variants without letting a caller make us parse megabytes of JSON.
 */
export const MAX_SNP_EVIDENCE_BYTES = 256 * 1024;

/** Azure HCL report: a 32-byte header ("HCLA", version, size, request type, status, reserved), then the SNP report. */
export const HCL_HEADER_BYTES = 32;
export const HCL_MAGIC = "HCLA";
/** IGVM_REQUEST_TYPE 2 = SNP report (1 is VBS, 3 is TDX). */
export const HCL_REQUEST_TYPE_SNP = 2;

/** AMD's VCEK/VLEK certificate extensions (AMD "Versioned Chip Endorsement Key (VCEK) Certificate and KDS Interface Specification"). */
export const AMD_OID = {
  structVersion: "1.3.6.1.4.1.3704.1.1",
  productName: "1.3.6.1.4.1.3704.1.2",
  blSpl: "1.3.6.1.4.1.3704.1.3.1",
  teeSpl: "1.3.6.1.4.1.3704.1.3.2",
  snpSpl: "1.3.6.1.4.1.3704.1.3.3",
  /** SPLs 4–7: reserved, zero in today's VCEKs (the verifier reads none of them). */
  spl4: "1.3.6.1.4.1.3704.1.3.4",
  spl5: "1.3.6.1.4.1.3704.1.3.5",
  spl6: "1.3.6.1.4.1.3704.1.3.6",
  spl7: "1.3.6.1.4.1.3704.1.3.7",
  ucodeSpl: "1.3.6.1.4.1.3704.1.3.8",
  fmcSpl: "1.3.6.1.4.1.3704.1.3.9",
  hwId: "1.3.6.1.4.1.3704.1.4",
  cspId: "1.3.6.1.4.1.3704.1.5",
} as const;

/** Collateral files larger than this are refused: AMD certificates are ~2 KB and CRLs a few KB. */
export const MAX_SNP_COLLATERAL_FILE_BYTES = 1024 * 1024;
export const MAX_SNP_COLLATERAL_FILES = 256;
