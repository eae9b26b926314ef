import { TeezkError } from "../../errors/index.js";
import { ByteReader } from "../../util/bytes.js";
import { parseGpuOpaqueData } from "./parseGpuOpaqueData.js";
import {
  MAX_GPU_REPORT_BYTES,
  MAX_GPU_TRAILING_ZERO_BYTES,
  type GpuMeasurementBlock,
  type GpuReport,
} from "./types.js";

// DSP0274 (SPDM) 1.1 constants for GET_MEASUREMENTS / MEASUREMENTS.
const SPDM_VERSION_1_1 = 0x11;
const GET_MEASUREMENTS = 0xe0;
const MEASUREMENTS = 0x60;
const NONCE_BYTES = 32;
/** With the signature bit set the request is header(4) ‖ nonce(32) ‖ SlotIDParam(1). */
const SIGNED_REQUEST_BYTES = 4 + NONCE_BYTES + 1;
/** ECDSA P-384 r‖s: what Hopper's GSP signs with (BaseAsymAlgo TPM_ALG_ECDSA_ECC_NIST_P384). */
const SIGNATURE_BYTES = 96;
/** DSP0274 1.1: OpaqueLength shall not exceed 1024. */
const MAX_OPAQUE_BYTES = 1024;
const DMTF_SPECIFICATION = 0x01;
const ALL_MEASUREMENTS = 0xff;

export type ParseGpuReportReturnType = GpuReport;
export type ParseGpuReportErrorType = "INPUT_TOO_LARGE" | "SPDM_INVALID" | "TRUNCATED" | "TRAILING_DATA";

/**
 * Parses NVIDIA's GPU attestation report: an SPDM 1.1 GET_MEASUREMENTS request (37 bytes, signature requested)
 * followed by the MEASUREMENTS response. Structure only: no signature or certificate is checked here.
 *
 * Layout (all integers little-endian):
 * - request: SPDMVersion 0x11, code 0xE0, param1 (bit 0 = signature requested), param2 (index, 0xFF = all),
 *   nonce[32], SlotIDParam (bits 3:0)
 * - response: SPDMVersion, code 0x60, param1, param2 (bits 3:0 slot id), NumberOfBlocks, MeasurementRecordLength
 *   (u24), MeasurementRecord, nonce[32], OpaqueLength (u16), OpaqueData, Signature[96]
 * - measurement block: Index, MeasurementSpecification, MeasurementSize (u16), then for DMTF:
 *   DMTFSpecMeasurementValueType, DMTFSpecMeasurementValueSize (u16), DMTFSpecMeasurementValue
 *
 * After the signature only zero bytes, at most MAX_GPU_TRAILING_ZERO_BYTES, are tolerated (some real reports
 * carry one); they are neither signed nor part of the signature.
 */
