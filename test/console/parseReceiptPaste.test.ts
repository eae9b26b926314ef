import { describe, expect, it } from "vitest";
import { parseReceiptPaste } from "../../src/console/read/parseReceiptPaste.js";
import { codeOf } from "../support/rejection.js";

const word = (n: number) => `0x${n.toString(16).padStart(64, "0")}`;
const receipt = { programId: word(1), inputDigest: word(2), outputDigest: word(3), proofDigest: word(4), issuedAt: 1_700_000_000, nonce: word(5) };
const signature = `0x${"11".repeat(65)}`;

describe("parseReceiptPaste: what a person pastes into the Receipts page", () => {
  it("reads a signed receipt (issuedAt as a number or a decimal string) and a batch member with its proof", () => {
    expect(parseReceiptPaste(JSON.stringify({ receipt, signature }))).toMatchObject({ kind: "signed", receipt: { issuedAt: 1_700_000_000n }, signature });
    expect(parseReceiptPaste(JSON.stringify({ receipt: { ...receipt, issuedAt: "1700000000" }, signature })).receipt.issuedAt).toBe(1_700_000_000n);
    const member = parseReceiptPaste(JSON.stringify({ receipt, root: word(9), signer: `0x${"ab".repeat(20)}`, proof: [word(7), word(8)] }));
    expect(member).toMatchObject({ kind: "inclusion", root: word(9), proof: [word(7), word(8)] });
  });

  it.each([
    ["not JSON", "{ receipt:", "CONSOLE_PASTE_INVALID"],
    ["a JSON array", "[]", "CONSOLE_PASTE_INVALID"],
    ["no receipt member", JSON.stringify({ signature }), "CONSOLE_PASTE_INVALID"],
    ["neither a signature nor a proof", JSON.stringify({ receipt }), "CONSOLE_PASTE_INVALID"],
    ["a short field", JSON.stringify({ receipt: { ...receipt, nonce: "0x12" }, signature }), "RECEIPT_INVALID"],
    ["a negative issuedAt", JSON.stringify({ receipt: { ...receipt, issuedAt: -1 }, signature }), "RECEIPT_INVALID"],
    ["a fractional issuedAt", JSON.stringify({ receipt: { ...receipt, issuedAt: 1.5 }, signature }), "RECEIPT_INVALID"],
    ["a signature of the wrong length", JSON.stringify({ receipt, signature: "0x1234" }), "RECEIPT_INVALID"],
    ["a proof node that is not 32 bytes", JSON.stringify({ receipt, root: word(9), signer: `0x${"ab".repeat(20)}`, proof: ["0x12"] }), "RECEIPT_INVALID"],
    ["a proof deeper than any batch", JSON.stringify({ receipt, root: word(9), signer: `0x${"ab".repeat(20)}`, proof: Array(65).fill(word(1)) }), "RECEIPT_INVALID"],
    ["a signer that is not an address", JSON.stringify({ receipt, root: word(9), signer: "alice", proof: [] }), "RECEIPT_INVALID"],
    ["a paste far longer than any receipt", JSON.stringify({ receipt, signature, padding: "x".repeat(70_000) }), "CONSOLE_PASTE_INVALID"],
  ])("refuses %s with a typed code", (_name, text, code) => {
    expect(codeOf(() => parseReceiptPaste(text))).toBe(code);
  });
});
