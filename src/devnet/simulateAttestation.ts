import type { Address, Hex } from "viem";
import { computeBinding } from "../claims/index.js";
import type { TeezkError } from "../errors/index.js";
import { simulateEvidence, type DevRoots, type SimulatedVendor } from "../tee/simulated/index.js";
import type { PinnedRoot } from "../util/x509.js";
import type { EnclaveAttestation } from "./registerThroughCommittee.js";
import { writeCollateralFolder } from "../tee/simulated/writeCollateralFolder.js";

export type SimulateAttestationParameters = {
  vendor: SimulatedVendor;
  enclaveAddress: Address;
  hpkePublicKey: Hex;
  nonce: Hex;
  now: Date;
  devRoots?: DevRoots;
  collateralParentDir?: string;
};
export type SimulateAttestationReturnType = EnclaveAttestation & { binding: Hex; trustedRoot: PinnedRoot };
export type SimulateAttestationErrorType = TeezkError;

/**
 * What a simulated enclave answers to "attest for this nonce": evidence in the vendor's format whose report data
 * is the DESIGN §3 binding of its address, HPKE key and the nonce, with its collateral as a folder.
 */
export function simulateAttestation(parameters: SimulateAttestationParameters): SimulateAttestationReturnType {
  const binding = computeBinding({ enclaveAddress: parameters.enclaveAddress, hpkePublicKey: parameters.hpkePublicKey, nonce: parameters.nonce });
  const simulated = simulateEvidence({ vendor: parameters.vendor, binding, now: parameters.now, ...(parameters.devRoots ? { devRoots: parameters.devRoots } : {}) });
  const collateralDir = writeCollateralFolder({ simulated, ...(parameters.collateralParentDir ? { parentDir: parameters.collateralParentDir } : {}) });
  return {
    enclaveAddress: parameters.enclaveAddress,
    hpkePublicKey: parameters.hpkePublicKey,
    evidence: simulated.evidence,
    ...(collateralDir ? { collateralDir } : {}),
    binding,
    trustedRoot: simulated.trustedRoot,
  };
}
