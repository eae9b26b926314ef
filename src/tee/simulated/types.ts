import type { KeyObject, X509Certificate } from "node:crypto";

/** The evidence formats a simulated TEE produces (the `--type` names of `teezk verify`). */
export type SimulatedVendor = "nitro" | "tdx" | "sgx" | "sevsnp" | "nvidia";
export const simulatedVendors: readonly SimulatedVendor[] = ["nitro", "tdx", "sgx", "sevsnp", "nvidia"];

/** One certificate of a dev PKI and its private key (kept as PKCS#8 PEM on disk). */
export type DevKeyPair = { certificate: X509Certificate; privateKey: KeyObject };

/**
 * The per-vendor dev PKIs: shaped like the vendor's own hierarchy so the real verifiers walk them unchanged.
 * Leaves that depend on the evidence (the Nitro signing certificate, a VCEK for another TCB) are issued per
 * call from these keys.
 */
export type DevRoots = {
  /** Folder the PKIs are kept in. */
  dir: string;
  /** AWS shape: P-384 root → P-384 intermediate → (per document) P-384 signing certificate. */
  nitro: { root: DevKeyPair; intermediate: DevKeyPair };
  /** Intel shape: P-256 root → PCK Platform CA → PCK leaf with the SGX extension (ECDSA with SHA-256). */
  intel: { root: DevKeyPair; pckCa: DevKeyPair; pckLeaf: DevKeyPair };
  /** AMD shape: RSA-4096 ARK-Genoa → SEV-Genoa (ASK), RSA-PSS SHA-384 → (per report) P-384 SEV-VCEK. */
  amd: { ark: DevKeyPair; ask: DevKeyPair; vcek: DevKeyPair };
  /** NVIDIA shape: P-384 root → provisioner ICA → device identity CA → FMC leaf certifying the FWID. */
  nvidia: { root: DevKeyPair; ica: DevKeyPair; deviceCa: DevKeyPair; leaf: DevKeyPair };
};

export type DevRootFamily = "nitro" | "intel" | "amd" | "nvidia";
