import { describe, expect, it } from "vitest";
import { hashReceipt } from "../../src/receipts/index.js";
import { domain, receiptOf, eip712Digest } from "./receiptSamples.js";

describe("hashReceipt", () => {
  it("hashReceipt is the EIP-712 digest of the Receipt struct under the ReceiptVerifier domain", () => {
    const r = receiptOf(1);
    const expected = eip712Digest(
      "teezk ReceiptVerifier",
      "Receipt(bytes32 programId,bytes32 inputDigest,bytes32 outputDigest,bytes32 proofDigest,uint64 issuedAt,bytes32 nonce)",
      [
        { type: "bytes32", value: r.programId },
        { type: "bytes32", value: r.inputDigest },
        { type: "bytes32", value: r.outputDigest },
        { type: "bytes32", value: r.proofDigest },
        { type: "uint64", value: r.issuedAt },
        { type: "bytes32", value: r.nonce },
      ],
    );
    expect(hashReceipt({ receipt: r, domain })).toBe(expected);
    expect(hashReceipt({ receipt: { ...r, issuedAt: r.issuedAt + 1n }, domain })).not.toBe(expected);
    expect(hashReceipt({ receipt: r, domain: { ...domain, chainId: 1 } })).not.toBe(expected);
  });
});
