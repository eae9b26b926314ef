import type { Address, Hex } from "viem";
import { batchReceiptsAbi, receiptVerifierAbi } from "../../chain/contractAbis.js";
import type { ConsoleReadParameters } from "./types.js";

export type ConsumedReceipt = { programId: Hex; enclave?: Address; consumer: Address; replayKey: Hex; via: "receipt" | "batch"; root?: Hex; blockNumber: bigint; transactionHash: Hex };
export type SubmittedBatch = { root: Hex; enclave: Address; count: number; issuedAt: bigint; blockNumber: bigint; transactionHash: Hex };

export type ReceiptsOverview = {
  consumedTotal: number;
  batchesTotal: number;
  /** Newest first, at most `limit`. */
  consumed: ConsumedReceipt[];
  batches: SubmittedBatch[];
};

/** Rows the page renders; the totals are exact whatever the chain holds. */
export const RECEIPT_LIST_LIMIT = 200;

/**
 * Consumed receipts (ReceiptVerifier and BatchReceipts) and submitted batches: one log query per contract, newest
 * first; only the newest RECEIPT_LIST_LIMIT rows are kept for the page, so 10,000 consumptions cost one query, not
 * a page of 10,000 rows.
 */
export async function loadReceipts({ client, config, limit = RECEIPT_LIST_LIMIT }: ConsoleReadParameters & { limit?: number }): Promise<ReceiptsOverview> {
  const fromBlock = BigInt(config.fromBlock);
  const [single, batch] = await Promise.all([
    client.getContractEvents({ address: config.deployment.receiptVerifier, abi: receiptVerifierAbi, eventName: "ReceiptConsumed", fromBlock }),
    client.getContractEvents({ address: config.deployment.batchReceipts, abi: batchReceiptsAbi, fromBlock }),
  ]);
  const consumed: ConsumedReceipt[] = [];
  const batches: SubmittedBatch[] = [];
  for (const log of single) {
    consumed.push({ programId: log.args.programId as Hex, enclave: log.args.enclave as Address, consumer: log.args.consumer as Address, replayKey: log.args.digest as Hex, via: "receipt", blockNumber: log.blockNumber ?? 0n, transactionHash: log.transactionHash ?? "0x" });
  }
  for (const log of batch) {
    const args = log.args as Record<string, unknown>;
    if (log.eventName === "BatchReceiptConsumed") {
      consumed.push({ programId: args.programId as Hex, consumer: args.consumer as Address, replayKey: args.leaf as Hex, via: "batch", root: args.root as Hex, blockNumber: log.blockNumber ?? 0n, transactionHash: log.transactionHash ?? "0x" });
    } else if (log.eventName === "BatchSubmitted") {
      batches.push({ root: args.root as Hex, enclave: args.enclave as Address, count: Number(args.count), issuedAt: args.issuedAt as bigint, blockNumber: log.blockNumber ?? 0n, transactionHash: log.transactionHash ?? "0x" });
    }
  }
  const newestFirst = (a: { blockNumber: bigint }, b: { blockNumber: bigint }) => (a.blockNumber === b.blockNumber ? 0 : a.blockNumber > b.blockNumber ? -1 : 1);
  consumed.sort(newestFirst);
  batches.sort(newestFirst);
  return { consumedTotal: consumed.length, batchesTotal: batches.length, consumed: consumed.slice(0, limit), batches: batches.slice(0, limit) };
}
