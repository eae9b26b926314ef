import { hash } from "node:crypto";
import { toHex, type Hex } from "../util/bytes.js";

/**
 * DESIGN §2: the measurement is sha256 over raw register bytes concatenated in the vendor's stated order.
 * The vendor folder chooses the registers; this is the one place that hashes them.
 */
export function measurementDigest(registers: readonly Uint8Array[]): Hex {
  return toHex(hash("sha256", Buffer.concat(registers), "buffer"));
}

export function sha256Hex(bytes: Uint8Array): Hex {
  return toHex(hash("sha256", bytes, "buffer"));
}
