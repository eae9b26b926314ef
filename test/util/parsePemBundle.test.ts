import { X509Certificate } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parsePemBundle } from "../../src/util/x509.js";

/** The regular expression parsePemBundle's indexOf scan replaced: the oracle for which blocks a text holds. */
const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;
const FRAGMENTS = ["-----BEGIN CERTIFICATE-----", "-----END CERTIFICATE-----", "-----BEGIN CERTIFICATE", "-----END", "MIIB", "\n", "\r\n", "x", "-", "---", "=="];

function blocksOf(text: string): string[] {
  const blocks: string[] = [];
  try {
    parsePemBundle(text, "bundle", (block) => {
      blocks.push(block);
      return undefined as unknown as X509Certificate;
    });
  } catch {
    // No block at all: CERT_PARSE, the same as the oracle finding none.
  }
  return blocks;
}

describe("parsePemBundle finds the blocks the regular expression found", () => {
  it("on texts made of marker fragments (nested, unterminated, repeated, partial markers)", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 30 }), (pieces) => {
        const text = pieces.join("");
        expect(blocksOf(text)).toEqual(text.match(PEM_BLOCK) ?? []);
      }),
      { numRuns: 5000, seed: 1804 },
    );
  });
});
