import type { X509Certificate } from "node:crypto";
import type { Hex } from "../../util/bytes.js";

/**
 * Cap on the evidence handed to the NVIDIA verifiers, refused before parsing. A single Hopper report is about
 * 4.2 KB and the real 8-GPU JSON set is 99 KB; 1 MiB leaves room for larger sets without letting a caller make
 * us decode unbounded base64.
 */
export const MAX_GPU_EVIDENCE_BYTES = 1024 * 1024;

/** Cap on one SPDM request+response. Real reports are ~4.2 KB; SPDM lets the record grow but not this much. */
export const MAX_GPU_REPORT_BYTES = 64 * 1024;

/** Cap on GPUs in one JSON evidence set (a DGX/HGX board holds 8). */
export const MAX_GPU_EVIDENCE_ENTRIES = 64;

/** Cap on certificates in one device chain (real chains hold 5). */
export const MAX_GPU_CHAIN_CERTIFICATES = 8;

/**
 * Some real reports end with one 0x00 byte after the 96-byte signature. Zero bytes up to this many are
 * tolerated after the exact end the headers compute; they are never part of the signed data or the signature.
 */
export const MAX_GPU_TRAILING_ZERO_BYTES = 8;

/** One DMTF measurement block of the MEASUREMENTS response (DSP0274 1.1, table "Measurement block format"). */
export type GpuMeasurementBlock = {
  /** 1-based measurement index. */
  index: number;
  /** MeasurementSpecification bit field; bit 0 = DMTF (the only one this verifier accepts). */
  specification: number;
  /** DMTFSpecMeasurementValueType: bit 7 = raw bit stream (else digest), bits 6:0 = component kind. */
  valueType: number;
  /** DMTFSpecMeasurementValue: the bytes appraised against RIM golden values (48-byte SHA-384 on Hopper). */
  value: Uint8Array;
};

/** One TLV of NVIDIA's opaque data: u16 type, u16 size, value. */
export type GpuOpaqueField = {
  type: number;
  /** nvtrust's name without the OPAQUE_FIELD_ID_ prefix, or undefined for a type we do not know. */
  name: string | undefined;
  value: Uint8Array;
};

/** The opaque fields a reader is likely to want, decoded; every field is also kept raw in `fields`. */
export type GpuOpaqueData = {
  fields: GpuOpaqueField[];
  driverVersion?: string;
  /** nvtrust's "xx.xx.xx.xx.xx" rendering of the 8-byte VBIOS version, upper-case as NVIDIA's RIMs name it. */
  vbiosVersion?: string;
  project?: string;
  projectSku?: string;
  projectSkuMod?: string;
  chipSku?: string;
  chipSkuMod?: string;
  /** 48-byte firmware id; Hopper's device leaf certificate certifies the same bytes. */
  fwid?: Uint8Array;
  /** Per-measurement-index change counters (u32 each). */
  measurementCounts?: number[];
  nvdec0Status?: number;
  protectedPcieStatus?: number;
  /** NVSwitch PDIs (8 bytes each) in a protected-PCIe system. */
  switchPdis?: Uint8Array[];
  opaqueDataVersion?: number;
};

/** A parsed NVIDIA GPU attestation report: the SPDM 1.1 GET_MEASUREMENTS request followed by its response. */
export type GpuReport = {
  request: {
    version: number;
    /** Bit 0: the requester asked for a signature. */
    param1: number;
    /** Measurement operation: 0xFF all blocks, else one index. */
    measurementIndex: number;
    /** The requester's 32-byte nonce: the challenge the verifier chose, hence Claims.reportData. */
    nonce: Uint8Array;
    slotId: number;
  };
  response: {
    version: number;
    param1: number;
    slotId: number;
    blockCount: number;
    blocks: GpuMeasurementBlock[];
    /** The responder's own 32-byte nonce (not a challenge; signed, kept for audit). */
    nonce: Uint8Array;
    opaque: GpuOpaqueData;
    /** ECDSA P-384 r‖s. */
    signature: Uint8Array;
  };
  /** request ‖ response without signature: the bytes whose SHA-384 the signature covers. */
  signedBytes: Uint8Array;
  /** Zero bytes found after the signature (tolerated up to MAX_GPU_TRAILING_ZERO_BYTES). */
  trailingZeroBytes: number;
};

/** What a deployment supplies beside a bare report: the device certificate chain, leaf first. */
export type NvidiaCollateral = {
  certificateChain: readonly X509Certificate[];
  /** Driver and VBIOS RIMs by RIM service id (`<id>.swidtag` files), unverified until used. */
  rims?: Readonly<Record<string, Uint8Array>>;
  /** DER OCSP answers for the device chain's certificates (`*.ocsp` files), unverified until used. */
  ocsp?: readonly Uint8Array[];
  /** Where the chain came from (a file path), for messages. */
  source?: string;
};

/** One GPU of a JSON evidence document: its report and, where the document carries it, its chain. */
export type GpuEvidenceEntry = {
  report: Uint8Array;
  /** PEM text of the device chain (decoded from base64 when the document encodes it). */
  certificateChainPem: string | undefined;
  /** The nonce the document claims; unsigned, so it is only compared with the signed request nonce. */
  nonce: Hex | undefined;
  arch: string | undefined;
};
