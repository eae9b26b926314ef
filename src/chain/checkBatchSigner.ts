import { recoverAddress, type Address, type Hex } from "viem";
import { TeezkError } from "../errors/index.js";
import { hashBatch } from "../receipts/hashBatch.js";
import type { Batch } from "../receipts/types.js";
import { batchReceiptsAbi, enclaveRegistryAbi } from "./contractAbis.js";
import { chainCallError } from "./chainCallError.js";
import type { TeezkClients } from "./types.js";

export type CheckBatchSignerParameters = Pick<TeezkClients, "publicClient"> & {
  batchReceipts: Address;
  batch: Batch;
  /** The enclave's EIP-712 signature over Batch(root, count, issuedAt). */
  signature: Hex;
  /** Every program whose receipts the batch holds. */
  programIds: readonly Hex[];
};
export type CheckBatchSignerReturnType = { signer: Address };
export type CheckBatchSignerErrorType = TeezkError;

/**
 * The batch submission's preflight: recovers the signer from the batch digest for this BatchReceipts and chain
 * and requires it to be a live enclave for every program in the batch (EnclaveRegistry.isLive), else
 * SIGNATURE_INVALID before anything is sent. A wrong issuedAt or receipts list recovers some other address, and
 * BatchReceipts would record a root whose receipts never verify under any live signer.
 */
export async function checkBatchSigner({ publicClient, batchReceipts, batch, signature, programIds }: CheckBatchSignerParameters): Promise<CheckBatchSignerReturnType> {
  const read = async <T>(what: string, call: () => Promise<T>): Promise<T> =>
    call().catch((error: unknown) => {
      throw chainCallError(what, error);
    });
  const chainId = await read("getChainId", () => publicClient.getChainId());
  let signer: Address;
  try {
    signer = await recoverAddress({ hash: hashBatch({ batch, domain: { chainId, verifyingContract: batchReceipts } }), signature });
  } catch (cause) {
    throw new TeezkError("SIGNATURE_INVALID", "The batch signature is not a valid secp256k1 signature", { cause });
  }
  const registry = await read(`enclaveRegistry on ${batchReceipts}`, () => publicClient.readContract({ address: batchReceipts, abi: batchReceiptsAbi, functionName: "enclaveRegistry" }));
  const dead: Hex[] = [];
  for (const programId of new Set(programIds)) {
    const live = await read(`isLive on ${registry}`, () => publicClient.readContract({ address: registry, abi: enclaveRegistryAbi, functionName: "isLive", args: [signer, programId] }));
    if (!live) dead.push(programId);
  }
  if (dead.length > 0) {
    throw new TeezkError("SIGNATURE_INVALID", `The batch signature recovers to ${signer}, which is not a live enclave for program ${dead[0]}${dead.length > 1 ? ` (and ${dead.length - 1} more)` : ""}`, {
      details: `root ${batch.root}, count ${batch.count}, issuedAt ${batch.issuedAt}`,
      metaMessages: [
        "Either --issued-at or the receipts in the file differ from what the enclave signed, the signature is for another BatchReceipts or chain, or the enclave is not registered (registry status --enclave).",
        "Nothing was sent: its receipts could not be verified under this signer.",
      ],
    });
  }
  return { signer };
}
