import type { Address, Hex } from "viem";
import type { TeezkError } from "../errors/index.js";
import { parseBatch } from "../receipts/parseReceipt.js";
import type { Batch } from "../receipts/types.js";
import { batchReceiptsAbi } from "./contractAbis.js";
import { sendContractTransaction } from "./sendContractTransaction.js";
import type { TeezkClients, TransactionResult } from "./types.js";

export type SubmitBatchParameters = TeezkClients & { batchReceipts: Address; batch: Batch; signature: Hex };
export type SubmitBatchReturnType = TransactionResult & { enclave: Address };
export type SubmitBatchErrorType = TeezkError;

/** Records a signed batch root (buildReceiptBatch + signBatch) in BatchReceipts; returns the signing enclave. */
export async function submitBatch({ batchReceipts, batch, signature, ...clients }: SubmitBatchParameters): Promise<SubmitBatchReturnType> {
  const tx = await sendContractTransaction(clients, {
    address: batchReceipts,
    abi: batchReceiptsAbi,
    functionName: "submitBatch",
    args: [parseBatch(batch), signature],
  });
  return { hash: tx.hash, gasUsed: tx.gasUsed, receipt: tx.receipt, enclave: tx.result as Address };
}
