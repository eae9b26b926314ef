import { createReadStream, statSync } from "node:fs";
import { createInterface } from "node:readline";
import type { Hex } from "viem";
import { TeezkError } from "../../../errors/index.js";
import { MAX_BATCH_RECEIPTS, type Receipt } from "../../../receipts/index.js";
import { parseSignature, readJsonFile, receiptFromJson } from "../../support/parseCliValues.js";

export type SignedReceipt = { receipt: Receipt; signature: Hex };

/** A receipt line is five 32-byte hex fields and a number: far under this, so a longer line is not a receipt. */
const MAX_LINE_CHARS = 8 * 1024;

/**
 * One signed receipt, as a prover node returns it: `{ "receipt": { programId, inputDigest, outputDigest,
 * proofDigest, issuedAt, nonce }, "signature": "0x…" }`; other members (proof, publicSignals) are ignored.
 */
export function loadSignedReceipt(path: string): SignedReceipt {
  const json = readJsonFile(path, "receipt file", 4 * 1024 * 1024) as { receipt?: unknown; signature?: unknown } | null;
  if (typeof json !== "object" || json === null || json.receipt === undefined) {
    throw new TeezkError("CONFIG_INVALID", `The receipt file ${path} must hold { "receipt": {…}, "signature": "0x…" }`);
  }
  return { receipt: receiptFromJson(json.receipt, `The receipt file ${path}`), signature: parseSignature(json.signature, `The receipt file ${path}`) };
}

/** One receipt without a signature of its own (a batch member): a bare receipt or `{ "receipt": {…} }`. */
export function loadReceipt(path: string): Receipt {
  const json = readJsonFile(path, "receipt file", 4 * 1024 * 1024);
  const value = typeof json === "object" && json !== null && "receipt" in json ? (json as { receipt: unknown }).receipt : json;
  return receiptFromJson(value, `The receipt file ${path}`);
}

/**
 * The receipts of a batch, one JSON object per line (line order gives --index): a bare receipt or `{ "receipt": {…} }`
 * (a per-receipt signature, if present, is not needed: the batch signature covers the tree). Streamed line by
 * line with a per-line and a count cap, so a huge or hostile file is refused without reading it whole.
 */
export async function loadReceiptLines(path: string): Promise<Receipt[]> {
  try {
    statSync(path);
  } catch {
    throw new TeezkError("CONFIG_INVALID", `Cannot read the receipts file ${path}`);
  }
  const receipts: Receipt[] = [];
  const lines = createInterface({ input: createReadStream(path, { encoding: "utf8", highWaterMark: 64 * 1024 }), crlfDelay: Infinity });
  let number = 0;
  try {
    for await (const line of lines) {
      number++;
      if (line.length > MAX_LINE_CHARS) throw new TeezkError("INPUT_TOO_LARGE", `${path}:${number} is over ${MAX_LINE_CHARS} characters; a receipt line is far shorter`);
      if (line.trim() === "") continue;
      if (receipts.length === MAX_BATCH_RECEIPTS) throw new TeezkError("INPUT_TOO_LARGE", `${path} holds more than ${MAX_BATCH_RECEIPTS} receipts, the batch cap`);
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch (cause) {
        throw new TeezkError("CONFIG_INVALID", `${path}:${number} is not JSON`, { cause });
      }
      const value = typeof json === "object" && json !== null && "receipt" in json ? (json as { receipt: unknown }).receipt : json;
      receipts.push(receiptFromJson(value, `${path}:${number}`));
    }
  } finally {
    lines.close();
  }
  if (receipts.length === 0) throw new TeezkError("RECEIPT_INVALID", `${path} holds no receipts`);
  return receipts;
}
