import { TeezkError } from "../errors/index.js";

/** An upstream chain: an HTTP JSON-RPC URL, or an in-process EIP-1193 provider (the devnet). */
export type ConsoleUpstream = { url: string } | { request: (args: { method: string; params?: unknown }) => Promise<unknown> };

/** What the page needs to read: views, logs, blocks and transactions. Nothing that signs, sends or changes node state. */
export const READ_METHODS: ReadonlySet<string> = new Set([
  "eth_chainId",
  "net_version",
  "eth_blockNumber",
  "eth_call",
  "eth_getLogs",
  "eth_getBlockByNumber",
  "eth_getBlockByHash",
  "eth_getTransactionByHash",
  "eth_getTransactionReceipt",
  "eth_getCode",
]);
/** A batch longer than this is refused: the page batches a handful of calls; a long batch is someone using the proxy as an open RPC. */
export const MAX_RPC_BATCH = 200;
export const MAX_RPC_BODY_BYTES = 256 * 1024;
const UPSTREAM_TIMEOUT_MS = 20_000;

type RpcRequest = { jsonrpc: "2.0"; id: unknown; method: string; params?: unknown };
type RpcResponse = { jsonrpc: "2.0"; id: unknown; result?: unknown; error?: { code: number; message: string; data?: unknown } };

/**
 * Answers one JSON-RPC body (a request or a batch) from the browser: read methods only, forwarded upstream. The
 * upstream URL (which may carry an API key) never reaches the page, and the page reads same-origin, so it works
 * against any node whatever its CORS settings. An unreachable upstream throws CHAIN_CALL_FAILED (the server turns
 * it into a 502 the page explains); a refused request throws CONSOLE_RPC_REFUSED. `methods: "any"` is only for the
 * demo's wallet endpoint onto its own in-process chain (serveDemoConsole), never for the console's /rpc.
 */
export async function proxyJsonRpc(upstream: ConsoleUpstream, body: string, methods: ReadonlySet<string> | "any" = READ_METHODS): Promise<RpcResponse | RpcResponse[]> {
  if (body.length > MAX_RPC_BODY_BYTES) throw new TeezkError("CONSOLE_RPC_REFUSED", `The RPC body is over ${MAX_RPC_BODY_BYTES} bytes`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new TeezkError("CONSOLE_RPC_REFUSED", "The RPC body is not JSON");
  }
  const batch = Array.isArray(parsed);
  const requests = (batch ? parsed : [parsed]) as unknown[];
  if (requests.length === 0 || requests.length > MAX_RPC_BATCH) throw new TeezkError("CONSOLE_RPC_REFUSED", `An RPC batch holds 1 to ${MAX_RPC_BATCH} requests`);
  for (const request of requests) {
    const method = (request as { method?: unknown } | null)?.method;
    if (typeof method !== "string" || (methods !== "any" && !methods.has(method))) {
      throw new TeezkError("CONSOLE_RPC_REFUSED", `The console's RPC proxy serves read methods only; refused ${String(method).slice(0, 60)}`);
    }
  }
  const answers = "url" in upstream ? await forwardHttp(upstream.url, requests as RpcRequest[], batch) : await Promise.all((requests as RpcRequest[]).map((r) => forwardProvider(upstream, r)));
  return batch ? answers : (answers[0] as RpcResponse);
}

async function forwardHttp(url: string, requests: RpcRequest[], batch: boolean): Promise<RpcResponse[]> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(batch ? requests : requests[0]),
      signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS),
    });
  } catch (cause) {
    throw new TeezkError("CHAIN_CALL_FAILED", "The console's upstream RPC is unreachable", { cause, details: cause instanceof Error ? cause.message : String(cause) });
  }
  let json: unknown;
  try {
    json = await response.json();
  } catch (cause) {
    throw new TeezkError("CHAIN_CALL_FAILED", `The upstream RPC answered HTTP ${response.status} without JSON`, { cause });
  }
  return (Array.isArray(json) ? json : [json]) as RpcResponse[];
}

async function forwardProvider(upstream: Extract<ConsoleUpstream, { request: unknown }>, request: RpcRequest): Promise<RpcResponse> {
  try {
    const result = await upstream.request({ method: request.method, ...(request.params !== undefined ? { params: request.params } : {}) });
    return { jsonrpc: "2.0", id: request.id, result };
  } catch (error) {
    // A revert is an answer (code 3 with its data), not an outage: the page decodes it against the contract's ABI.
    const e = error as { code?: unknown; message?: unknown; data?: unknown };
    return {
      jsonrpc: "2.0",
      id: request.id,
      error: { code: typeof e.code === "number" ? e.code : -32603, message: typeof e.message === "string" ? e.message : "upstream error", ...(e.data !== undefined ? { data: e.data } : {}) },
    };
  }
}
