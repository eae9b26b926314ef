import type { PinnedRoot } from "../../util/x509.js";

/**
 * Roots of NVIDIA GPU device-identity chains, pinned by the SHA-256 of their DER. The value was computed from
 * nvtrust's `verifier_device_root.pem` (fixtures roots/nvidia, see its PROVENANCE.md, which states the same
 * fingerprint). The CoRIM signing root is deliberately absent: it signs RIMs, never device certificates
 * (NVIDIA_RIM_PINNED_ROOTS), so neither root can stand in for the other.
 */
export const NVIDIA_PINNED_ROOTS: readonly PinnedRoot[] = [
  {
    name: "NVIDIA Device Identity CA",
    sha256: "102bf659d5419614c9d8e6aecebc80454eb26b1df6a769ac720b9a690b167b48",
  },
];

/**
 * The root of NVIDIA RIM signer chains (nvtrust's `verifier_RIM_root.pem`, fixtures roots/nvidia/nvidia_rim_root.pem,
 * "NVIDIA CoRIM signing Root CA"), pinned by the SHA-256 of its DER as PROVENANCE.md states it.
 */
export const NVIDIA_RIM_PINNED_ROOTS: readonly PinnedRoot[] = [
  {
    name: "NVIDIA CoRIM signing Root CA",
    sha256: "12977b5115acb0381179279fffeb5a8c4d264971ebb32298023a465fa41df5d1",
  },
];
