import { TeeType } from "./types.js";

/**
 * DESIGN §2 vendors, the roots of trust: what "distinct" counts wherever teezk counts independent provers. TDX and
 * SGX chain to the same Intel root through the same PCK and quoting-enclave machinery, so they are one vendor.
 * The ids equal contracts/multiprover/TeeVendors.sol's (MultiProverRoots.vendorOf; parity test in
 * test/chain/multiProverRoots.test.ts).
 */
export const TeeVendor = {
  INTEL: 1,
  AMD: 2,
  AWS: 3,
  NVIDIA: 4,
} as const;
export type TeeVendor = (typeof TeeVendor)[keyof typeof TeeVendor];
export type TeeVendorName = keyof typeof TeeVendor;

const VENDOR_OF: Record<number, TeeVendor> = {
  [TeeType.TDX]: TeeVendor.INTEL,
  [TeeType.SGX]: TeeVendor.INTEL,
  [TeeType.SEV_SNP]: TeeVendor.AMD,
  [TeeType.NITRO]: TeeVendor.AWS,
  [TeeType.NVIDIA_GPU]: TeeVendor.NVIDIA,
};

/** The vendor behind a TEE type; undefined for an unknown type. */
export function teeVendorOf(teeType: number): TeeVendor | undefined {
  return VENDOR_OF[teeType];
}

/**
 * The distinct vendors of enclaves among `teeTypes`, by name, in vendor order: what a MultiProverRoots quorum
 * counts. NVIDIA is left out (GPU evidence is never an enclave on its own: whoever drives the GPU picks its
 * nonce), and so are unknown types.
 */
export function enclaveVendorsOf(teeTypes: Iterable<number>): TeeVendorName[] {
  const vendors = new Set<TeeVendor>();
  for (const teeType of teeTypes) {
    const vendor = teeVendorOf(teeType);
    if (vendor !== undefined && vendor !== TeeVendor.NVIDIA) vendors.add(vendor);
  }
  return (Object.keys(TeeVendor) as TeeVendorName[]).filter((name) => vendors.has(TeeVendor[name]));
}
