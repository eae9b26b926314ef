import { TeezkError } from "../../errors/index.js";
import {
  SNP_MAX_VERSION,
  SNP_MIN_VERSION,
  SNP_REPORT_BYTES,
  SNP_SIGNATURE_COMPONENT_BYTES,
  SNP_SIGNED_BYTES,
} from "./constants.js";
import { decodeTcbVersion } from "./decodeTcbVersion.js";
import { snpProductFromCpuid } from "./snpProduct.js";
import type { SnpProduct, SnpReport, SnpSigningKey } from "./types.js";

export type ParseSnpReportOptions = {
  /** Product to decode TCB_VERSION fields with when the report has no CPUID (version 2). */
  product?: SnpProduct;
};

export type ParseSnpReportReturnType = SnpReport;
export type ParseSnpReportErrorType = TeezkError;

/**
 * Parses a raw 1184-byte ATTESTATION_REPORT (versions 2–5). Structure only: the signature, chain and TCB are
 * checked by `verifySnpReport`. Rejects a wrong length (SNP_REPORT_INVALID), a version outside 2–5
 * (UNSUPPORTED_VERSION), a reserved SIGNING_KEY value, and non-zero bytes in the unsigned reserved tail of
 * the signature field (they are not covered by the signature, so accepting them would make reports malleable).
 */
export function parseSnpReport(bytes: Uint8Array, options: ParseSnpReportOptions = {}): ParseSnpReportReturnType {
  if (bytes.length !== SNP_REPORT_BYTES) {
    throw new TeezkError("SNP_REPORT_INVALID", `An SEV-SNP attestation report is ${SNP_REPORT_BYTES} bytes, got ${bytes.length}`, {
      details: bytes.length < SNP_REPORT_BYTES ? "truncated report" : "unexpected bytes after the report",
    });
  }
  // Own copy: callers may reuse their buffer, and the views below must not change under us.
  const raw = new Uint8Array(bytes);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const u32 = (offset: number) => view.getUint32(offset, true);
  const u64 = (offset: number) => view.getBigUint64(offset, true);
  const slice = (offset: number, length: number) => raw.subarray(offset, offset + length);

  const version = u32(0x00);
  if (version < SNP_MIN_VERSION || version > SNP_MAX_VERSION) {
    throw new TeezkError("UNSUPPORTED_VERSION", `SEV-SNP report version ${version} is not supported (2 to 5 are)`);
  }
  const keyInfo = u32(0x48);
  const signingKeyField = (keyInfo >>> 2) & 7;
  let signingKey: SnpSigningKey;
  if (signingKeyField === 0) signingKey = "vcek";
  else if (signingKeyField === 1) signingKey = "vlek";
  else if (signingKeyField === 7) signingKey = "none";
  else {
    throw new TeezkError("SNP_REPORT_INVALID", `SIGNING_KEY value ${signingKeyField} is reserved`, {
      details: `report bytes 0x48..0x4C = 0x${keyInfo.toString(16)}`,
    });
  }
  const tailStart = SNP_SIGNED_BYTES + 2 * SNP_SIGNATURE_COMPONENT_BYTES;
  for (let offset = tailStart; offset < SNP_REPORT_BYTES; offset++) {
    if (raw[offset] !== 0) {
      throw new TeezkError("SNP_REPORT_INVALID", "The reserved tail of the signature field is not zero", {
        details: `non-zero byte at offset 0x${offset.toString(16)}; these bytes are not signed`,
      });
    }
  }

  const cpuid = version >= 3 ? { family: raw[0x188]!, model: raw[0x189]!, stepping: raw[0x18a]! } : undefined;
  const product = (cpuid && snpProductFromCpuid(cpuid.family, cpuid.model)) ?? options.product;
  const tcb = (offset: number) => decodeTcbVersion(slice(offset, 8), product);
  const policy = u64(0x08);
  const bit = (value: bigint, index: number) => ((value >> BigInt(index)) & 1n) === 1n;
  const platformInfo = u64(0x40);

  return {
    version,
    guestSvn: u32(0x04),
    policy,
    guestPolicy: {
      abiMinor: Number(policy & 0xffn),
      abiMajor: Number((policy >> 8n) & 0xffn),
      smt: bit(policy, 16),
      migrateMa: bit(policy, 18),
      debug: bit(policy, 19),
      singleSocket: bit(policy, 20),
      cxlAllow: bit(policy, 21),
      memAes256Xts: bit(policy, 22),
      raplDis: bit(policy, 23),
      ciphertextHiding: bit(policy, 24),
      pageSwapDisable: bit(policy, 25),
    },
    familyId: slice(0x10, 16),
    imageId: slice(0x20, 16),
    vmpl: u32(0x30),
    signatureAlgorithm: u32(0x34),
    currentTcb: tcb(0x38),
    platformInfo,
    platformInfoFlags: {
      smtEnabled: bit(platformInfo, 0),
      tsmeEnabled: bit(platformInfo, 1),
      eccEnabled: bit(platformInfo, 2),
      raplDisabled: bit(platformInfo, 3),
      ciphertextHidingEnabled: bit(platformInfo, 4),
      aliasCheckComplete: bit(platformInfo, 5),
      tioEnabled: bit(platformInfo, 7),
    },
    keyInfo,
    authorKeyEn: (keyInfo & 1) === 1,
    maskChipKey: (keyInfo & 2) === 2,
    signingKey,
    reportData: slice(0x50, 64),
    measurement: slice(0x90, 48),
    hostData: slice(0xc0, 32),
    idKeyDigest: slice(0xe0, 48),
    authorKeyDigest: slice(0x110, 48),
    reportId: slice(0x140, 32),
    reportIdMa: slice(0x160, 32),
    reportedTcb: tcb(0x180),
    ...(cpuid ? { cpuid } : {}),
    chipId: slice(0x1a0, 64),
    committedTcb: tcb(0x1e0),
    current: { build: raw[0x1e8]!, minor: raw[0x1e9]!, major: raw[0x1ea]! },
    committed: { build: raw[0x1ec]!, minor: raw[0x1ed]!, major: raw[0x1ee]! },
    launchTcb: tcb(0x1f0),
    ...(version >= 5 ? { launchMitVector: u64(0x1f8), currentMitVector: u64(0x200) } : {}),
    signatureR: slice(SNP_SIGNED_BYTES, SNP_SIGNATURE_COMPONENT_BYTES),
    signatureS: slice(SNP_SIGNED_BYTES + SNP_SIGNATURE_COMPONENT_BYTES, SNP_SIGNATURE_COMPONENT_BYTES),
    ...(product ? { product } : {}),
    signedBytes: slice(0, SNP_SIGNED_BYTES),
    raw,
  };
}

