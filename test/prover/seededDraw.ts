import { createHash } from "node:crypto";

/**
 * Reproducible draws for seeded test inputs: `draw(name)` is SHA-256 of `${namespace}/${name}` as a 256-bit
 * integer, so each named quantity of a seed is fixed whatever else the generator draws or in which order.
 */
export function seededDraw(namespace: string): (name: string) => bigint {
  return (name) => BigInt(`0x${createHash("sha256").update(`${namespace}/${name}`).digest("hex")}`);
}
