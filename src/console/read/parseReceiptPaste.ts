import { isAddress, isHex, type Address, type Hex } from "viem";
import { TeezkError } from "../../errors/TeezkError.js";
import { parseReceipt } from "../../receipts/parseReceipt.js";
import type { Receipt } from "../../receipts/types.js";

/** A signed receipt (ReceiptVerifier) or a receipt with its batch inclusion proof (BatchReceipts). */
export type ReceiptPaste =
  | { kind: "signed"; receipt: Receipt; signature: Hex }
  | { kind: "inclusion"; receipt: Receipt; root: Hex; signer: Address; proof: Hex[] };

/** Far above a receipt with a 64-deep inclusion proof (~5 KB); a paste beyond it is not one. */
export const MAX_PASTE_CHARS = 64 * 1024;
const MAX_PROOF_NODES = 64;

/**
 * Reads what a person pasted or dropped: `{ "receipt": {…}, "signature": "0x…" }` as a prover node returns it, or
 * `{ "receipt": {…}, "root", "signer", "proof": ["0x…", …] }` for a batch member. Anything else is refused with
 * CONSOLE_PASTE_INVALID (not JSON, unknown shape) or RECEIPT_INVALID (a field), naming what is wrong.
 */
export function parseReceiptPaste(text: string): ReceiptPaste {
  if (text.length > MAX_PASTE_CHARS) throw new TeezkError("CONSOLE_PASTE_INVALID", `The paste is ${text.length} characters; a receipt is under ${MAX_PASTE_CHARS}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new TeezkError("CONSOLE_PASTE_INVALID", "The paste is not JSON", { cause, details: cause instanceof Error ? cause.message : String(cause) });
  }
  if (typeof json !== "object" || json === null || Array.isArray(json) || !("receipt" in json)) {
    throw new TeezkError("CONSOLE_PASTE_INVALID", 'Expected { "receipt": {…}, "signature": "0x…" } or { "receipt": {…}, "root", "signer", "proof": […] }');
  }
  const raw = json as Record<string, unknown>;
  const receipt = receiptOf(raw.receipt);
  if (raw.signature !== undefined) {
    if (typeof raw.signature !== "string" || !isHex(raw.signature, { strict: true }) || (raw.signature.length !== 132 && raw.signature.length !== 130)) {
      throw new TeezkError("RECEIPT_INVALID", "signature must be 0x-prefixed 65-byte (or 64-byte compact) hex");
    }
    return { kind: "signed", receipt, signature: raw.signature as Hex };
  }
  if (raw.root !== undefined || raw.proof !== undefined) {
    if (typeof raw.root !== "string" || !isHex(raw.root, { strict: true }) || raw.root.length !== 66) throw new TeezkError("RECEIPT_INVALID", "root must be 0x-prefixed 32-byte hex");
    if (typeof raw.signer !== "string" || !isAddress(raw.signer, { strict: false })) throw new TeezkError("RECEIPT_INVALID", "signer must be the batch signer's address");
    if (!Array.isArray(raw.proof) || raw.proof.length > MAX_PROOF_NODES || raw.proof.some((node) => typeof node !== "string" || !isHex(node, { strict: true }) || node.length !== 66)) {
      throw new TeezkError("RECEIPT_INVALID", `proof must be a list of at most ${MAX_PROOF_NODES} 32-byte hex nodes`);
    }
    return { kind: "inclusion", receipt, root: raw.root as Hex, signer: raw.signer as Address, proof: raw.proof as Hex[] };
  }
  throw new TeezkError("CONSOLE_PASTE_INVALID", 'A receipt needs its "signature", or "root", "signer" and "proof" for a batch member');
}

function receiptOf(value: unknown): Receipt {
  if (typeof value !== "object" || value === null) throw new TeezkError("RECEIPT_INVALID", "receipt must be a JSON object");
  const raw = value as Record<string, unknown>;
  const issuedAt = raw.issuedAt;
  let seconds: bigint;
  if (typeof issuedAt === "number" && Number.isSafeInteger(issuedAt) && issuedAt >= 0) seconds = BigInt(issuedAt);
  else if (typeof issuedAt === "string" && /^\d{1,20}$/.test(issuedAt)) seconds = BigInt(issuedAt);
  else throw new TeezkError("RECEIPT_INVALID", "receipt.issuedAt must be seconds, as an integer or a decimal string");
  return parseReceipt({ ...(raw as unknown as Receipt), issuedAt: seconds });
}
