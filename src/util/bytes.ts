import { TeezkError } from "../errors/index.js";

export type Hex = `0x${string}`;

export function toHex(bytes: Uint8Array): Hex {
  return `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex")}`;
}

export function fromHex(hex: string): Uint8Array {
  const clean = hex.startsWith("0x") || hex.startsWith("0X") ? hex.slice(2) : hex;
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) {
    throw new TeezkError("INPUT_ENCODING", "Not a hex string", { details: `length ${clean.length}` });
  }
  return new Uint8Array(Buffer.from(clean, "hex"));
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

export function isAllZero(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte !== 0) return false;
  return true;
}

/** Right-pads (or cuts) to 32 bytes: how DESIGN §2 turns longer report-data fields into a bytes32. */
export function toBytes32(bytes: Uint8Array): Hex {
  const out = new Uint8Array(32);
  out.set(bytes.subarray(0, 32));
  return toHex(out);
}

export type DecodedInput = { bytes: Uint8Array; encoding: "binary" | "hex" | "base64" };

const TEXT_WHITESPACE = /\s+/g;

/**
 * Evidence files arrive as raw binary, hex text or base64 text (real fixtures use all three). Text is decoded
 * only when every character belongs to the encoding, so binary that happens to be printable stays binary
 * unless it decodes cleanly.
 */
export function decodeEvidenceInput(input: Uint8Array, maxBytes: number): DecodedInput {
  if (input.length === 0) throw new TeezkError("INPUT_EMPTY", "The evidence is empty");
  // Text encodings are at most twice the binary size; refuse before doing any work on oversized input.
  if (input.length > maxBytes * 2 + 1024) {
    throw new TeezkError("INPUT_TOO_LARGE", `Evidence of ${input.length} bytes exceeds the ${maxBytes}-byte cap`);
  }
  const decoded = decodeText(input);
  const result: DecodedInput = decoded ?? { bytes: input, encoding: "binary" };
  if (result.bytes.length > maxBytes) {
    throw new TeezkError("INPUT_TOO_LARGE", `Evidence of ${result.bytes.length} bytes exceeds the ${maxBytes}-byte cap`);
  }
  if (result.bytes.length === 0) throw new TeezkError("INPUT_EMPTY", "The evidence is empty");
  return result;
}

function decodeText(input: Uint8Array): DecodedInput | undefined {
  for (const byte of input) {
    const printable = (byte >= 0x20 && byte < 0x7f) || byte === 0x0a || byte === 0x0d || byte === 0x09;
    if (!printable) return undefined;
  }
  const text = Buffer.from(input).toString("latin1").replace(TEXT_WHITESPACE, "");
  if (text.length === 0) return undefined;
  const hexBody = text.startsWith("0x") ? text.slice(2) : text;
  if (hexBody.length % 2 === 0 && /^[0-9a-fA-F]+$/.test(hexBody)) {
    return { bytes: new Uint8Array(Buffer.from(hexBody, "hex")), encoding: "hex" };
  }
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(text) && text.length % 4 !== 1) {
    const bytes = new Uint8Array(Buffer.from(text, text.includes("-") || text.includes("_") ? "base64url" : "base64"));
    if (bytes.length > 0) return { bytes, encoding: "base64" };
  }
  return undefined;
}

/**
 * Bounds-checked little-endian reader for binary report layouts. Every read names the field, so a truncated
 * input fails with the field and offset instead of a RangeError.
 */
export class ByteReader {
  offset = 0;
  constructor(
    readonly bytes: Uint8Array,
    private readonly context: string,
  ) {}

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  take(length: number, field: string): Uint8Array {
    if (!Number.isInteger(length) || length < 0 || length > this.remaining) {
      throw new TeezkError("TRUNCATED", `${this.context}: truncated at ${field}`, {
        details: `needs ${length} bytes at offset ${this.offset}, ${this.remaining} left`,
      });
    }
    const out = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }

  u8(field: string): number {
    return this.take(1, field)[0]!;
  }

  u16(field: string): number {
    const b = this.take(2, field);
    return b[0]! | (b[1]! << 8);
  }

  u32(field: string): number {
    const b = this.take(4, field);
    return (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
  }

  u64(field: string): bigint {
    const b = this.take(8, field);
    return Buffer.from(b).readBigUInt64LE(0);
  }
}
