import type { X509Certificate } from "node:crypto";
import { TeezkError } from "../../../errors/index.js";
import { parsePemBundle } from "../../../util/x509.js";
import { parseCertificateCached } from "./parseCertificateCached.js";

// Field decoders shared by both collateral layouts; every failure is COLLATERAL_INVALID naming the source.

export function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TeezkError("COLLATERAL_INVALID", `${source}: not valid JSON`, { details: String(error), cause: error });
  }
}

/** Intel's signature is hex r‖s; dcap-qvl's Rust serialisation may give a byte array instead. */
export function signatureBytes(value: unknown, source: string): Uint8Array {
  const bytes = binaryField(value, source, 64);
  if (bytes.length !== 64) throw new TeezkError("COLLATERAL_INVALID", `${source}: expected a 64-byte r‖s signature, got ${bytes.length} bytes`);
  return bytes;
}

export function binaryField(value: unknown, source: string, maxBytes: number): Uint8Array {
  if (typeof value === "string") {
    const clean = value.startsWith("0x") ? value.slice(2) : value;
    // Node's hex decoder stops at the first pair that is not hex, so a full-length result means every pair was
    // (the same test as /^[0-9a-fA-F]*$/, without a second pass over a CRL's kilobytes of text).
    const bytes = clean.length > maxBytes * 2 || clean.length % 2 !== 0 ? undefined : Buffer.from(clean, "hex");
    if (!bytes || bytes.length * 2 !== clean.length) {
      throw new TeezkError("COLLATERAL_INVALID", `${source}: expected hex of at most ${maxBytes} bytes`);
    }
    return new Uint8Array(bytes);
  }
  if (Array.isArray(value) && value.length <= maxBytes && value.every((byte) => Number.isInteger(byte) && byte >= 0 && byte <= 255)) {
    return Uint8Array.from(value as number[]);
  }
  throw new TeezkError("COLLATERAL_INVALID", `${source}: expected hex or a byte array`);
}

export function stringField(value: unknown, source: string): string {
  if (typeof value !== "string") throw new TeezkError("COLLATERAL_INVALID", `${source}: expected a string`);
  return value;
}

export function pemChain(text: string, source: string): X509Certificate[] {
  try {
    return parsePemBundle(text, source, parseCertificateCached);
  } catch (error) {
    throw new TeezkError("COLLATERAL_INVALID", `${source}: not a PEM certificate chain`, { cause: error, details: String(error) });
  }
}

export function certificate(bytes: Uint8Array, source: string): X509Certificate {
  try {
    return parseCertificateCached(bytes, source);
  } catch (error) {
    throw new TeezkError("COLLATERAL_INVALID", `${source}: not a DER certificate`, { cause: error, details: String(error) });
  }
}

