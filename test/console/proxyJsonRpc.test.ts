import { describe, expect, it } from "vitest";
import { MAX_RPC_BATCH, proxyJsonRpc, type ConsoleUpstream } from "../../src/console/index.js";
import { rejection } from "../support/rejection.js";

/** An upstream that records what reached it and answers every call with the method's name. */
function recordingUpstream(): ConsoleUpstream & { seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    request: async ({ method }) => {
      seen.push(method);
      if (method === "eth_call") throw Object.assign(new Error("execution reverted"), { code: 3, data: "0x5b0f8e2c" });
      return method;
    },
  };
}

const call = (method: string, id = 1) => ({ jsonrpc: "2.0", id, method, params: [] });

describe("the console's RPC proxy: read methods only, bounded", () => {
  it("forwards read methods, single and batched, and keeps a revert's code and data for the page to decode", async () => {
    const upstream = recordingUpstream();
    await expect(proxyJsonRpc(upstream, JSON.stringify(call("eth_chainId")))).resolves.toEqual({ jsonrpc: "2.0", id: 1, result: "eth_chainId" });
    const batch = await proxyJsonRpc(upstream, JSON.stringify([call("eth_getLogs", 1), call("eth_call", 2)]));
    expect(batch).toEqual([
      { jsonrpc: "2.0", id: 1, result: "eth_getLogs" },
      { jsonrpc: "2.0", id: 2, error: { code: 3, message: "execution reverted", data: "0x5b0f8e2c" } },
    ]);
  });

  it.each(["eth_sendTransaction", "eth_sendRawTransaction", "eth_sign", "personal_sign", "eth_accounts", "hardhat_setBalance", "evm_increaseTime", "anvil_impersonateAccount", "debug_traceTransaction"])(
    "refuses %s before it reaches the node, alone or hidden in a batch",
    async (method) => {
      const upstream = recordingUpstream();
      expect((await rejection(proxyJsonRpc(upstream, JSON.stringify(call(method))))).code).toBe("CONSOLE_RPC_REFUSED");
      expect((await rejection(proxyJsonRpc(upstream, JSON.stringify([call("eth_chainId"), call(method, 2)])))).code).toBe("CONSOLE_RPC_REFUSED");
      expect(upstream.seen).toEqual([]);
    },
  );

  it("refuses bodies that are not JSON-RPC, batches over the cap, empty batches and oversized bodies", async () => {
    const upstream = recordingUpstream();
    expect((await rejection(proxyJsonRpc(upstream, "{"))).code).toBe("CONSOLE_RPC_REFUSED");
    expect((await rejection(proxyJsonRpc(upstream, "null"))).code).toBe("CONSOLE_RPC_REFUSED");
    expect((await rejection(proxyJsonRpc(upstream, "[]"))).code).toBe("CONSOLE_RPC_REFUSED");
    expect((await rejection(proxyJsonRpc(upstream, JSON.stringify(Array.from({ length: MAX_RPC_BATCH + 1 }, (_, i) => call("eth_chainId", i)))))).code).toBe("CONSOLE_RPC_REFUSED");
    expect((await rejection(proxyJsonRpc(upstream, JSON.stringify({ ...call("eth_call"), params: ["x".repeat(300 * 1024)] })))).code).toBe("CONSOLE_RPC_REFUSED");
    expect(upstream.seen).toEqual([]);
  });

  it("an unreachable HTTP upstream is CHAIN_CALL_FAILED (the page says the RPC is down), not a hang", async () => {
    expect((await rejection(proxyJsonRpc({ url: "http://127.0.0.1:9" }, JSON.stringify(call("eth_chainId"))))).code).toBe("CHAIN_CALL_FAILED");
  });
});