export function parseGpuReport(bytes: Uint8Array): ParseGpuReportReturnType {
  if (bytes.length > MAX_GPU_REPORT_BYTES) {
    throw new TeezkError("INPUT_TOO_LARGE", `GPU report of ${bytes.length} bytes exceeds the ${MAX_GPU_REPORT_BYTES}-byte cap`);
  }
  const reader = new ByteReader(bytes, "GPU attestation report");

  const requestVersion = reader.u8("request SPDMVersion");
  expect(requestVersion === SPDM_VERSION_1_1, `request SPDM version 0x${hex8(requestVersion)} is not 1.1 (0x11)`);
  const requestCode = reader.u8("request code");
  expect(requestCode === GET_MEASUREMENTS, `request code 0x${hex8(requestCode)} is not GET_MEASUREMENTS (0xE0)`);
  const requestParam1 = reader.u8("request param1");
  // Without the signature bit the request has no nonce and the response no signature: nothing to verify.
  expect((requestParam1 & 0x01) === 1, "the request did not ask for a signed response (param1 bit 0 clear)");
  const measurementIndex = reader.u8("request param2");
  expect(measurementIndex !== 0, "the request asked only for the number of measurements (param2 = 0)");
  const requestNonce = reader.take(NONCE_BYTES, "request nonce").slice();
  const slotParam = reader.u8("request SlotIDParam");
  expect((slotParam & 0xf0) === 0, `request SlotIDParam 0x${hex8(slotParam)} has reserved bits set`);

  const responseVersion = reader.u8("response SPDMVersion");
  expect(responseVersion === requestVersion, `response SPDM version 0x${hex8(responseVersion)} differs from the request's`);
  const responseCode = reader.u8("response code");
  expect(responseCode === MEASUREMENTS, `response code 0x${hex8(responseCode)} is not MEASUREMENTS (0x60)`);
  const responseParam1 = reader.u8("response param1");
  const responseParam2 = reader.u8("response param2");
  const responseSlot = responseParam2 & 0x0f;
  expect(responseSlot === slotParam, `response slot ${responseSlot} differs from the requested slot ${slotParam}`);
  const blockCount = reader.u8("response NumberOfBlocks");
  const recordLength = u24(reader.take(3, "response MeasurementRecordLength"));
  const record = reader.take(recordLength, "response MeasurementRecord");
  const blocks = parseMeasurementRecord(record, blockCount);
  if (measurementIndex !== ALL_MEASUREMENTS) {
    expect(
      blocks.length === 1 && blocks[0]!.index === measurementIndex,
      `the request asked for measurement ${measurementIndex} but the response holds other blocks`,
    );
  }
  const responseNonce = reader.take(NONCE_BYTES, "response nonce").slice();
  const opaqueLength = reader.u16("response OpaqueLength");
  expect(opaqueLength <= MAX_OPAQUE_BYTES, `OpaqueLength ${opaqueLength} exceeds SPDM 1.1's limit of ${MAX_OPAQUE_BYTES}`);
  const opaque = parseGpuOpaqueData(reader.take(opaqueLength, "response OpaqueData"));
  const signedEnd = reader.offset;
  const signature = reader.take(SIGNATURE_BYTES, "response Signature").slice();

  const trailing = bytes.subarray(reader.offset);
  if (trailing.length > 0) {
    const nonZero = trailing.findIndex((byte) => byte !== 0);
    if (nonZero >= 0 || trailing.length > MAX_GPU_TRAILING_ZERO_BYTES) {
      throw new TeezkError("TRAILING_DATA", "The GPU report has bytes after its signature", {
        details:
          nonZero >= 0
            ? `non-zero byte at offset ${reader.offset + nonZero}; ${trailing.length} bytes follow the signature`
            : `${trailing.length} zero bytes follow the signature; at most ${MAX_GPU_TRAILING_ZERO_BYTES} are tolerated`,
      });
    }
  }

  return {
    request: { version: requestVersion, param1: requestParam1, measurementIndex, nonce: requestNonce, slotId: slotParam },
    response: {
      version: responseVersion,
      param1: responseParam1,
      slotId: responseSlot,
      blockCount,
      blocks,
      nonce: responseNonce,
      opaque,
      signature,
    },
    signedBytes: bytes.slice(0, signedEnd),
    trailingZeroBytes: trailing.length,
  };
}

function parseMeasurementRecord(record: Uint8Array, blockCount: number): GpuMeasurementBlock[] {
  expect(blockCount > 0, "the response holds no measurement blocks");
  const reader = new ByteReader(record, "GPU measurement record");
  const blocks: GpuMeasurementBlock[] = [];
  const seen = new Set<number>();
  for (let n = 0; n < blockCount; n++) {
    const index = inRecord(() => reader.u8(`block ${n} Index`));
    const specification = inRecord(() => reader.u8(`block ${n} MeasurementSpecification`));
    const size = inRecord(() => reader.u16(`block ${n} MeasurementSize`));
    const measurement = inRecord(() => reader.take(size, `block ${n} Measurement`));
    expect(index !== 0 && index !== 0xff, `measurement block ${n} has the reserved index ${index}`);
    expect(!seen.has(index), `measurement index ${index} appears twice`);
    seen.add(index);
    expect(specification === DMTF_SPECIFICATION, `measurement block ${index} is not in the DMTF format (specification ${specification})`);
    expect(size >= 3, `measurement block ${index} is too short for a DMTF header`);
    const valueType = measurement[0]!;
    const valueSize = measurement[1]! | (measurement[2]! << 8);
    expect(valueSize === size - 3, `measurement block ${index} value size ${valueSize} disagrees with its MeasurementSize ${size}`);
    blocks.push({ index, specification, valueType, value: measurement.slice(3) });
  }
  expect(reader.remaining === 0, `the measurement record has ${reader.remaining} bytes beyond its ${blockCount} blocks`);
  return blocks.sort((a, b) => a.index - b.index);
}

/** Inside the length-delimited record an overrun is a malformed SPDM structure, not a short input. */
function inRecord<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof TeezkError && error.code === "TRUNCATED") {
      throw new TeezkError("SPDM_INVALID", "A GPU measurement block overruns the measurement record", {
        details: error.details,
        cause: error,
      });
    }
    throw error;
  }
}

function expect(condition: boolean, problem: string): asserts condition {
  if (!condition) throw new TeezkError("SPDM_INVALID", `Malformed GPU report: ${problem}`);
}

function u24(bytes: Uint8Array): number {
  return bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16);
}

function hex8(value: number): string {
  return value.toString(16).padStart(2, "0").toUpperCase();
}
