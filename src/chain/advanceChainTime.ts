import { TeezkError } from "../errors/index.js";
import { chainCallError } from "./chainCallError.js";
import type { TeezkClients } from "./types.js";

export type AdvanceChainTimeParameters = Pick<TeezkClients, "publicClient"> & {
  /** The block time (seconds) the chain must reach. */
  until: bigint;
  /**
   * On a node without evm_increaseTime (a real network), wait for its own blocks to reach `until` instead of
   * failing, for at most this long; default 0: fail at once with CHAIN_METHOD_UNSUPPORTED.
   */
  waitMs?: number;
};
export type AdvanceChainTimeReturnType = { timestamp: bigint; travelled: boolean };
export type AdvanceChainTimeErrorType = TeezkError;

const POLL_MS = 1_000;

/**
 * Brings the chain's latest block time to at least `until`: on a development node (anvil, Hardhat) with
 * evm_increaseTime + evm_mine, which both offer; elsewhere, when allowed, by waiting for the node's own blocks.
 * The same two calls on both nodes, so the in-process chain and a separate node move time the same way.
 */
export async function advanceChainTime({ publicClient, until, waitMs = 0 }: AdvanceChainTimeParameters): Promise<AdvanceChainTimeReturnType> {
  const latest = async () => (await publicClient.getBlock().catch((cause: unknown) => Promise.reject(chainCallError("Reading the latest block", cause)))).timestamp;
  const now = await latest();
  if (now >= until) return { timestamp: now, travelled: false };
  try {
    await publicClient.request({ method: "evm_increaseTime", params: [`0x${(until - now).toString(16)}`] } as never);
    await publicClient.request({ method: "evm_mine", params: [] } as never);
    return { timestamp: await latest(), travelled: true };
  } catch (cause) {
    const error = chainCallError("Advancing the chain's clock (evm_increaseTime)", cause);
    if (error.code !== "CHAIN_METHOD_UNSUPPORTED" || waitMs <= 0) throw error;
  }
  const deadline = Date.now() + waitMs;
  for (;;) {
    const timestamp = await latest();
    if (timestamp >= until) return { timestamp, travelled: false };
    if (Date.now() + POLL_MS > deadline) {
      throw new TeezkError("CHAIN_METHOD_UNSUPPORTED", `The node cannot advance its clock and its blocks did not reach ${until} within ${Math.round(waitMs / 1000)} s`, {
        metaMessages: ["Run this against a development node (anvil, Hardhat) that offers evm_increaseTime, or wait out the delay."],
      });
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
