import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TeezkError } from "../../../../src/errors/index.js";
import { extractJsonMember } from "../../../../src/evidence/tdx/collateral/index.js";

const bytes = (text: string) => new Uint8Array(Buffer.from(text, "utf8"));
const text = (value: Uint8Array) => Buffer.from(value).toString("utf8");

describe("extractJsonMember", () => {
  it("returns the exact bytes of the value, whitespace and key order kept", () => {
    const source = '{ "signature" : "ab",\n  "tcbInfo" :  {"b": [1, {"tcbInfo": "x"}], "a":"}\\"{"}  }';
    expect(text(extractJsonMember(bytes(source), "tcbInfo", "t"))).toBe('{"b": [1, {"tcbInfo": "x"}], "a":"}\\"{"}');
  });

  it("ignores the key inside strings and nested objects", () => {
    const source = '{"note":"\\"tcbInfo\\":{}","nested":{"tcbInfo":1},"tcbInfo":[true]}';
    expect(text(extractJsonMember(bytes(source), "tcbInfo", "t"))).toBe("[true]");
  });

  it.each(['{"tcbInfo":{}, "tcbInfo":{}}', '{"other":1}', "[]", '{"tcbInfo":{"a":1}', '{"tcbInfo" {}}', ""])("refuses %j with COLLATERAL_INVALID", (source) => {
    expect(() => extractJsonMember(bytes(source), "tcbInfo", "t")).toThrow(TeezkError);
  });

  it("on any JSON object with random spacing, the extracted value parses to the member (fuzzed)", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }), fc.jsonValue({ maxDepth: 3 }), fc.integer({ min: 0, max: 4 }), (others, member, indent) => {
        const object = { ...others, tcbInfo: member };
        const source = JSON.stringify(object, null, indent);
        expect(JSON.parse(text(extractJsonMember(bytes(source), "tcbInfo", "t")))).toEqual(JSON.parse(JSON.stringify(member)));
      }),
      { numRuns: 300 },
    );
  });

  it("arbitrary bytes only ever yield a value or a TeezkError (fuzzed)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (input) => {
        try {
          extractJsonMember(input, "tcbInfo", "t");
        } catch (error) {
          expect(error).toBeInstanceOf(TeezkError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
