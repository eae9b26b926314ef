import type { Address, Hex } from "viem";
import type { TeezkError } from "../errors/index.js";
import { parseReceipt } from "../receipts/parseReceipt.js";
import type { Receipt } from "../receipts/types.js";
import { receiptVerifierAbi } from "./contractAbis.js";
import { sendContractTransaction } from "./sendContractTransaction.js";
import type { TeezkClients, TransactionResult } from "./types.js";

export type ConsumeReceiptParameters = TeezkClients & { receiptVerifier: Address; receipt: Receipt; signature: Hex };
export type ConsumeReceiptReturnType = TransactionResult & { enclave: Address };
export type ConsumeReceiptErrorType = TeezkError;

/**
 * Submits a signed receipt for one-time use: ReceiptVerifier.consumeReceipt verifies it as verifyReceipt does and
 * records it as consumed by the sender, so the same sender submitting it again reverts (ReceiptAlreadyConsumed).
 */
export async function consumeReceipt({ receiptVerifier, receipt, signature, ...clients }: ConsumeReceiptParameters): Promise<ConsumeReceiptReturnType> {
  const tx = await sendContractTransaction(clients, {
    address: receiptVerifier,
    abi: receiptVerifierAbi,
    functionName: "consumeReceipt",
    args: [parseReceipt(receipt), signature],
  });
  return { hash: tx.hash, gasUsed: tx.gasUsed, receipt: tx.receipt, enclave: tx.result as Address };
}
