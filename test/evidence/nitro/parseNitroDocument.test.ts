import fc from "fast-check";
import { encode } from "cbor2";
import { describe, expect, it } from "vitest";
import { TeezkError } from "../../../src/errors/index.js";
import { fixturePath } from "../../../src/fixtures/fixturesDir.js";
import { MAX_NITRO_DOCUMENT_BYTES, parseNitroDocument, verifyNitroDocument } from "../../../src/evidence/nitro/index.js";
import { encodeCbor } from "./forgeNitro.js";
import { bytesOf, loadNitroFile, loadNitroSamples, pcrsOf } from "./nitroSamples.js";

const samples = loadNitroSamples();

/** Runs `fn`; anything thrown must be a TeezkError. Returns whether it threw. */
function onlyTeezkErrors(fn: () => unknown): boolean {
  try {
    fn();
    return false;
  } catch (error) {
    if (!(error instanceof TeezkError)) throw error;
    return true;
  }
}

describe("parseNitroDocument", () => {
  it.each(samples.map((sample) => [sample.name, sample] as const))("reads %s field by field like an independent cbor2 decode", (_name, sample) => {
    const parsed = parseNitroDocument(sample.bytes);
    expect(parsed.cose.alg).toBe(-35);
    expect(parsed.cose.signature).toEqual(new Uint8Array(sample.cose[3]));
    expect(parsed.cose.payload).toEqual(new Uint8Array(sample.cose[2]));
    expect(parsed.moduleId).toBe(sample.doc.get("module_id"));
    expect(parsed.digest).toBe("SHA384");
    expect(parsed.timestamp).toBe(sample.timestampMs);
    expect([...parsed.pcrs.keys()]).toEqual([...pcrsOf(sample.doc).keys()].sort((a, b) => a - b));
    for (const [index, value] of pcrsOf(sample.doc)) expect(parsed.pcrs.get(index)).toEqual(new Uint8Array(value));
    expect(parsed.certificate).toEqual(new Uint8Array(sample.doc.get("certificate") as Uint8Array));
    expect(parsed.cabundle).toEqual((sample.doc.get("cabundle") as Uint8Array[]).map((der) => new Uint8Array(der)));
    for (const [field, key] of [["userData", "user_data"], ["publicKey", "public_key"], ["nonce", "nonce"]] as const) {
      const value = bytesOf(sample.doc, key);
      expect(parsed[field]).toEqual(value ? new Uint8Array(value) : null);
    }
  });

  it("does no cryptography: the NEGATIVE sample (bad signature) parses", () => {
    const negative = loadNitroFile("negative", fixturePath("nitro/eternis-2024-09/NEGATIVE-invalid-attestation-doc.b64"));
    expect(parseNitroDocument(negative.bytes).moduleId).toBe(negative.doc.get("module_id"));
  });

  it("refuses input over MAX_NITRO_DOCUMENT_BYTES before decoding, even with a valid document in front", () => {
    const big = new Uint8Array(MAX_NITRO_DOCUMENT_BYTES + 1);
    big.set(samples[0]!.bytes);
    expect(() => parseNitroDocument(big)).toThrow(expect.objectContaining({ code: "INPUT_TOO_LARGE" }));
    expect(() => parseNitroDocument(new Uint8Array(0))).toThrow(expect.objectContaining({ code: "INPUT_EMPTY" }));
  });

  it("refuses deeply nested CBOR without exhausting the stack", () => {
    const nested = new Uint8Array(MAX_NITRO_DOCUMENT_BYTES).fill(0x81);
    expect(() => parseNitroDocument(nested)).toThrow(TeezkError);
    const inPayload = encodeCbor([samples[0]!.cose[0], new Map(), new Uint8Array(20_000).fill(0x81), samples[0]!.cose[3]]);
    expect(() => parseNitroDocument(inPayload)).toThrow(expect.objectContaining({ code: "NITRO_DOCUMENT_INVALID" }));
  });

  it("refuses a huge declared length in a tiny input as truncated, without allocating it", () => {
    const hugeBstr = new Uint8Array([0x84, 0x5a, 0xff, 0xff, 0xff, 0xff, 0x00]);
    expect(() => parseNitroDocument(hugeBstr)).toThrow(expect.objectContaining({ code: "TRUNCATED" }));
    // A 64-bit length trips a BigInt TypeError inside cbor2; it must still surface as a TeezkError.
    const hugerBstr = new Uint8Array([0x84, 0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    expect(() => parseNitroDocument(hugerBstr)).toThrow(TeezkError);
    const hugeArray = new Uint8Array([0x9b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00]);
    expect(() => parseNitroDocument(hugeArray)).toThrow(TeezkError);
  });
});

describe("parseNitroDocument fuzzing (fast-check)", () => {
  it("random bytes: 4,000 inputs, only TeezkErrors", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 2048 }), (bytes) => {
        onlyTeezkErrors(() => parseNitroDocument(bytes));
      }),
      { numRuns: 4000 },
    );
  });

  // Byte edits, truncation and splices of a real sample: most inputs get deep into the CBOR before failing.
  const mutatedSample = fc
    .record({
      sample: fc.integer({ min: 0, max: samples.length - 1 }),
      edits: fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 8 }),
      cut: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
      splice: fc.option(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), bytes: fc.uint8Array({ maxLength: 16 }) }), { nil: undefined }),
    })
    .map(({ sample, edits, cut, splice }) => {
      const original = samples[sample]!.bytes;
      let out: Uint8Array = new Uint8Array(original);
      for (const { at, value } of edits) out[Math.floor(at * out.length)] = value;
      if (splice) {
        const at = Math.floor(splice.at * out.length);
        out = new Uint8Array([...out.subarray(0, at), ...splice.bytes, ...out.subarray(at)]);
      }
      if (cut !== undefined) out = out.subarray(0, Math.floor(cut * out.length));
      return { sample, bytes: out };
    });

  it("mutations of real samples: 4,000 inputs, only TeezkErrors", () => {
    fc.assert(
      fc.property(mutatedSample, ({ bytes }) => {
        onlyTeezkErrors(() => parseNitroDocument(bytes));
      }),
      { numRuns: 4000 },
    );
  });

  // Well-formed CBOR envelopes around random documents: exercises the CDDL checks rather than the decoder.
  const leafValue = fc.oneof(
    fc.uint8Array({ maxLength: 80 }),
    fc.string({ maxLength: 12 }),
    fc.integer(),
    fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }),
    fc.constantFrom(null, true, false, "SHA384", 1.5),
  );
  const value = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: "small", withCrossShrink: true }, leafValue, fc.array(tie("value"), { maxLength: 4 }), tie("map")),
    map: fc.array(fc.tuple(fc.oneof(fc.integer({ min: -2, max: 40 }), fc.string({ maxLength: 6 })), tie("value")), { maxLength: 5 }).map((entries) => new Map(entries)),
  })).value;
  const fieldNames = ["module_id", "digest", "timestamp", "pcrs", "certificate", "cabundle", "public_key", "user_data", "nonce"];
  const randomDocument = fc
    .tuple(
      fc.subarray(fieldNames),
      fc.array(value, { minLength: 9, maxLength: 9 }),
      fc.dictionary(fc.string({ maxLength: 6 }), value, { maxKeys: 2 }),
    )
    .map(([keys, values, extra]) => {
      const doc = new Map<string, unknown>(keys.map((key, i) => [key, values[i]]));
      for (const [key, v] of Object.entries(extra)) doc.set(key, v);
      return doc;
    });
  const header = encode(new Map([[1, -35]]));

  it("random documents in a valid envelope: 2,500 inputs, only TeezkErrors", () => {
    fc.assert(
      fc.property(randomDocument, (doc) => {
        const bytes = encodeCbor([header, new Map(), encodeCbor(doc), new Uint8Array(96)]);
        onlyTeezkErrors(() => parseNitroDocument(bytes));
      }),
      { numRuns: 2500 },
    );
  });

  it("verifyNitroDocument on 400 mutated samples: only TeezkErrors, and only an unchanged input passes", () => {
    fc.assert(
      fc.property(mutatedSample, ({ sample, bytes }) => {
        const original = samples[sample]!;
        const threw = onlyTeezkErrors(() => verifyNitroDocument({ evidence: bytes, now: new Date(original.timestampMs) }));
        if (!threw) expect(Buffer.compare(bytes, original.bytes)).toBe(0);
      }),
      { numRuns: 400 },
    );
  });
});
