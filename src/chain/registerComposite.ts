import { parseEventLogs, type Address, type Hex } from "viem";
import type { Claims } from "../claims/types.js";
import { TeezkError } from "../errors/index.js";
import { enclaveRegistryAbi } from "./contractAbis.js";
import { routeAndProof, type RouteProof } from "./encodeCommitteeProof.js";
import { sendContractTransaction } from "./sendContractTransaction.js";
import type { TeezkClients, TransactionResult } from "./types.js";

export type RegisterCompositeParameters = TeezkClients & {
  enclaveRegistry: Address;
  programId: Hex;
  /** The CPU claims: their reportData must be the enclave's DESIGN §3 binding. */
  claims: Claims;
  /** Each GPU's claims (1 to MAX_GPUS): their reportData (the GPU's nonce) must equal `claims.reportData`. */
  gpuClaims: readonly Claims[];
  enclave: Address;
  hpkeKeyHash: Hex;
  /** The challenge (issueChallenge) or recent block hash the binding commits to. */
  nonce: Hex;
} & RouteProof;
export type RegisterCompositeReturnType = TransactionResult & { expiresAt: bigint; gpuMeasurements: readonly Hex[] };
export type RegisterCompositeErrorType = TeezkError;

/**
 * Registers (or re-attests) an enclave with the GPUs attached to it (EnclaveRegistry.registerComposite): the only
 * way to register for a program that requires a GPU. The route's proof is over abi.encode(claims, gpuClaims)
 * (encodeCompositeClaims): with `verdicts`, committee verdicts a verifier node signed over composite evidence;
 * a verdict over the CPU claims alone does not verify here. The SP1 route commits no composite journal and
 * reverts CompositeNotSupported.
 */
export async function registerComposite(parameters: RegisterCompositeParameters): Promise<RegisterCompositeReturnType> {
  const { publicClient, walletClient, enclaveRegistry, programId, claims, gpuClaims, enclave, hpkeKeyHash, nonce } = parameters;
  if (gpuClaims.length === 0) {
    throw new TeezkError("GPU_EVIDENCE_REQUIRED", "A composite registration needs the claims of at least one GPU", {
      metaMessages: ["Register a CPU-only enclave with registerEnclave."],
    });
  }
  const [path, proof] = routeAndProof(parameters);
  const tx = await sendContractTransaction(
    { publicClient, walletClient },
    {
      address: enclaveRegistry,
      abi: enclaveRegistryAbi,
      functionName: "registerComposite",
      args: [programId, claims, [...gpuClaims], enclave, hpkeKeyHash, nonce, path, proof],
    },
  );
  const [registered] = parseEventLogs({ abi: enclaveRegistryAbi, eventName: "EnclaveRegistered", logs: tx.receipt.logs });
  const [gpus] = parseEventLogs({ abi: enclaveRegistryAbi, eventName: "GpuClaimsRegistered", logs: tx.receipt.logs });
  if (!registered || !gpus) {
    throw new TeezkError("CHAIN_CALL_FAILED", "registerComposite emitted no EnclaveRegistered and GpuClaimsRegistered events", { details: tx.hash });
  }
  return { hash: tx.hash, gasUsed: tx.gasUsed, receipt: tx.receipt, expiresAt: registered.args.expiresAt, gpuMeasurements: gpus.args.gpuMeasurements };
}
