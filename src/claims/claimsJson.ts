import type { Claims } from "./types.js";

/** Claims in JSON use the DESIGN §2 names; bytes stay 0x-hex, the uint64 timestamp becomes a number. */
export type ClaimsJson = Omit<Claims, "timestamp"> & { timestamp: number };

export function claimsToJson(claims: Claims): ClaimsJson {
  return { ...claims, timestamp: Number(claims.timestamp) };
}
