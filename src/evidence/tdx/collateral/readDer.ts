import { TeezkError, type ErrorCode } from "../../../errors/index.js";

/** One DER element: its tag, the exact bytes of its value, and the exact bytes of the whole element. */
export type DerElement = { tag: number; value: Uint8Array; element: Uint8Array };

/** Where one DER element lies: its tag, and its value at bytes[start..end) (`end` is where the next element begins). */
export type DerHeader = { tag: number; start: number; end: number };

/**
 * Reads the DER elements laid end to end in `bytes`. Only what Intel's PCK extension and CRLs use is
 * supported (single-byte tags, definite lengths up to 4 bytes); anything else is refused with `code`, so a
 * crafted certificate cannot make us loop or allocate.
 */
export function readDerSequence(bytes: Uint8Array, what: string, code: ErrorCode): DerElement[] {
  const out: DerElement[] = [];
  const header: DerHeader = { tag: 0, start: 0, end: 0 };
  for (let offset = 0; offset < bytes.length; offset = header.end) {
    readDerHeader(bytes, offset, bytes.length, header, what, code);
    out.push({ tag: header.tag, value: bytes.subarray(header.start, header.end), element: bytes.subarray(offset, header.end) });
  }
  return out;
}

/**
 * The elements laid end to end in bytes[start..end), as flat offsets: for element i, `out[4i]` is its tag,
 * `out[4i+1]` where it starts, `out[4i+2]` where its value starts and `out[4i+3]` where it ends. The same walk and
 * refusals as readDerSequence without an object and two views per element (the garbage of a cold verification).
 */
export function readDerOffsets(bytes: Uint8Array, start: number, end: number, what: string, code: ErrorCode): number[] {
  const out: number[] = [];
  const header: DerHeader = { tag: 0, start: 0, end: 0 };
  for (let offset = start; offset < end; offset = header.end) {
    readDerHeader(bytes, offset, end, header, what, code);
    out.push(header.tag, offset, header.start, header.end);
  }
  return out;
}

/**
 * Reads the tag and length of the element at `offset` into `out` (reused by callers that walk many elements
 * without allocating), refusing what readDerSequence refuses; the element must end by `limit`.
 */
export function readDerHeader(bytes: Uint8Array, offset: number, limit: number, out: DerHeader, what: string, code: ErrorCode): DerHeader {
  const start = offset;
  const tag = bytes[offset++]!;
  if ((tag & 0x1f) === 0x1f) throw new TeezkError(code, `${what}: multi-byte DER tags are not supported`);
  if (offset >= limit) throw new TeezkError(code, `${what}: DER element truncated at its length`);
  let length = bytes[offset++]!;
  if (length & 0x80) {
    const count = length & 0x7f;
    // Indefinite lengths (count 0) are BER, not DER; more than 4 length bytes cannot fit any real input.
    if (count === 0 || count > 4 || offset + count > limit) {
      throw new TeezkError(code, `${what}: invalid DER length`, { details: `at offset ${start}` });
    }
    length = 0;
    for (let index = 0; index < count; index++) length = length * 256 + bytes[offset++]!;
  }
  if (offset + length > limit) {
    throw new TeezkError(code, `${what}: DER element overruns its container`, {
      details: `at offset ${start}: needs ${length} bytes, ${limit - offset} left`,
    });
  }
  out.tag = tag;
  out.start = offset;
  out.end = offset + length;
  return out;
}

/** The value of the single element `bytes` must hold, checked against the expected tag. */
export function readDerSingle(bytes: Uint8Array, tag: number, what: string, code: ErrorCode): DerElement {
  const elements = readDerSequence(bytes, what, code);
  const first = elements[0];
  if (elements.length !== 1 || !first || first.tag !== tag) {
    throw new TeezkError(code, `${what}: expected one DER element with tag 0x${tag.toString(16)}`, {
      details: `found ${elements.length} element(s), first tag 0x${(first?.tag ?? 0).toString(16)}`,
    });
  }
  return first;
}

/** Dotted-decimal text of a DER OBJECT IDENTIFIER value. */
export function decodeOid(value: Uint8Array): string {
  if (value.length === 0) return "";
  const first = value[0]!;
  // The first byte packs the first two arcs; Intel's OIDs all start 1.2 so the short form suffices.
  const top = Math.min(2, Math.floor(first / 40));
  let text = `${top}.${first - top * 40}`;
  let arc = 0;
  for (let index = 1; index < value.length; index++) {
    const byte = value[index]!;
    arc = arc * 128 + (byte & 0x7f);
    if (arc > Number.MAX_SAFE_INTEGER / 256) return "invalid";
    if ((byte & 0x80) === 0) {
      text += `.${arc}`;
      arc = 0;
    }
  }
  return text;
}

/** A non-negative DER INTEGER or ENUMERATED value that fits in a JS number (SVNs, SGX type). */
export function decodeSmallUnsigned(value: Uint8Array, what: string, code: ErrorCode): number {
  if (value.length === 0 || value.length > 4 || (value[0]! & 0x80) !== 0) {
    throw new TeezkError(code, `${what}: expected a small non-negative integer`, { details: `${value.length} bytes` });
  }
  let out = 0;
  for (const byte of value) out = out * 256 + byte;
  return out;
}

export const DerTag = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  OID: 0x06,
  ENUMERATED: 0x0a,
  SEQUENCE: 0x30,
} as const;
