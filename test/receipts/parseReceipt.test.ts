import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isTeezkError } from "../../src/errors/index.js";
import { buildReceiptBatch, hashBatch, hashReceipt, type Receipt } from "../../src/receipts/index.js";
import { domain, receiptOf, word } from "./receiptSamples.js";

describe("parseReceipt", () => {
  it("malformed fields are RECEIPT_INVALID, never a crash (fuzzed)", () => {
    const badWord = fc.oneof(
      fc.string({ maxLength: 70 }),
      fc.constant("0x" + "0".repeat(63)),
      fc.constant("0x" + "g".repeat(64)),
      fc.integer().map(String),
    );
    const field = fc.constantFrom("programId", "inputDigest", "outputDigest", "proofDigest", "nonce", "issuedAt");
    const badIssuedAt = fc.oneof(fc.constant(-1n), fc.constant(1n << 64n), fc.constant(5 as unknown as bigint), fc.constant(undefined as unknown as bigint));
    fc.assert(
      fc.property(field, badWord, badIssuedAt, (name, w, t) => {
        const receipt = { ...receiptOf(1), [name]: name === "issuedAt" ? t : w } as Receipt;
        for (const run of [() => hashReceipt({ receipt, domain }), () => buildReceiptBatch({ receipts: [receipt], issuedAt: 1n })]) {
          try {
            run();
            return false;
          } catch (error) {
            if (!isTeezkError(error, "RECEIPT_INVALID")) return false;
          }
        }
        return true;
      }),
      { numRuns: 300 },
    );
    expect(() => hashBatch({ batch: { root: word(1), count: 0, issuedAt: 1n }, domain })).toThrow(/RECEIPT_INVALID/);
    expect(() => hashBatch({ batch: { root: word(1), count: 2 ** 32, issuedAt: 1n }, domain })).toThrow(/RECEIPT_INVALID/);
    expect(() => hashReceipt({ receipt: receiptOf(1), domain: { chainId: 0, verifyingContract: domain.verifyingContract } })).toThrow(/RECEIPT_INVALID/);
  });
});
