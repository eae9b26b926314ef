import type { PinnedRoot } from "../../util/x509.js";

/**
 * Roots of NVIDIA GPU device-identity chains, pinned by the SHA-256 of their DER. The value was computed from
 * nvtrust's `verifier_device_root.pem` (fixtures roots/nvidia, see its PROVENANCE.md, which states the same
 * fingerprint). The CoRIM signing root is deliberately absent: it signs RIMs, never device certificates.
 */
export const NVIDIA_PINNED_ROOTS: readonly PinnedRoot[] = [
  {
    name: "NVIDIA Device Identity CA",
    sha256: "102bf659d5419614c9d8e6aecebc80454eb26b1df6a769ac720b9a690b167b48",
  },
];
