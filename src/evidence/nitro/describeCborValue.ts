import { Tag } from "cbor2";

/** A short, bounded description of a decoded CBOR value for error details (never dumps attacker bytes). */
export function describeCborValue(value: unknown): string {
  if (value === null) return "null";
  if (value instanceof Uint8Array) return `byte string of ${value.length}`;
  if (value instanceof Map) return `map of ${value.size}`;
  if (Array.isArray(value)) return `array of ${value.length}`;
  if (value instanceof Tag) return `tag ${String(value.tag)}`;
  if (typeof value === "string") return `text ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") return `${typeof value} ${String(value)}`;
  return typeof value;
}
