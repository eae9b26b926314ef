import { parseEventLogs, type Address, type Hex } from "viem";
import { TeezkError } from "../errors/index.js";
import { enclaveRegistryAbi } from "./contractAbis.js";
import { sendContractTransaction } from "./sendContractTransaction.js";
import type { TeezkClients, TransactionResult } from "./types.js";

export type RefreshLivenessParameters = TeezkClients & { enclaveRegistry: Address; enclave: Address; programId: Hex };
export type RefreshLivenessReturnType = TransactionResult & {
  /** Until when the cached answer says "live" (the earlier of the registration's expiry and its window's end). */
  liveUntil: bigint;
  /** The MeasurementRegistry liveness epoch the cache was taken under. */
  epoch: bigint;
};
export type RefreshLivenessErrorType = TeezkError;

/**
 * EnclaveRegistry.refreshLiveness: after a revocation, rotation or removal anywhere advances the liveness epoch,
 * every key's checks take the full (dearer) path until it re-attests; this re-runs the full check for one
 * (enclave, programId) and, when it is still live, caches the answer under the new epoch. Anyone may send it: it
 * can only store what the full check shows now, and a key that is not live reverts (EnclaveNotLive).
 */
export async function refreshLiveness({ enclaveRegistry, enclave, programId, ...clients }: RefreshLivenessParameters): Promise<RefreshLivenessReturnType> {
  const tx = await sendContractTransaction(clients, { address: enclaveRegistry, abi: enclaveRegistryAbi, functionName: "refreshLiveness", args: [enclave, programId] });
  const [event] = parseEventLogs({ abi: enclaveRegistryAbi, eventName: "LivenessRefreshed", logs: tx.receipt.logs });
  if (!event) throw new TeezkError("CHAIN_CALL_FAILED", "refreshLiveness emitted no LivenessRefreshed event", { details: tx.hash });
  return { hash: tx.hash, gasUsed: tx.gasUsed, receipt: tx.receipt, liveUntil: event.args.liveUntil, epoch: event.args.epoch };
}
