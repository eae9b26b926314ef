import type { ChainClock, ConsoleClient } from "./types.js";

/** The latest block's number and time: contracts judge expiry and timelock readiness by it, not by the wall clock. */
export async function readChainClock(client: ConsoleClient): Promise<ChainClock> {
  const block = await client.getBlock({ blockTag: "latest" });
  return { blockNumber: block.number, timestamp: block.timestamp };
}
