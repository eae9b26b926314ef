import fc from "fast-check";
import { toHex, type Hex } from "viem";
import { describe, expect, it } from "vitest";
import { isTeezkError } from "../../src/errors/index.js";
import { buildReceiptBatch, getInclusionProof, verifyInclusionProof, type Receipt } from "../../src/receipts/index.js";
import { receiptOf, word } from "./receiptSamples.js";

describe("verifyInclusionProof", () => {
  it("a proof for one receipt does not include another, a wrong root or a tampered field", () => {
    const built = buildReceiptBatch({ receipts: Array.from({ length: 8 }, (_, i) => receiptOf(i)), issuedAt: 1n });
    const { proof } = getInclusionProof({ batch: built, index: 3 });
    const reject = (receipt: Receipt, root: Hex) => {
      try {
        verifyInclusionProof({ receipt, root, proof });
        return "accepted";
      } catch (error) {
        return isTeezkError(error) ? error.code : "crash";
      }
    };
    expect(reject(receiptOf(4), built.batch.root)).toBe("RECEIPT_NOT_IN_BATCH");
    expect(reject(receiptOf(3), word(1))).toBe("RECEIPT_NOT_IN_BATCH");
    expect(reject({ ...receiptOf(3), issuedAt: 4n }, built.batch.root)).toBe("RECEIPT_NOT_IN_BATCH");
    expect(reject(receiptOf(3), built.batch.root)).toBe("accepted");
    expect(() => getInclusionProof({ batch: built, index: 8 })).toThrow(/RECEIPT_NOT_IN_BATCH/);
  });

  it("hostile inclusion proofs are rejected with a code, never a crash (fuzzed)", () => {
    const built = buildReceiptBatch({ receipts: Array.from({ length: 5 }, (_, i) => receiptOf(i)), issuedAt: 1n });
    const node = fc.oneof(
      fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => toHex(b)),
      fc.string({ maxLength: 70 }) as fc.Arbitrary<Hex>,
    );
    fc.assert(
      fc.property(fc.array(node, { maxLength: 80 }), fc.nat(4), (proof, index) => {
        try {
          verifyInclusionProof({ receipt: receiptOf(index), root: built.batch.root, proof });
          // Only the genuine proof may pass.
          return JSON.stringify(proof) === JSON.stringify(getInclusionProof({ batch: built, index }).proof);
        } catch (error) {
          return isTeezkError(error, "RECEIPT_NOT_IN_BATCH") || isTeezkError(error, "RECEIPT_INVALID");
        }
      }),
      { numRuns: 300 },
    );
  });
});
