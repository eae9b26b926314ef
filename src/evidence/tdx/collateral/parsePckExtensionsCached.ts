import type { X509Certificate } from "node:crypto";
import { BoundedCache } from "./BoundedCache.js";
import { parsePckExtensions, type PckExtensions } from "./parsePckExtensions.js";

/** One entry per platform (PCK leaf); a verifier node serving a fleet sees the same leaves for years. */
const PCK_EXTENSION_CACHE_ENTRIES = 1024;
const parsed = new BoundedCache<string, PckExtensions>(PCK_EXTENSION_CACHE_ENTRIES);

/**
 * `parsePckExtensions` remembered by the leaf's SHA-256 fingerprint: the ASN.1 parse of a PCK certificate costs
 * more than all of a quote's signature checks together, and its result depends on the DER alone. Successes only
 * (a malformed leaf is re-parsed and rejected every time). The returned object is shared: treat it as read-only.
 */
export function parsePckExtensionsCached(leaf: X509Certificate): Readonly<PckExtensions> {
  const key = leaf.fingerprint256;
  const cached = parsed.get(key);
  if (cached) return cached;
  const fresh = parsePckExtensions(leaf);
  Object.freeze(fresh.sgxTcbComponents);
  const extensions = Object.freeze(fresh);
  parsed.set(key, extensions);
  return extensions;
}
