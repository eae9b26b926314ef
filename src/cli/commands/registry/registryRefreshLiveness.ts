import type { Address, Hex } from "viem";
import { refreshLiveness, type TeezkClients } from "../../../chain/index.js";
import type { TeezkError } from "../../../errors/index.js";
import { isoTime, transactionOutput, type ChainCommandOutput } from "../../support/chainCommandOutput.js";
import { explainChainError } from "../../support/explainChainError.js";
import { requireAddress, type ChainDeployment } from "../../support/resolveDeployment.js";

export type RegistryRefreshLivenessParameters = TeezkClients & { deployment: ChainDeployment; enclave: Address; programId: Hex };
export type RegistryRefreshLivenessErrorType = TeezkError;

/**
 * `teezk registry refresh-liveness`: EnclaveRegistry.refreshLiveness for one (enclave, program). After any
 * revocation, rotation or removal, every key's receipts, inclusions and roots take the full liveness check (more
 * gas) until the key re-attests; this brings a still-live key back to the cached path without new evidence.
 * Anyone may send it, and a key that is not live is refused (EnclaveNotLive), so it can never make one live.
 */
export async function registryRefreshLiveness({ deployment, enclave, programId, ...clients }: RegistryRefreshLivenessParameters): Promise<ChainCommandOutput> {
  const enclaveRegistry = requireAddress(deployment, "enclaveRegistry");
  try {
    const tx = await refreshLiveness({ ...clients, enclaveRegistry, enclave, programId });
    return transactionOutput(
      "registry refresh-liveness",
      `enclave ${enclave} is live for program ${programId}; cached until ${isoTime(tx.liveUntil)} under liveness epoch ${tx.epoch}`,
      tx,
      deployment,
      { enclave, programId, liveUntil: tx.liveUntil, liveUntilIso: isoTime(tx.liveUntil), epoch: tx.epoch },
    );
  } catch (error) {
    throw explainChainError(error, "registry refresh-liveness");
  }
}
