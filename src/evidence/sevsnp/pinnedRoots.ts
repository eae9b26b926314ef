import type { PinnedRoot } from "../../util/x509.js";

/**
 * AMD Root Keys (RSA-4096, RSASSA-PSS, self-signed), one per product, pinned by the SHA-256 of their DER.
 * Computed from the ARKs AMD publishes at https://kdsintf.amd.com/vcek/v1/<product>/cert_chain (copies in
 * fixtures/roots/amd-sev-snp; the prefixes match PROVENANCE.md there). The name is the ARK's subject CN,
 * which verification also checks against the report's product.
 */
export const SNP_PINNED_ROOTS: readonly PinnedRoot[] = [
  { name: "ARK-Milan", sha256: "69d063b45344d26a2e94e1f4210de49ef555308287d4c174445c95639a540bcd" },
  { name: "ARK-Genoa", sha256: "4c6598d19c18719c5dfd4a7d335f674e5bfe1d8f800cea2cf270c10d103db2f1" },
  { name: "ARK-Turin", sha256: "1f084161a44bb6d93778a904877d4819cafa5d05ef4193b2ded9dd9c73dd3f6a" },
];
