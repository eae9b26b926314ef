import { describe, expect, it } from "vitest";
import { parseGpuReport } from "../../../src/evidence/nvidia/parseGpuReport.js";
import { MAX_GPU_TRAILING_ZERO_BYTES } from "../../../src/evidence/nvidia/types.js";
import { hopperReport, layoutOf, ppcieEntries, ppcieReport } from "./samples.js";
import { codeOf } from "../../support/rejection.js";


describe("parseGpuReport on the real hopper sample", () => {
  const bytes = hopperReport();
  const layout = layoutOf(bytes);
  const report = parseGpuReport(bytes);

  it("matches the PROVENANCE facts: 4117 bytes, 64 blocks, 422 opaque bytes, 96-byte signature", () => {
    expect(bytes.length).toBe(4117);
    expect(report.response.blocks).toHaveLength(64);
    expect(report.response.opaque.fields.reduce((sum, field) => sum + 4 + field.value.length, 0)).toBe(422);
    expect(report.response.signature).toHaveLength(96);
    expect(report.trailingZeroBytes).toBe(0);
  });

  it("reads the request fields at their SPDM 1.1 offsets", () => {
    expect(report.request.version).toBe(bytes[0]);
    expect(bytes[0]).toBe(0x11);
    expect(bytes[1]).toBe(0xe0);
    expect(report.request.param1).toBe(bytes[2]);
    expect(report.request.measurementIndex).toBe(0xff);
    expect(Buffer.from(report.request.nonce).equals(Buffer.from(bytes.subarray(...layout.nonce)))).toBe(true);
    expect(report.request.slotId).toBe(bytes[36]);
  });

  it("reads the response fields, blocks and signature at their offsets", () => {
    expect(bytes[layout.responseStart + 1]).toBe(0x60);
    expect(report.response.blockCount).toBe(layout.blockCount);
    expect(report.response.blocks.map((block) => block.index)).toEqual(layout.blocks.map((block) => block.index));
    for (const [n, block] of layout.blocks.entries()) {
      const parsed = report.response.blocks[n]!;
      expect(Buffer.from(parsed.value).equals(Buffer.from(bytes.subarray(block.valueStart, block.valueStart + block.valueSize)))).toBe(true);
      expect(parsed.valueType).toBe(bytes[block.start + 4]);
      expect(parsed.specification).toBe(1);
    }
    expect(Buffer.from(report.response.nonce).equals(Buffer.from(bytes.subarray(...layout.responseNonce)))).toBe(true);
    expect(Buffer.from(report.response.signature).equals(Buffer.from(bytes.subarray(...layout.signature)))).toBe(true);
    expect(layout.signature[1]).toBe(bytes.length);
    expect(Buffer.from(report.signedBytes).equals(Buffer.from(bytes.subarray(0, layout.signature[0])))).toBe(true);
  });

  it("decodes the opaque TLVs: every type in order, driver version text found in the raw bytes", () => {
    expect(report.response.opaque.fields.map((field) => field.type)).toEqual(layout.tlvs.map((tlv) => tlv.type));
    const driverTlv = layout.tlvs.find((tlv) => tlv.type === 3)!;
    const driverText = Buffer.from(bytes.subarray(driverTlv.valueStart, driverTlv.end)).toString("latin1").replace(/\0+$/, "");
    expect(driverText).toMatch(/^\d+\.\d+\.\d+$/);
    expect(report.response.opaque.driverVersion).toBe(driverText);
    const fwidTlv = layout.tlvs.find((tlv) => tlv.type === 20)!;
    expect(Buffer.from(report.response.opaque.fwid!).equals(Buffer.from(bytes.subarray(fwidTlv.valueStart, fwidTlv.end)))).toBe(true);
  });

  it("tolerates zero padding after the signature without changing the signed bytes or the signature", () => {
    for (let pad = 1; pad <= MAX_GPU_TRAILING_ZERO_BYTES; pad++) {
      const padded = new Uint8Array(bytes.length + pad);
      padded.set(bytes);
      const parsed = parseGpuReport(padded);
      expect(parsed.trailingZeroBytes).toBe(pad);
      expect(Buffer.from(parsed.signedBytes).equals(Buffer.from(report.signedBytes))).toBe(true);
      expect(Buffer.from(parsed.response.signature).equals(Buffer.from(report.response.signature))).toBe(true);
    }
  });

  it("rejects more zero padding than the cap, and any non-zero byte after the signature", () => {
    const tooMuch = new Uint8Array(bytes.length + MAX_GPU_TRAILING_ZERO_BYTES + 1);
    tooMuch.set(bytes);
    expect(codeOf(() => parseGpuReport(tooMuch))).toBe("TRAILING_DATA");
    for (const garbage of [[1], [0, 0, 7], [0x0a]]) {
      const withGarbage = new Uint8Array([...bytes, ...garbage]);
      expect(codeOf(() => parseGpuReport(withGarbage))).toBe("TRAILING_DATA");
    }
  });
});

describe("parseGpuReport on the 8 real PPCIe reports", () => {
  const entries = ppcieEntries();
  it.each(entries.map((_, index) => index))("GPU %i: nonce, versions and blocks agree with the JSON envelope and the raw bytes", (index) => {
    const bytes = ppcieReport(index);
    const layout = layoutOf(bytes);
    const report = parseGpuReport(bytes);
    const entry = entries[index]!;
    expect(Buffer.from(report.request.nonce).toString("hex")).toBe(entry.nonce.toLowerCase());
    expect(Buffer.from(bytes.subarray(...layout.nonce)).toString("hex")).toBe(entry.nonce.toLowerCase());
    expect(report.response.opaque.driverVersion).toBe(entry.driver_version);
    expect(report.response.opaque.vbiosVersion).toBe(entry.vbios_version.toUpperCase());
    expect(report.response.blocks).toHaveLength(layout.blockCount);
    expect(layout.signature[1]).toBe(bytes.length);
    // Unknown-to-nvtrust-1.x types (34 OPAQUE_DATA_VERSION etc.) are kept, none is lost.
    expect(report.response.opaque.fields.map((field) => field.type)).toEqual(layout.tlvs.map((tlv) => tlv.type));
  });
});

describe("parseGpuReport structural rejections", () => {
  it("refuses oversized input before parsing", () => {
    expect(codeOf(() => parseGpuReport(new Uint8Array(65 * 1024)))).toBe("INPUT_TOO_LARGE");
  });

  it("keeps a type it does not know as raw bytes under its number", () => {
    const bytes = hopperReport();
    const layout = layoutOf(bytes);
    const mutated = bytes.slice();
    const tlv = layout.tlvs.find((candidate) => candidate.type === 19)!; // PROJECT_SKU_MOD
    mutated[tlv.start] = 0xc8; // type 200: not assigned
    const parsed = parseGpuReport(mutated);
    const unknown = parsed.response.opaque.fields.find((field) => field.type === 200)!;
    expect(unknown.name).toBeUndefined();
    expect(Buffer.from(unknown.value).equals(Buffer.from(bytes.subarray(tlv.valueStart, tlv.end)))).toBe(true);
  });

  it("rejects a request for a single index answered with many blocks", () => {
    const mutated = hopperReport().slice();
    mutated[3] = 5;
    expect(codeOf(() => parseGpuReport(mutated))).toBe("SPDM_INVALID");
  });
});
