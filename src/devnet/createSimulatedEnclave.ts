import type { Address, Hex, LocalAccount } from "viem";
import { generateHpkeKeyPair, type HpkeKeyPair } from "../channel/index.js";
import type { TeezkError } from "../errors/index.js";
import type { DevRoots, SimulatedVendor } from "../tee/simulated/index.js";
import { devAccount } from "./devAccount.js";
import type { EnclaveAttestation } from "./registerThroughCommittee.js";
import { simulateAttestation } from "./simulateAttestation.js";

export type CreateSimulatedEnclaveParameters = {
  vendor: SimulatedVendor;
  /** Names the enclave's deterministic signing key (devAccount). */
  label: string;
  devRoots?: DevRoots;
  /** Evidence time; default the current time. */
  clock?: () => Date;
  collateralParentDir?: string;
};

/** An enclave simulated in this process: its signing key, its HPKE key, and evidence binding both on request. */
export type SimulatedEnclave = {
  vendor: SimulatedVendor;
  address: Address;
  /** Signs what the enclave vouches for (roots, batches); inside a real TEE this key never leaves it. */
  account: LocalAccount;
  hpkeKeyPair: HpkeKeyPair;
  /** Evidence for `nonce` binding (address, HPKE key, nonce), as a prover node's /v1/attestation would serve. */
  attest: (nonce: Hex) => Promise<EnclaveAttestation>;
};
export type CreateSimulatedEnclaveReturnType = SimulatedEnclave;
export type CreateSimulatedEnclaveErrorType = TeezkError;

/**
 * An enclave without a service around it, for the devnet roles no node serves: a rollup's root signers and a
 * batching enclave. It registers through the same committee path (registerThroughCommittee) as a prover node.
 */
export async function createSimulatedEnclave(parameters: CreateSimulatedEnclaveParameters): Promise<CreateSimulatedEnclaveReturnType> {
  const account = devAccount(parameters.label);
  const hpkeKeyPair = await generateHpkeKeyPair();
  const clock = parameters.clock ?? (() => new Date());
  return {
    vendor: parameters.vendor,
    address: account.address,
    account,
    hpkeKeyPair,
    attest: async (nonce) => {
      const { binding: _binding, trustedRoot: _trustedRoot, ...attestation } = simulateAttestation({
        vendor: parameters.vendor,
        enclaveAddress: account.address,
        hpkePublicKey: hpkeKeyPair.publicKey,
        nonce,
        now: clock(),
        ...(parameters.devRoots ? { devRoots: parameters.devRoots } : {}),
        ...(parameters.collateralParentDir ? { collateralParentDir: parameters.collateralParentDir } : {}),
      });
      return attestation;
    },
  };
}
