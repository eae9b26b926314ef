import { BoundedCache } from "./BoundedCache.js";

/**
 * Empties the DCAP verifier's caches (parsed PCK chains and extensions, verified chains and collateral
 * signatures). Never needed for correctness, since every entry is a pure function of immutable bytes; it exists
 * so benchmarks can measure a cold verifier and tests can prove that cold and warm results agree.
 */
export function clearDcapCaches(): void {
  BoundedCache.clearAll();
}
