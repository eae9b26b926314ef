import { createHash, sign, type X509Certificate } from "node:crypto";
import { bytesEqual, type Hex } from "../../util/bytes.js";
import { issueDevCertificate } from "./issueDevCertificate.js";
import { bindingBytes, resolveRegisters, type RegisterSpec } from "./resolveRegisters.js";
import { SIMULATED_GPU_BLOCK_COUNT, SIMULATED_PLATFORM, simulatedRegister } from "./simulatedDefaults.js";
import type { DevRoots } from "./types.js";
import { diceTcbInfo, TCG_DICE_TCB_INFO_OID } from "./vendorExtensions.js";

export type SimulateGpuReportParameters = {
  /** The SPDM requester nonce: the CPU binding (DESIGN §3). */
  binding: Hex;
  devRoots: DevRoots;
  /** `measurement1` … `measurement64` (48 bytes each) and `fwid` (48 bytes). */
  registers?: Readonly<Record<string, Hex>>;
  /** Opaque DRIVER_VERSION; default SIMULATED_PLATFORM's (a report for a real RIM names that RIM's version). */
  driverVersion?: string;
  /** Opaque VBIOS_VERSION in nvtrust's dotted rendering ("96.00.5E.00.01"); default SIMULATED_PLATFORM's. */
  vbiosVersion?: string;
};

export type SimulateGpuReportReturnType = {
  /** GET_MEASUREMENTS request ‖ signed MEASUREMENTS response. */
  report: Uint8Array;
  /** Device chain, leaf first, ending at the dev root (as nvtrust's cert chain does). */
  certificateChain: X509Certificate[];
};

export const GPU_REGISTERS: Readonly<Record<string, RegisterSpec>> = Object.freeze({
  ...Object.fromEntries(Array.from({ length: SIMULATED_GPU_BLOCK_COUNT }, (_, i) => [`measurement${i + 1}`, { length: 48 }])),
  fwid: { length: 48 },
});

const SPDM_1_1 = 0x11;
/** DMTFSpecMeasurementValueType: digest of mutable firmware (what Hopper reports), not a raw bit stream. */
const VALUE_TYPE_DIGEST_FIRMWARE = 0x01;

/**
 * NVIDIA's GPU attestation report: an SPDM 1.1 GET_MEASUREMENTS request (signature requested, all blocks,
 * nonce = binding, slot 0) followed by the MEASUREMENTS response: 64 DMTF blocks of 48-byte digests, the
 * responder nonce, opaque data TLVs (driver, VBIOS, project, chip SKU, FWID, NVDEC0 and protected-PCIe status,
 * measurement counters, opaque-data version) and the ECDSA P-384 signature of the FMC leaf over
 * SHA-384(request ‖ response without signature).
 */
export function simulateGpuReport(parameters: SimulateGpuReportParameters): SimulateGpuReportReturnType {
  const { devRoots } = parameters;
  const nonce = bindingBytes(parameters.binding);
  const r = resolveRegisters("nvidia", GPU_REGISTERS, parameters.registers);
  const request = Buffer.concat([Buffer.from([SPDM_1_1, 0xe0, 0x01, 0xff]), nonce, Buffer.from([0x00])]);

  const blocks: Buffer[] = [];
  for (let index = 1; index <= SIMULATED_GPU_BLOCK_COUNT; index++) {
    const value = r[`measurement${index}`]!;
    blocks.push(Buffer.concat([Buffer.from([index, 0x01]), u16(value.length + 3), Buffer.from([VALUE_TYPE_DIGEST_FIRMWARE]), u16(value.length), value]));
  }
  const record = Buffer.concat(blocks);
  const responderNonce = createHash("sha256").update("teezk simulated nvidia responder nonce").update(nonce).digest();
  const counters = Buffer.alloc(4 * SIMULATED_GPU_BLOCK_COUNT);
  const opaque = Buffer.concat([
    tlv(3, text(parameters.driverVersion ?? SIMULATED_PLATFORM.gpuDriverVersion)),
    tlv(6, parameters.vbiosVersion ? vbiosVersionBytes(parameters.vbiosVersion) : Buffer.from(SIMULATED_PLATFORM.gpuVbiosVersionBytes, "hex")),
    tlv(11, Buffer.from([0x00])),
    tlv(12, counters),
    tlv(15, text(SIMULATED_PLATFORM.gpuChipSku)),
    tlv(17, text(SIMULATED_PLATFORM.gpuProject)),
    tlv(18, text(SIMULATED_PLATFORM.gpuProjectSku)),
    tlv(20, r.fwid!),
    tlv(21, Buffer.from([0x00])),
    tlv(34, u16(1)),
  ]);
  const response = Buffer.concat([
    Buffer.from([SPDM_1_1, 0x60, 0x00, 0x00, SIMULATED_GPU_BLOCK_COUNT]),
    u24(record.length),
    record,
    responderNonce,
    u16(opaque.length),
    opaque,
  ]);
  const signedBytes = Buffer.concat([request, response]);
  const signature = sign("sha384", signedBytes, { key: devRoots.nvidia.leaf.privateKey, dsaEncoding: "ieee-p1363" });
  const leaf = leafFor(devRoots, r.fwid!);
  return {
    report: new Uint8Array(Buffer.concat([signedBytes, signature])),
    certificateChain: [leaf, devRoots.nvidia.deviceCa.certificate, devRoots.nvidia.ica.certificate, devRoots.nvidia.root.certificate],
  };
}

/** The persisted leaf certifies the default FWID; other firmware gets a leaf (same key) that certifies it. */
function leafFor(devRoots: DevRoots, fwid: Uint8Array): X509Certificate {
  const persisted = devRoots.nvidia.leaf.certificate;
  if (bytesEqual(fwid, simulatedRegister("nvidia", "fwid"))) return persisted;
  return issueDevCertificate({
    commonName: "teezk dev GH100 A01 GSP FMC LF",
    publicKey: persisted.publicKey,
    issuer: devRoots.nvidia.deviceCa,
    ca: false,
    notBefore: persisted.validFromDate,
    notAfter: persisted.validToDate,
    extensions: [{ oid: TCG_DICE_TCB_INFO_OID, value: diceTcbInfo(fwid) }],
  });
}

/** The inverse of parseGpuOpaqueData's rendering: "96.00.5E.00.01" → 00 5e 00 96 01 00 00 00. */
function vbiosVersionBytes(version: string): Buffer {
  const digits = version.replace(/\./g, "");
  if (!/^[0-9a-fA-F]{10}$/.test(digits)) throw new RangeError(`VBIOS version ${version} is not five dotted hex bytes`);
  return Buffer.from(`000000${digits.slice(8)}${digits.slice(0, 8)}`, "hex").reverse();
}

function tlv(type: number, value: Uint8Array): Buffer {
  return Buffer.concat([u16(type), u16(value.length), value]);
}

function text(value: string): Buffer {
  return Buffer.concat([Buffer.from(value, "latin1"), Buffer.from([0])]);
}

function u16(value: number): Buffer {
  const out = Buffer.alloc(2);
  out.writeUInt16LE(value);
  return out;
}

function u24(value: number): Buffer {
  return Buffer.from([value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff]);
}
