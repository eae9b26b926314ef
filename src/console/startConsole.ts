import { createPublicClient, http } from "viem";
import { TeezkError } from "../errors/index.js";
import { openArchive, type Archive } from "../store/index.js";
import type { PinnedRoot } from "../util/x509.js";
import { serveApp } from "../services/http/index.js";
import { buildConsoleAssets } from "./buildConsoleAssets.js";
import { createConsoleApp } from "./createConsoleApp.js";
import type { ConsoleUpstream } from "./proxyJsonRpc.js";
import type { ConsoleConfig, ConsoleDeployment } from "./read/types.js";

export type StartConsoleParameters = {
  upstream: ConsoleUpstream;
  /** The deployment's addresses and, when the deployment file gives it, its chain id. */
  deployment: Partial<ConsoleDeployment> & { chainId?: number };
  /** SQLite archive path (opened read-side for the Decisions page and enclave evidence), or an open archive. */
  archive?: string | Archive;
  host?: string;
  port?: number;
  fromBlock?: bigint;
  /** Dev roots of simulated TEEs, to re-read a devnet's archived evidence (the demo); never on a real deployment. */
  extraTrustedRoots?: readonly PinnedRoot[];
};
export type StartConsoleReturnType = {
  url: string;
  config: ConsoleConfig;
  /** Set when the RPC could not be asked its chain id at start: the page then shows the problem too. */
  warning?: string;
  close: () => Promise<void>;
};
export type StartConsoleErrorType = TeezkError;

const REQUIRED: (keyof ConsoleDeployment)[] = ["timelock", "measurementRegistry", "enclaveRegistry", "committee", "receiptVerifier", "batchReceipts"];

/**
 * Builds the page and serves the console (loopback by default). The chain id the page insists on is the deployment
 * file's, else the RPC's at start; an RPC that is down or on another chain does not stop the server: the page says
 * so in words, which is what a person who opened it needs.
 */
export async function startConsole(parameters: StartConsoleParameters): Promise<StartConsoleReturnType> {
  for (const contract of REQUIRED) {
    if (!parameters.deployment[contract]) throw new TeezkError("CONFIG_INVALID", `The deployment has no ${contract} address`, { metaMessages: ["Pass --deployment <file.json> as deploy/deploy.ts writes it."] });
  }
  const rpcChainId = await readUpstreamChainId(parameters.upstream).catch(() => undefined);
  const chainId = parameters.deployment.chainId ?? rpcChainId ?? null;
  let warning: string | undefined;
  if (rpcChainId === undefined) warning = "the RPC did not answer eth_chainId at start";
  else if (chainId !== null && rpcChainId !== chainId) warning = `the deployment is for chain ${chainId} but the RPC serves chain ${rpcChainId}`;
  const { chainId: _ignored, ...addresses } = parameters.deployment;
  const config: ConsoleConfig = {
    chainId,
    deployment: addresses as ConsoleDeployment,
    archive: parameters.archive !== undefined,
    fromBlock: String(parameters.fromBlock ?? 0n),
  };
  const ownsArchive = typeof parameters.archive === "string";
  const archive = typeof parameters.archive === "string" ? openArchive(parameters.archive) : parameters.archive;
  try {
    const assets = await buildConsoleAssets();
    const app = createConsoleApp({
      assets,
      upstream: parameters.upstream,
      config,
      ...(archive ? { archive } : {}),
      ...(parameters.extraTrustedRoots ? { extraTrustedRoots: parameters.extraTrustedRoots } : {}),
    });
    const served = await serveApp(app, { host: parameters.host ?? "127.0.0.1", port: parameters.port ?? 0 });
    return {
      url: served.url,
      config,
      ...(warning ? { warning } : {}),
      close: async () => {
        await served.close();
        if (ownsArchive) archive?.close();
      },
    };
  } catch (error) {
    if (ownsArchive) archive?.close();
    throw error;
  }
}

async function readUpstreamChainId(upstream: ConsoleUpstream): Promise<number> {
  if ("url" in upstream) return await createPublicClient({ transport: http(upstream.url, { retryCount: 0, timeout: 5000 }) }).getChainId();
  return Number(await upstream.request({ method: "eth_chainId" }));
}


