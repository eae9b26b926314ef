import type { Address, Hex } from "viem";
import type { TeezkError } from "../errors/index.js";
import { multiProverRootsAbi } from "./contractAbis.js";
import { sendContractTransaction } from "./sendContractTransaction.js";
import type { TeezkClients, TransactionResult } from "./types.js";

export type SubmitZkRootParameters = TeezkClients & { roots: Address; epoch: bigint; root: Hex; zkProof: Hex };
export type SubmitZkRootErrorType = TeezkError;

/**
 * The escape hatch: MultiProverRoots.submitZkRoot finalizes from a ZK proof alone, only while the contract is
 * halted or once no TEE quorum has finalized for `escapeDelay` (EscapeHatchClosed otherwise), and settles a
 * disputed epoch at any time.
 */
export async function submitZkRoot({ roots, epoch, root, zkProof, ...clients }: SubmitZkRootParameters): Promise<TransactionResult> {
  const tx = await sendContractTransaction(clients, { address: roots, abi: multiProverRootsAbi, functionName: "submitZkRoot", args: [epoch, root, zkProof] });
  return { hash: tx.hash, gasUsed: tx.gasUsed, receipt: tx.receipt };
}
