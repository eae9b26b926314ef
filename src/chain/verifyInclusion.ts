import type { Address, Hex } from "viem";
import type { TeezkError } from "../errors/index.js";
import { parseReceipt } from "../receipts/parseReceipt.js";
import type { Receipt } from "../receipts/types.js";
import { batchReceiptsAbi } from "./contractAbis.js";
import { chainCallError } from "./sendContractTransaction.js";
import type { TeezkClients } from "./types.js";

export type VerifyInclusionParameters = Pick<TeezkClients, "publicClient"> & {
  batchReceipts: Address;
  receipt: Receipt;
  root: Hex;
  /** From getInclusionProof. */
  proof: readonly Hex[];
};
export type VerifyInclusionErrorType = TeezkError;

/**
 * BatchReceipts.verifyIncluded (a view): the batch signer, when the receipt is under the submitted root and the
 * signer is live for the receipt's program now; otherwise CHAIN_CALL_FAILED with the contract's error.
 */
export async function verifyInclusion({ publicClient, batchReceipts, receipt, root, proof }: VerifyInclusionParameters): Promise<Address> {
  const parsed = parseReceipt(receipt);
  try {
    return await publicClient.readContract({ address: batchReceipts, abi: batchReceiptsAbi, functionName: "verifyIncluded", args: [parsed, root, proof] });
  } catch (error) {
    throw chainCallError("verifyIncluded", error);
  }
}
