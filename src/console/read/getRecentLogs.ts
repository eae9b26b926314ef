import type { ConsoleClient } from "./types.js";

/** The first window looked at, in blocks; doubled until enough logs are found or the deployment block is reached. */
const FIRST_WINDOW = 1024n;

/**
 * The newest logs of a query without reading the chain's whole history: windows ending at the latest block,
 * doubling backwards until `wanted` logs are found or `fromBlock` is reached. A page that lists the newest 200 of
 * 10,000 consumptions reads a few hundred logs, and RPCs that cap a getLogs range are met with small windows first.
 */
export async function getRecentLogs<T>(parameters: {
  client: ConsoleClient;
  fromBlock: bigint;
  wanted: number;
  query: (range: { fromBlock: bigint; toBlock: bigint }) => Promise<T[]>;
}): Promise<{ logs: T[]; complete: boolean }> {
  const latest = await parameters.client.getBlockNumber({ cacheTime: 0 });
  const logs: T[] = [];
  let toBlock = latest;
  let window = FIRST_WINDOW;
  while (toBlock >= parameters.fromBlock) {
    const from = toBlock - window + 1n > parameters.fromBlock ? toBlock - window + 1n : parameters.fromBlock;
    logs.unshift(...(await parameters.query({ fromBlock: from, toBlock })));
    if (from === parameters.fromBlock) return { logs, complete: true };
    if (logs.length >= parameters.wanted) return { logs, complete: false };
    toBlock = from - 1n;
    window *= 2n;
  }
  return { logs, complete: true };
}
