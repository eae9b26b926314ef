import { createHash } from "node:crypto";
import { toHex, type Hex } from "../util/bytes.js";

/**
 * DESIGN §2: the measurement is sha256 over raw register bytes concatenated in the vendor's stated order.
 * The vendor folder chooses the registers; this is the one place that hashes them.
 */
export function measurementDigest(registers: readonly Uint8Array[]): Hex {
  const hash = createHash("sha256");
  for (const register of registers) hash.update(register);
  return toHex(hash.digest());
}

export function sha256Hex(bytes: Uint8Array): Hex {
  return toHex(createHash("sha256").update(bytes).digest());
}
