import { startConsole } from "../../../console/index.js";
import { UsageError, type CliIo } from "../../io.js";
import { RPC_URL_ENV } from "../../support/chainOptions.js";
import { resolveDeployment } from "../../support/resolveDeployment.js";
import { parsePort } from "./parseServeOptions.js";
import type { RunningService } from "./runUntilSignal.js";
import { DEFAULT_CONSOLE_PORT, type ServeListenOptions } from "./serveOptions.js";
import { serveUntilSignal } from "./serveSupport.js";

export type ServeConsoleOptions = ServeListenOptions & { rpcUrl?: string; deployment?: string; fromBlock?: string };

/** `teezk serve console`: starts the console, prints its listening line and runs until SIGINT/SIGTERM. */
export async function serveConsole(options: ServeConsoleOptions, io: CliIo, setExitCode: (code: number) => void): Promise<void> {
  await serveUntilSignal({ io, setExitCode, start: () => startServeConsole(options, io) });
}

/** Parses the flags, starts the console and prints its listening line (and any warning about the RPC). */
export async function startServeConsole(options: ServeConsoleOptions, io: CliIo): Promise<RunningService> {
  const rpcUrl = options.rpcUrl ?? process.env[RPC_URL_ENV];
  if (!rpcUrl) throw new UsageError(`serve console needs --rpc-url <url> (or ${RPC_URL_ENV})`);
  if (!/^https?:\/\//.test(rpcUrl)) throw new UsageError(`--rpc-url must be an http(s) URL; got "${rpcUrl.slice(0, 80)}"`);
  if (!options.deployment) throw new UsageError("serve console needs --deployment <file.json>");
  if (!/^\d{1,15}$/.test(options.fromBlock ?? "0")) throw new UsageError(`--from-block expects a block number; got "${options.fromBlock}"`);
  const deployment = resolveDeployment({ file: options.deployment });
  const started = await startConsole({
    upstream: { url: rpcUrl },
    deployment,
    ...(options.archive ? { archive: options.archive } : {}),
    host: options.host ?? "127.0.0.1",
    port: parsePort(options.port, DEFAULT_CONSOLE_PORT),
    fromBlock: BigInt(options.fromBlock ?? "0"),
  });
  io.out(options.json ? `${JSON.stringify({ service: "console", url: started.url, chainId: started.config.chainId })}\n` : `teezk console on ${started.url} (chain ${started.config.chainId ?? "unknown"})\n`);
  if (started.warning) io.err(`warning: ${started.warning}; the page shows it too\n`);
  return started;
}
