import type { Address, Hex } from "viem";
import type { TeezkError } from "../errors/index.js";
import { parseReceipt } from "../receipts/parseReceipt.js";
import type { Receipt } from "../receipts/types.js";
import { batchReceiptsAbi } from "./contractAbis.js";
import { chainCallError } from "./chainCallError.js";
import type { TeezkClients } from "./types.js";

export type VerifyInclusionParameters = Pick<TeezkClients, "publicClient"> & {
  batchReceipts: Address;
  receipt: Receipt;
  root: Hex;
  /**
   * The enclave whose batch this is (submitBatch's `enclave`, or the BatchSubmitted event). Batches are keyed by
   * (root, signer), so the check relies on this signer's submission and liveness and on nobody else's.
   */
  signer: Address;
  /** From getInclusionProof. */
  proof: readonly Hex[];
};
export type VerifyInclusionErrorType = TeezkError;

/**
 * BatchReceipts.verifyIncluded (a view): resolves when `signer` submitted `root`, the receipt is under it and the
 * signer is live for the receipt's program now; otherwise CHAIN_CALL_FAILED with the contract's error
 * (BatchNotFound, ReceiptNotInBatch, EnclaveNotLive).
 */
export async function verifyInclusion({ publicClient, batchReceipts, receipt, root, signer, proof }: VerifyInclusionParameters): Promise<void> {
  const parsed = parseReceipt(receipt);
  try {
    await publicClient.readContract({ address: batchReceipts, abi: batchReceiptsAbi, functionName: "verifyIncluded", args: [parsed, root, signer, proof] });
  } catch (error) {
    throw chainCallError("verifyIncluded", error);
  }
}
