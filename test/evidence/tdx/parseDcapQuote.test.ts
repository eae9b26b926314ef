import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TeezkError } from "../../../src/errors/index.js";
import { MAX_DCAP_QUOTE_BYTES, parseDcapQuote, verifyDcapQuote } from "../../../src/evidence/tdx/index.js";
import { DCAP_SAMPLES, layoutOf, loadSampleBytes, pemBlocks, slice } from "./dcapSamples.js";

const hexOf = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

describe.each(DCAP_SAMPLES)("parseDcapQuote on $name", (sample) => {
  const bytes = loadSampleBytes(sample);
  const layout = layoutOf(bytes);

  it("finds every structure where the spec puts it", () => {
    const quote = parseDcapQuote(bytes);
    expect(quote.header.version).toBe(sample.version);
    expect(quote.header.teeType).toBe(sample.tee === "tdx" ? 0x81 : 0);
    expect(quote.header.attestationKeyType).toBe(2);
    expect(quote.body.kind).toBe(sample.tee === "sgx" ? "sgx" : sample.version === 5 ? "td15" : "td10");
    expect(hexOf(quote.signedBytes)).toBe(slice(bytes, 0, layout.sigLenAt));
    expect(hexOf(quote.signature)).toBe(slice(bytes, layout.sigAt, 64));
    expect(hexOf(quote.attestationKey)).toBe(slice(bytes, layout.attKeyAt, 64));
    expect(hexOf(quote.qeReport.raw)).toBe(slice(bytes, layout.qeReportAt, 384));
    expect(hexOf(quote.qeReportSignature)).toBe(slice(bytes, layout.qeSigAt, 64));
    expect(hexOf(quote.qeAuthData)).toBe(slice(bytes, layout.authAt, layout.authLength));
    expect(quote.qeReport.isvProdId).toBe(Buffer.from(bytes).readUInt16LE(layout.qeReportAt + 256));
    expect(quote.quoteBytes).toBe(layout.end);
    expect(quote.trailing.length).toBe(sample.trailing);
    expect(quote.pckChainPem.match(/BEGIN CERTIFICATE/g)).toHaveLength(3);
    expect(quote.pckChainPem.startsWith(pemBlocks(bytes)[0]!)).toBe(true);
  });

  it("refuses a PCK chain with a byte that is not PEM text, naming its offset; trailing NULs are allowed", () => {
    const at = Buffer.from(bytes).indexOf("-----BEGIN CERTIFICATE-----") + 40;
    const chainStart = Buffer.from(bytes).indexOf("-----BEGIN CERTIFICATE-----");
    for (const byte of [0x00, 0x01, 0x0b, 0x7f, 0x80, 0xff]) {
      const mutated = new Uint8Array(bytes);
      mutated[at] = byte;
      expect(() => parseDcapQuote(mutated)).toThrowError(expect.objectContaining({ code: "QUOTE_INVALID", details: `byte 0x${byte.toString(16)} at offset ${at - chainStart}` }));
    }
  });

  it("refuses the quote when a trailing-byte cap below the padding is set", () => {
    if (sample.trailing === 0) return;
    expect(() => parseDcapQuote(bytes, { maxTrailingBytes: sample.trailing - 1 })).toThrowError(expect.objectContaining({ code: "TRAILING_DATA" }));
    expect(parseDcapQuote(bytes, { maxTrailingBytes: sample.trailing }).trailing.length).toBe(sample.trailing);
  });
});

describe("parseDcapQuote caps", () => {
  it("refuses input above MAX_DCAP_QUOTE_BYTES before parsing and an empty input", () => {
    expect(() => parseDcapQuote(new Uint8Array(MAX_DCAP_QUOTE_BYTES + 1))).toThrowError(expect.objectContaining({ code: "INPUT_TOO_LARGE" }));
    expect(() => parseDcapQuote(new Uint8Array(0))).toThrowError(expect.objectContaining({ code: "INPUT_EMPTY" }));
  });
});

/** Outcome of one call: a TeezkError is the only acceptable failure. */
function expectOnlyTeezk(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof TeezkError)) throw new Error(`non-Teezk exception: ${String(error)}`, { cause: error });
  }
}

const INTEL_VENDOR = Buffer.from("939a7233f79c4ca9940a0db3957f0607", "hex");
const samples = DCAP_SAMPLES.map(loadSampleBytes);

describe("parseDcapQuote fuzzing (fast-check)", () => {
  it("random bytes behind a plausible header: only TeezkErrors (4,000 inputs)", () => {
    const header = fc.record({
      version: fc.constantFrom(2, 3, 4, 5, 6),
      keyType: fc.constantFrom(2, 2, 2, 3),
      tee: fc.constantFrom(0, 0x81, 0x81, 7),
      tail: fc.uint8Array({ maxLength: 1400 }),
    });
    fc.assert(
      fc.property(header, ({ version, keyType, tee, tail }) => {
        const bytes = Buffer.alloc(48 + tail.length);
        bytes.writeUInt16LE(version, 0);
        bytes.writeUInt16LE(keyType, 2);
        bytes.writeUInt32LE(tee, 4);
        INTEL_VENDOR.copy(bytes, 12);
        bytes.set(tail, 48);
        expectOnlyTeezk(() => parseDcapQuote(new Uint8Array(bytes)));
      }),
      { numRuns: 4000 },
    );
  });

  it("unstructured random bytes: only TeezkErrors (2,000 inputs)", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 6000 }), (bytes) => expectOnlyTeezk(() => parseDcapQuote(bytes))), { numRuns: 2000 });
  });

  it("real quotes with random overwrites, cuts and length fields: parse and verify give only TeezkErrors (4,000 inputs)", () => {
    const edit = fc.record({
      sample: fc.nat({ max: samples.length - 1 }),
      writes: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
      lengthField: fc.option(fc.tuple(fc.constantFrom("sig", "auth", "cert"), fc.integer({ min: -8, max: 8 })), { nil: undefined }),
      cut: fc.option(fc.nat(), { nil: undefined }),
    });
    fc.assert(
      fc.property(edit, ({ sample, writes, lengthField, cut }) => {
        const original = samples[sample]!;
        const layout = layoutOf(original);
        const bytes = Buffer.from(original);
        for (const [at, value] of writes) bytes[at % bytes.length] = value;
        if (lengthField) {
          const [field, delta] = lengthField;
          if (field === "sig") bytes.writeUInt32LE((layout.sigDataLength + delta) >>> 0, layout.sigLenAt);
          if (field === "auth") bytes.writeUInt16LE((layout.authLength + delta) & 0xffff, layout.authLenAt);
          if (field === "cert") bytes.writeUInt32LE((layout.pemLength + delta) >>> 0, layout.certSizeAt);
        }
        const input = new Uint8Array(cut === undefined ? bytes : bytes.subarray(0, cut % (bytes.length + 1)));
        expectOnlyTeezk(() => verifyDcapQuote({ evidence: input, now: new Date(DCAP_SAMPLES[sample]!.now) }));
      }),
      { numRuns: 4000 },
    );
  });
});
