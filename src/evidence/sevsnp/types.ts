import type { X509Certificate } from "node:crypto";

/** EPYC generations with their own ARK: the product decides the root and the TCB_VERSION layout. */
export type SnpProduct = "Milan" | "Genoa" | "Turin";
export const SNP_PRODUCTS: readonly SnpProduct[] = ["Milan", "Genoa", "Turin"];

/**
 * TCB_VERSION decoded for a product. Milan/Genoa: BOOT_LOADER, TEE, 4 reserved, SNP, MICROCODE.
 * Turin: FMC, BOOT_LOADER, TEE, SNP, 3 reserved, MICROCODE.
 */
export type SnpTcbVersion = {
  /** The 8 bytes as they sit in the report (little-endian u64), hex without prefix. */
  raw: string;
  /** Turin only. */
  fmc?: number;
  bootloader: number;
  tee: number;
  snp: number;
  microcode: number;
};

export type SnpSigningKey = "vcek" | "vlek" | "none";

export type SnpGuestPolicy = {
  abiMinor: number;
  abiMajor: number;
  smt: boolean;
  migrateMa: boolean;
  debug: boolean;
  singleSocket: boolean;
  cxlAllow: boolean;
  memAes256Xts: boolean;
  raplDis: boolean;
  ciphertextHiding: boolean;
  pageSwapDisable: boolean;
};

export type SnpPlatformInfo = {
  smtEnabled: boolean;
  tsmeEnabled: boolean;
  eccEnabled: boolean;
  raplDisabled: boolean;
  ciphertextHidingEnabled: boolean;
  aliasCheckComplete: boolean;
  tioEnabled: boolean;
};

export type SnpFirmwareVersion = { build: number; minor: number; major: number };

/** Every field of ATTESTATION_REPORT versions 2–5. Byte fields are views into the parsed buffer's copy. */
export type SnpReport = {
  version: number;
  guestSvn: number;
  policy: bigint;
  guestPolicy: SnpGuestPolicy;
  familyId: Uint8Array;
  imageId: Uint8Array;
  vmpl: number;
  signatureAlgorithm: number;
  currentTcb: SnpTcbVersion;
  platformInfo: bigint;
  platformInfoFlags: SnpPlatformInfo;
  /** The u32 at 0x48: AUTHOR_KEY_EN (bit 0), MASK_CHIP_KEY (bit 1), SIGNING_KEY (bits 4:2). */
  keyInfo: number;
  authorKeyEn: boolean;
  maskChipKey: boolean;
  signingKey: SnpSigningKey;
  reportData: Uint8Array;
  measurement: Uint8Array;
  hostData: Uint8Array;
  idKeyDigest: Uint8Array;
  authorKeyDigest: Uint8Array;
  reportId: Uint8Array;
  reportIdMa: Uint8Array;
  reportedTcb: SnpTcbVersion;
  /** Version 3 and later: combined extended family/model and stepping of the CPU. */
  cpuid?: { family: number; model: number; stepping: number };
  chipId: Uint8Array;
  committedTcb: SnpTcbVersion;
  current: SnpFirmwareVersion;
  committed: SnpFirmwareVersion;
  launchTcb: SnpTcbVersion;
  /** Version 5 and later. */
  launchMitVector?: bigint;
  currentMitVector?: bigint;
  /** R and S as they sit in the report: 72 bytes each, little-endian. */
  signatureR: Uint8Array;
  signatureS: Uint8Array;
  /** Product from CPUID (v3+) or from the caller's hint; undefined for a v2 report without a hint. */
  product?: SnpProduct;
  /** Bytes [0, 0x2A0): what the signature covers. */
  signedBytes: Uint8Array;
  raw: Uint8Array;
};

/** A CRL from the collateral folder, kept as DER (the signature is checked against the chain at verification). */
export type SnpCrl = { der: Uint8Array; source: string };

/**
 * AMD certificates and CRLs, classified by subject CN (never by file name). Produced by `loadSnpCollateral`
 * or `createSnpCollateral`; several folders can be merged (a sample folder plus the product roots).
 */
export type SnpCollateral = {
  arks: X509Certificate[];
  asks: X509Certificate[];
  asvks: X509Certificate[];
  vceks: X509Certificate[];
  vleks: X509Certificate[];
  crls: SnpCrl[];
};

/** Where the SNP report came from. */
export type SnpContainer = "raw" | "azure-hcl" | "azure-json";
