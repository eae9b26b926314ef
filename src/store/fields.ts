import { randomUUID } from "node:crypto";
import { TeezkError } from "../errors/index.js";
import type { Hex } from "../util/bytes.js";

/** Largest evidence the archive keeps (raw bytes); real quotes and Nitro documents are a few KiB. */
export const MAX_ARCHIVED_EVIDENCE_BYTES = 1024 * 1024;
/** Largest JSON value (proof, payload, failures) in one column. */
export const MAX_ARCHIVED_JSON_CHARS = 1024 * 1024;
/** Largest free-text value (source, reason, kind, ids). */
export const MAX_ARCHIVED_TEXT_CHARS = 1024;

const ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

function invalid(field: string, message: string): TeezkError {
  return new TeezkError("ARCHIVE_RECORD_INVALID", `${field}: ${message}`);
}

export function recordId(value: string | undefined): string {
  if (value === undefined) return randomUUID();
  if (typeof value !== "string" || !ID_PATTERN.test(value)) throw invalid("id", "must be 1 to 128 characters of A-Z a-z 0-9 . _ : -");
  return value;
}

export function referenceId(field: string, value: string | undefined): string | null {
  if (value === undefined) return null;
  if (typeof value !== "string" || !ID_PATTERN.test(value)) throw invalid(field, "must be an archive id (1 to 128 characters of A-Z a-z 0-9 . _ : -)");
  return value;
}

export function recordedAtMs(value: Date | undefined): bigint {
  const date = value ?? new Date();
  const ms = date instanceof Date ? date.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw invalid("recordedAt", "must be a valid Date");
  return BigInt(ms);
}

/** A 0x-hex string of exactly `bytes` bytes (any length when undefined), normalised to lowercase. */
export function hexField(field: string, value: unknown, bytes?: number, maxBytes = MAX_ARCHIVED_JSON_CHARS / 2): Hex {
  if (typeof value !== "string" || !value.startsWith("0x")) throw invalid(field, "must be a 0x-hex string");
  if (value.length > 2 + 2 * maxBytes) throw invalid(field, `must be at most ${maxBytes} bytes`);
  if (!/^0x(?:[0-9a-fA-F]{2})*$/.test(value)) throw invalid(field, "must be 0x-hex with an even number of digits");
  if (bytes !== undefined && value.length !== 2 + 2 * bytes) throw invalid(field, `must be ${bytes} bytes`);
  return value.toLowerCase() as Hex;
}

export function optionalHex(field: string, value: unknown, bytes?: number): Hex | null {
  return value === undefined ? null : hexField(field, value, bytes);
}

export function textField(field: string, value: unknown, max = MAX_ARCHIVED_TEXT_CHARS): string {
  if (typeof value !== "string" || value.length === 0 || value.length > max) throw invalid(field, `must be a string of 1 to ${max} characters`);
  return value;
}

export function optionalText(field: string, value: unknown, max = MAX_ARCHIVED_TEXT_CHARS): string | null {
  return value === undefined ? null : textField(field, value, max);
}

export function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) throw invalid(field, `must be one of ${allowed.join(", ")}`);
  return value as T;
}

export function booleanField(field: string, value: unknown): bigint {
  if (typeof value !== "boolean") throw invalid(field, "must be a boolean");
  return value ? 1n : 0n;
}

/** A non-negative integer that fits a signed 64-bit column (BIGINT). */
export function uint63Field(field: string, value: unknown): bigint {
  const asBigInt = typeof value === "bigint" ? value : typeof value === "number" && Number.isSafeInteger(value) ? BigInt(value) : undefined;
  if (asBigInt === undefined || asBigInt < 0n || asBigInt > 0x7fffffffffffffffn) throw invalid(field, "must be a non-negative integer below 2^63");
  return asBigInt;
}

export function optionalUint63(field: string, value: unknown): bigint | null {
  return value === undefined ? null : uint63Field(field, value);
}

/** JSON text of a value; bigints become decimal strings, so proofs and signed structs serialise as they are. */
export function jsonField(field: string, value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, (_key, inner: unknown) => (typeof inner === "bigint" ? inner.toString() : inner));
  } catch (error) {
    throw new TeezkError("ARCHIVE_RECORD_INVALID", `${field}: is not JSON-serialisable`, { cause: error });
  }
  if (text === undefined) throw invalid(field, "is not JSON-serialisable");
  if (text.length > MAX_ARCHIVED_JSON_CHARS) throw invalid(field, `is ${text.length} characters of JSON; the cap is ${MAX_ARCHIVED_JSON_CHARS}`);
  return text;
}
