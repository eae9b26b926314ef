import { createContext, useCallback, useContext, useEffect, useRef, useState } from "react";
import { createPublicClient, http } from "viem";
import type { ConsoleClient, ConsoleConfig, ResolvedConsoleConfig } from "../read/types.js";

export type ConsoleContextValue = {
  config: ResolvedConsoleConfig;
  client: ConsoleClient;
  /** Bumped by Refresh (key r) and by each new block: every page reloads its data on it. */
  refreshCount: number;
  refresh: () => void;
};

export const ConsoleContext = createContext<ConsoleContextValue | undefined>(undefined);

export function useConsole(): ConsoleContextValue {
  const value = useContext(ConsoleContext);
  if (!value) throw new Error("useConsole outside the console");
  return value;
}

/** Reads through the console server's /rpc (same origin, read-only); JSON-RPC batching turns a page's views into one request. */
export function createConsoleClient(): ConsoleClient {
  return createPublicClient({ transport: http(`${location.origin}/rpc`, { batch: { batchSize: 100, wait: 0 }, retryCount: 0, timeout: 15_000 }) });
}

export type Startup =
  | { state: "loading" }
  | { state: "ready"; config: ResolvedConsoleConfig }
  | { state: "failed"; title: string; detail: string };

/** Loads /api/config and checks the RPC's chain against the deployment's before any page reads anything. */
export async function startConsole(client: ConsoleClient): Promise<Startup> {
  let config: ConsoleConfig;
  try {
    const response = await fetch("/api/config");
    config = (await response.json()) as ConsoleConfig;
  } catch (error) {
    return { state: "failed", title: "The console server did not answer", detail: String(error) };
  }
  let rpcChainId: number;
  try {
    rpcChainId = await client.getChainId();
  } catch (error) {
    return { state: "failed", title: "Cannot reach the chain: the RPC is down or unreachable", detail: rpcDetail(error) };
  }
  if (config.chainId !== null && config.chainId !== rpcChainId) {
    return {
      state: "failed",
      title: `Wrong chain: the deployment is on chain ${config.chainId} but the RPC serves chain ${rpcChainId}`,
      detail: "CONSOLE_WRONG_CHAIN: every address would be wrong there. Restart the console with the --rpc-url of the deployment's chain, or the deployment file written for this one.",
    };
  }
  return { state: "ready", config: { ...config, chainId: rpcChainId } };
}

export function rpcDetail(error: unknown): string {
  const e = error as { shortMessage?: string; details?: string; message?: string };
  return [e.shortMessage ?? e.message ?? String(error), e.details].filter(Boolean).join("\n").slice(0, 600);
}

/** Polls the block number; a new block bumps `refreshCount`, so pages follow the chain without a manual refresh. */
export function useBlockFollower(client: ConsoleClient, intervalMs = 3000): { refreshCount: number; refresh: () => void; blockNumber: bigint | undefined; rpcError: string | undefined } {
  const [refreshCount, setRefreshCount] = useState(0);
  const [blockNumber, setBlockNumber] = useState<bigint>();
  const [rpcError, setRpcError] = useState<string>();
  const last = useRef<bigint | undefined>(undefined);
  const refresh = useCallback(() => setRefreshCount((n) => n + 1), []);
  useEffect(() => {
    let stopped = false;
    const tick = async () => {
      try {
        const latest = await client.getBlockNumber({ cacheTime: 0 });
        if (stopped) return;
        setRpcError(undefined);
        setBlockNumber(latest);
        if (last.current !== undefined && latest !== last.current) refresh();
        last.current = latest;
      } catch (error) {
        if (!stopped) setRpcError(rpcDetail(error));
      }
    };
    void tick();
    const timer = setInterval(() => void tick(), intervalMs);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [client, intervalMs, refresh]);
  return { refreshCount, refresh, blockNumber, rpcError };
}
