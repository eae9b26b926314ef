import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** anvil's (and Hardhat's) first dev account: public, funded with 10,000 ETH on every fresh node. */
export const ANVIL_DEV_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80" as const;

export type Anvil = {
  rpcUrl: string;
  /** Stops the node (SIGTERM, then SIGKILL) and waits for it to exit. Idempotent. */
  stop: () => Promise<void>;
};

export type StartAnvilOptions = {
  /** Mine a block every this many seconds instead of one per transaction: transactions wait in the pool, as on a real network. */
  blockTime?: number;
  /** Mine nothing unless asked (evm_mine): a node where a sent transaction never lands. */
  noMining?: boolean;
};

const STARTUP_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

/**
 * A separate Ethereum node for a test: the anvil binary from node_modules (@foundry-rs/anvil's platform package,
 * started directly so the process stopped is the node itself, not a wrapper), on loopback, on a port the OS
 * picks (`--port 0`, read back from its "Listening on" line: no race for a free port), with the osaka hardfork.
 * Its output is drained so the pipe never fills; only the last lines are kept for a startup failure.
 */
export async function startAnvil(options: StartAnvilOptions = {}): Promise<Anvil> {
  const mining = options.noMining ? ["--no-mining"] : options.blockTime ? ["--block-time", String(options.blockTime)] : [];
  const args = ["--host", "127.0.0.1", "--port", "0", "--hardfork", "osaka", ...mining];
  const child = spawn(anvilBinary(), args, { stdio: ["ignore", "pipe", "pipe"] });
  const stop = onceStopper(child);
  // A test process that dies without its afterAll still takes the node with it.
  const onExit = () => child.kill("SIGKILL");
  process.once("exit", onExit);
  try {
    const rpcUrl = await listeningUrl(child);
    return {
      rpcUrl,
      stop: async () => {
        process.off("exit", onExit);
        await stop();
      },
    };
  } catch (error) {
    process.off("exit", onExit);
    await stop();
    throw error;
  }
}

function anvilBinary(): string {
  const arch = { x64: "amd64", arm64: "arm64" }[process.arch as string];
  const platform = process.platform === "win32" ? "win32" : process.platform;
  if (!arch) throw new Error(`anvil has no package for ${process.platform}/${process.arch}`);
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve(`@foundry-rs/anvil-${platform}-${arch}/package.json`);
  return join(dirname(packageJson), "bin", platform === "win32" ? "anvil.exe" : "anvil");
}

function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let tail = "";
    const timer = setTimeout(() => reject(new Error(`anvil did not start within ${STARTUP_TIMEOUT_MS} ms:\n${tail}`)), STARTUP_TIMEOUT_MS);
    const read = (chunk: Buffer) => {
      tail = (tail + chunk.toString("utf8")).slice(-4000);
      const match = /Listening on (127\.0\.0\.1:\d+)/.exec(tail);
      if (match) {
        clearTimeout(timer);
        resolve(`http://${match[1]}`);
      }
    };
    child.stdout!.on("data", read);
    child.stderr!.on("data", read);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`anvil exited (${code ?? signal}) before listening:\n${tail}`));
    });
  });
}

function onceStopper(child: ChildProcess): () => Promise<void> {
  let stopped: Promise<void> | undefined;
  return () =>
    (stopped ??= new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const force = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
      child.once("exit", () => {
        clearTimeout(force);
        resolve();
      });
      child.kill("SIGTERM");
    }));
}
