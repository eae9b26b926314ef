import type { Address, Hex } from "viem";
import type { TeezkError } from "../errors/index.js";
import type { Groth16Calldata } from "../prover/formatGroth16Calldata.js";
import { parseReceipt } from "../receipts/parseReceipt.js";
import type { Receipt } from "../receipts/types.js";
import { privateProofVerifierAbi } from "./contractAbis.js";
import { sendContractTransaction } from "./sendContractTransaction.js";
import type { TeezkClients, TransactionResult } from "./types.js";
import { privateProofArgument } from "./verifyPrivateProof.js";

export type ConsumePrivateProofParameters = TeezkClients & {
  privateProofVerifier: Address;
  calldata: Groth16Calldata;
  receipt: Receipt;
  signature: Hex;
};
export type ConsumePrivateProofReturnType = TransactionResult & { enclave: Address };
export type ConsumePrivateProofErrorType = TeezkError;

/**
 * Submits a privately proved statement for one-time use: PrivateProofVerifier.consumePrivateProof checks it as
 * verifyPrivateProof does and records the receipt as consumed by the sender (PrivateProofAlreadyConsumed on a
 * second submission by the same sender).
 */
export async function consumePrivateProof({ privateProofVerifier, calldata, receipt, signature, ...clients }: ConsumePrivateProofParameters): Promise<ConsumePrivateProofReturnType> {
  const tx = await sendContractTransaction(clients, {
    address: privateProofVerifier,
    abi: privateProofVerifierAbi,
    functionName: "consumePrivateProof",
    args: [privateProofArgument(calldata), [...calldata.pubSignals], parseReceipt(receipt), signature],
  });
  return { hash: tx.hash, gasUsed: tx.gasUsed, receipt: tx.receipt, enclave: tx.result as Address };
}
