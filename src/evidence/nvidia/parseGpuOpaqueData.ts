import { TeezkError } from "../../errors/index.js";
import type { GpuOpaqueData, GpuOpaqueField } from "./types.js";

/**
 * NVIDIA's opaque-data field types, as nvtrust names them (OPAQUE_FIELD_ID_<name>). Types not listed are
 * kept raw under their number: new firmware adds fields, and an unknown one must not fail a signed report.
 */
export const GPU_OPAQUE_FIELD_NAMES: Readonly<Record<number, string>> = {
  1: "CERT_ISSUER_NAME",
  2: "CERT_AUTHORITY_KEY_IDENTIFIER",
  3: "DRIVER_VERSION",
  4: "GPU_INFO",
  5: "SKU",
  6: "VBIOS_VERSION",
  7: "MANUFACTURER_ID",
  8: "TAMPER_DETECTION",
  9: "SMC",
  10: "VPR",
  11: "NVDEC0_STATUS",
  12: "MSRSCNT",
  13: "CPRINFO",
  14: "BOARD_ID",
  15: "CHIP_SKU",
  16: "CHIP_SKU_MOD",
  17: "PROJECT",
  18: "PROJECT_SKU",
  19: "PROJECT_SKU_MOD",
  20: "FWID",
  21: "PROTECTED_PCIE_STATUS",
  22: "SWITCH_PDI",
  23: "FLOORSWEPT_PORTS",
  24: "POSITION_ID",
  25: "LOCK_SWITCH_STATUS",
  32: "GPU_LINK_CONN",
  33: "SYS_ENABLE_STATUS",
  34: "OPAQUE_DATA_VERSION",
  35: "CHIP_INFO",
  36: "FEATURE_FLAG",
  255: "INVALID",
};

/**
 * Splits the opaque data of a MEASUREMENTS response into its TLVs (u16 type, u16 size, value, little-endian)
 * and decodes the well-known ones. The framing is strict (every byte belongs to exactly one TLV, no type twice)
 * because the fields are signed claims and an ambiguous duplicate would let two readers disagree; decoding of
 * a field's content is lenient (a field that does not decode stays raw only).
 */
export function parseGpuOpaqueData(bytes: Uint8Array): GpuOpaqueData {
  const fields: GpuOpaqueField[] = [];
  const seen = new Set<number>();
  let offset = 0;
  while (offset < bytes.length) {
    if (bytes.length - offset < 4) {
      throw new TeezkError("SPDM_INVALID", "The GPU report's opaque data ends inside a field header", {
        details: `${bytes.length - offset} bytes left at opaque offset ${offset}`,
      });
    }
    const type = bytes[offset]! | (bytes[offset + 1]! << 8);
    const size = bytes[offset + 2]! | (bytes[offset + 3]! << 8);
    offset += 4;
    if (size > bytes.length - offset) {
      throw new TeezkError("SPDM_INVALID", `The GPU report's opaque field ${type} overruns the opaque data`, {
        details: `declares ${size} bytes at opaque offset ${offset}, ${bytes.length - offset} left`,
      });
    }
    if (seen.has(type)) {
      throw new TeezkError("SPDM_INVALID", `The GPU report's opaque data holds field ${type} twice`);
    }
    seen.add(type);
    fields.push({ type, name: GPU_OPAQUE_FIELD_NAMES[type], value: bytes.slice(offset, offset + size) });
    offset += size;
  }
  return decodeFields(fields);
}

function decodeFields(fields: GpuOpaqueField[]): GpuOpaqueData {
  const out: GpuOpaqueData = { fields };
  for (const { type, value } of fields) {
    switch (type) {
      case 3:
        out.driverVersion = asciiString(value);
        break;
      case 6:
        out.vbiosVersion = value.length === 8 ? formatVbiosVersion(value) : asciiString(value);
        break;
      case 11:
        if (value.length === 1) out.nvdec0Status = value[0]!;
        break;
      case 12:
        if (value.length % 4 === 0) {
          const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
          out.measurementCounts = Array.from({ length: value.length / 4 }, (_, i) => view.getUint32(i * 4, true));
        }
        break;
      case 15:
        out.chipSku = asciiString(value);
        break;
      case 16:
        out.chipSkuMod = asciiString(value);
        break;
      case 17:
        out.project = asciiString(value);
        break;
      case 18:
        out.projectSku = asciiString(value);
        break;
      case 19:
        out.projectSkuMod = asciiString(value);
        break;
      case 20:
        out.fwid = value;
        break;
      case 21:
        if (value.length === 1) out.protectedPcieStatus = value[0]!;
        break;
      case 22:
        if (value.length % 8 === 0) {
          out.switchPdis = Array.from({ length: value.length / 8 }, (_, i) => value.slice(i * 8, i * 8 + 8));
        }
        break;
      case 34:
        if (value.length === 2) out.opaqueDataVersion = value[0]! | (value[1]! << 8);
        break;
    }
  }
  for (const key of Object.keys(out) as (keyof GpuOpaqueData)[]) {
    if (out[key] === undefined) delete out[key];
  }
  return out;
}

/** NUL-terminated / NUL-padded ASCII; undefined when a byte before the padding is not printable. */
function asciiString(value: Uint8Array): string | undefined {
  let end = value.length;
  while (end > 0 && value[end - 1] === 0) end--;
  const body = value.subarray(0, end);
  for (const byte of body) if (byte < 0x20 || byte > 0x7e) return undefined;
  return Buffer.from(body).toString("latin1");
}

/**
 * nvtrust's rendering: the 8 bytes read as a little-endian integer, printed as 16 hex digits; the low half
 * followed by the last byte of the high half, dot-separated by byte. 00 a5 00 96 01 00 00 00 → 96.00.A5.00.01.
 */
function formatVbiosVersion(value: Uint8Array): string {
  const hex = Buffer.from(value).reverse().toString("hex").toUpperCase();
  const digits = hex.slice(8) + hex.slice(6, 8);
  return digits.match(/../g)!.join(".");
}
