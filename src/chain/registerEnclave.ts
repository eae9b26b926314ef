import { parseEventLogs, type Address, type Hex } from "viem";
import type { Claims } from "../claims/types.js";
import { TeezkError } from "../errors/index.js";
import { enclaveRegistryAbi } from "./contractAbis.js";
import { routeAndProof, type RouteProof } from "./encodeCommitteeProof.js";
import { sendContractTransaction } from "./sendContractTransaction.js";
import type { TeezkClients, TransactionResult } from "./types.js";

export type RegisterEnclaveParameters = TeezkClients & {
  enclaveRegistry: Address;
  programId: Hex;
  claims: Claims;
  /** The enclave's signing address; the claims' reportData must be its DESIGN §3 binding. */
  enclave: Address;
  hpkeKeyHash: Hex;
  /** The challenge (issueChallenge) or recent block hash the binding commits to. */
  nonce: Hex;
} & RouteProof;
export type RegisterEnclaveReturnType = TransactionResult & { expiresAt: bigint };
export type RegisterEnclaveErrorType = TeezkError;

/**
 * Registers (or re-attests) an enclave key. With `verdicts` it takes the committee path (route 1) and orders the
 * signatures as the committee verifier demands; with `proof` it passes a route-specific proof through.
 */
export async function registerEnclave(parameters: RegisterEnclaveParameters): Promise<RegisterEnclaveReturnType> {
  const { publicClient, walletClient, enclaveRegistry, programId, claims, enclave, hpkeKeyHash, nonce } = parameters;
  const [path, proof] = routeAndProof(parameters);
  const tx = await sendContractTransaction(
    { publicClient, walletClient },
    { address: enclaveRegistry, abi: enclaveRegistryAbi, functionName: "register", args: [programId, claims, enclave, hpkeKeyHash, nonce, path, proof] },
  );
  const [event] = parseEventLogs({ abi: enclaveRegistryAbi, eventName: "EnclaveRegistered", logs: tx.receipt.logs });
  if (!event) throw new TeezkError("CHAIN_CALL_FAILED", "register emitted no EnclaveRegistered event", { details: tx.hash });
  return { hash: tx.hash, gasUsed: tx.gasUsed, receipt: tx.receipt, expiresAt: event.args.expiresAt };
}
