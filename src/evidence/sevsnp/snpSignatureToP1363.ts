import { P384_SCALAR_BYTES } from "./constants.js";
import type { SnpReport } from "./types.js";

/**
 * R‖S as 48-byte big-endian scalars (IEEE P1363), what node:crypto verifies with `dsaEncoding: "ieee-p1363"`.
 * Returns undefined when a component uses its zero-extension bytes (not a P-384 scalar).
 */
export function snpSignatureToP1363(report: SnpReport): Uint8Array | undefined {
  const out = new Uint8Array(2 * P384_SCALAR_BYTES);
  const components = [report.signatureR, report.signatureS];
  for (const [index, component] of components.entries()) {
    for (let i = P384_SCALAR_BYTES; i < component.length; i++) if (component[i] !== 0) return undefined;
    const bigEndian = Uint8Array.from(component.subarray(0, P384_SCALAR_BYTES)).reverse();
    out.set(bigEndian, index * P384_SCALAR_BYTES);
  }
  return out;
}
