import type { Address, Hex } from "viem";
import { batchReceiptsAbi, receiptVerifierAbi } from "../../chain/contractAbis.js";
import { getRecentLogs } from "./getRecentLogs.js";
import type { ConsoleReadParameters } from "./types.js";

export type ConsumedReceipt = { programId: Hex; enclave?: Address; consumer: Address; replayKey: Hex; via: "receipt" | "batch"; root?: Hex; blockNumber: bigint; transactionHash: Hex };
export type SubmittedBatch = { root: Hex; enclave: Address; count: number; issuedAt: bigint; blockNumber: bigint; transactionHash: Hex };

export type ReceiptsOverview = {
  /** Consumptions found; exact when `complete`, else a lower bound (only recent blocks were read). */
  consumedTotal: number;
  batchesTotal: number;
  complete: boolean;
  /** Newest first, at most `limit`. */
  consumed: ConsumedReceipt[];
  batches: SubmittedBatch[];
};

/** Rows the page renders; the totals are exact whatever the chain holds. */
export const RECEIPT_LIST_LIMIT = 200;

type Range = { fromBlock: bigint; toBlock: bigint };

/**
 * Consumed receipts (ReceiptVerifier and BatchReceipts) and submitted batches, newest first: log queries over
 * windows of recent blocks (getRecentLogs) until `limit` rows are found, so a chain with 10,000 consumptions costs
 * a few hundred logs, not all of them.
 */
export async function loadReceipts({ client, config, limit = RECEIPT_LIST_LIMIT }: ConsoleReadParameters & { limit?: number }): Promise<ReceiptsOverview> {
  const fromBlock = BigInt(config.fromBlock);
  type SingleLog = Awaited<ReturnType<typeof readSingle>>[number];
  type BatchLog = Awaited<ReturnType<typeof readBatch>>[number];
  const readSingle = (range: Range) => client.getContractEvents({ address: config.deployment.receiptVerifier, abi: receiptVerifierAbi, eventName: "ReceiptConsumed", ...range });
  const readBatch = (range: Range) => client.getContractEvents({ address: config.deployment.batchReceipts, abi: batchReceiptsAbi, ...range });
  const recent = await getRecentLogs<SingleLog | BatchLog>({
    client,
    fromBlock,
    wanted: limit,
    query: async (range) => (await Promise.all([readSingle(range), readBatch(range)])).flat(),
  });
  const single = recent.logs.filter((log): log is SingleLog => log.eventName === "ReceiptConsumed");
  const batch = recent.logs.filter((log): log is BatchLog => log.eventName !== "ReceiptConsumed");
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
  return { consumedTotal: consumed.length, batchesTotal: batches.length, complete: recent.complete, consumed: consumed.slice(0, limit), batches: batches.slice(0, limit) };
}
