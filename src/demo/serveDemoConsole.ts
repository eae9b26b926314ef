import { Hono } from "hono";
import type { EIP1193Provider } from "viem";
import { proxyJsonRpc, startConsole, type ConsoleUpstream, type StartConsoleReturnType } from "../console/index.js";
import type { StartDevnetReturnType } from "../devnet/index.js";
import { TeezkError } from "../errors/index.js";
import { serveApp } from "../services/http/index.js";
import type { DemoContext } from "./runDemoFlow.js";

/**
 * `npm run demo -- --console`: the console over the demo's chain (the in-process devnet's provider, or the node
 * given with --rpc-url) and the archive its nodes wrote, for a person to look at after the flow. Resolves once it
 * listens.
 */
export async function serveDemoConsole(context: DemoContext, options: { rpcUrl?: string; port?: number } = {}): Promise<StartConsoleReturnType> {
  return await startConsole({
    upstream: demoUpstream(context, options.rpcUrl),
    deployment: { ...context.devnet.addresses, chainId: context.devnet.chainId },
    archive: context.archive,
    // The simulated TEEs' dev roots, so the console can re-read the demo's archived evidence.
    extraTrustedRoots: context.trustedRoots,
    port: options.port ?? 7320,
  });
}

/** The demo's chain for the console: the node's URL, or the in-process devnet's EIP-1193 provider. */
export function demoUpstream(context: DemoContext, rpcUrl?: string): ConsoleUpstream {
  if (rpcUrl) return { url: rpcUrl };
  const connection = (context.devnet as Partial<StartDevnetReturnType>).connection;
  if (!connection) throw new TeezkError("CONFIG_INVALID", "The demo's chain is neither in-process nor given by --rpc-url");
  const provider = connection.provider as unknown as EIP1193Provider;
  return { request: (args) => provider.request(args as never) };
}

/** Resolves on Ctrl-C (SIGINT) or SIGTERM: the demo's chain and console stay up until then. */
export function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}

/**
 * A full JSON-RPC endpoint onto the demo's in-process chain (loopback only), for a person's browser wallet: the
 * console itself reads through its read-only /rpc, but a wallet that sends governance proposals needs a node.
 * Hardhat's default accounts 0 (the timelock's proposer) and 1 (the guardian) hold the roles; their keys are public.
 */
export async function serveDemoWalletRpc(context: DemoContext, port = 8545): Promise<{ url: string; close: () => Promise<void> }> {
  const upstream = demoUpstream(context);
  const app = new Hono();
  app.post("/", async (c) => c.json(await proxyJsonRpc(upstream, await c.req.text(), "any")));
  // 8545 is where wallets look for a local node; when something else holds it, any free port will do.
  return await serveApp(app, { port }).catch(() => serveApp(app, { port: 0 }));
}
