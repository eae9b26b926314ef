import type { Hex, LocalAccount } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { TeezkError } from "../../../errors/index.js";
import { loadReferenceValues } from "../../../policy/index.js";
import { createVerifierNode, DEFAULT_REQUEST_TIME_SKEW_MS } from "../../../services/verifier/index.js";
import { openArchive } from "../../../store/index.js";
import { UsageError, type CliIo } from "../../io.js";
import { parseAddressFlag, parseChainId, parseCollateralFlags, parsePort } from "./parseServeOptions.js";
import type { RunningService } from "./runUntilSignal.js";
import { isClusterWorker, reportListening, startVerifierCluster, workerKeyEnv } from "./serveVerifierCluster.js";
import { DEFAULT_VERIFIER_PORT, type ServeEvidenceTrustOptions, type ServeListenOptions } from "./serveOptions.js";
import { collateralServicesOf, extraTrustedRootsOf, listenWithArchive, serveUntilSignal, SIMULATE_ROOTS_WARNING } from "./serveSupport.js";

export type ServeVerifierOptions = ServeListenOptions &
  ServeEvidenceTrustOptions & {
    policy?: string;
    committee?: string;
    chainId?: string;
    keyEnv?: string;
    allowRequestTime?: boolean;
    requestTimeSkew?: string;
    workers?: string;
  };

/**
 * `teezk serve verifier`: a committee member's verifier node (with `--workers N`, a primary forking N workers that
 * share the port); prints one listening line (`--json`: `{"service":"verifier","url","address","committee"}`) and
 * runs until SIGINT/SIGTERM.
 */
export async function serveVerifier(options: ServeVerifierOptions, io: CliIo, setExitCode: (code: number) => void): Promise<void> {
  await serveUntilSignal({
    io,
    setExitCode,
    start: async () => {
      const workers = parseWorkers(options.workers);
      return workers > 1 && !isClusterWorker() ? await startVerifierClusterFromOptions(options, workers, io) : await startServeVerifier(options, io);
    },
    // A worker also stops when its primary is gone (no orphaned listeners).
    stopSignal: () => {
      const orphaned = new AbortController();
      if (isClusterWorker()) process.once("disconnect", () => orphaned.abort());
      return orphaned.signal;
    },
    // The IPC channel to the primary would keep a worker alive after its server closed.
    afterStop: () => {
      if (isClusterWorker() && process.connected) process.disconnect();
    },
  });
}

/** Seconds, 0 to 3600: beyond an hour it is no longer clock skew but choosing when evidence is judged. */
function parseRequestTimeSkew(value: string | undefined): number {
  if (value === undefined) return DEFAULT_REQUEST_TIME_SKEW_MS;
  if (!/^\d{1,4}$/.test(value) || Number(value) > 3600) throw new UsageError(`--request-time-skew expects 0 to 3600 seconds, got "${value}"`);
  return Number(value) * 1000;
}

function parseWorkers(value: string | undefined): number {
  const workers = Number(value ?? "1");
  if (!/^\d{1,2}$/.test(value ?? "1") || workers < 1 || workers > 64) throw new UsageError(`--workers expects 1 to 64, got "${value}"`);
  return workers;
}

/** The primary of `--workers N`: checks the options here (so a bad flag fails once, not N times), then forks. */
async function startVerifierClusterFromOptions(options: ServeVerifierOptions, workers: number, io: CliIo): Promise<RunningService> {
  if (!options.policy) throw new UsageError("serve verifier needs --policy <reference-values.json>: a node signs only for what its policy allows");
  const committee = { chainId: parseChainId(options.chainId), verifyingContract: parseAddressFlag("--committee", options.committee) };
  parsePort(options.port, DEFAULT_VERIFIER_PORT);
  parseCollateralFlags(options.collateral);
  parseRequestTimeSkew(options.requestTimeSkew);
  loadReferenceValues(options.policy);
  if (options.keyEnv !== undefined) readAccount(options.keyEnv, io);
  // Create and migrate the archive once, before several processes open it.
  if (options.archive) openArchive(options.archive).close();
  return await startVerifierCluster({ workers, ...(options.keyEnv !== undefined ? { keyEnv: options.keyEnv } : {}), json: options.json === true, io, committee });
}

/** Builds and starts the node from the command's options; resolves once it listens (tests call this directly). */
export async function startServeVerifier(options: ServeVerifierOptions, io: CliIo): Promise<RunningService & { address: Hex }> {
  if (!options.policy) throw new UsageError("serve verifier needs --policy <reference-values.json>: a node signs only for what its policy allows");
  const committee = { chainId: parseChainId(options.chainId), verifyingContract: parseAddressFlag("--committee", options.committee) };
  const port = parsePort(options.port, DEFAULT_VERIFIER_PORT);
  const collateral = parseCollateralFlags(options.collateral);
  const requestTimeSkewMs = parseRequestTimeSkew(options.requestTimeSkew);
  const referenceValues = loadReferenceValues(options.policy);
  const worker = isClusterWorker();
  const account = readAccount(worker ? workerKeyEnv(options.keyEnv) : options.keyEnv, io);
  const extraTrustedRoots = extraTrustedRootsOf(options);
  const collateralServices = collateralServicesOf(options);
  const { url, service: node, close } = await listenWithArchive({
    options,
    port,
    build: (archive) =>
      createVerifierNode({
        account,
        committee,
        referenceValues,
        collateral,
        ...(collateralServices ? { collateralServices } : {}),
        ...(extraTrustedRoots ? { extraTrustedRoots } : {}),
        ...(archive ? { archive } : {}),
        allowRequestTime: options.allowRequestTime === true,
        requestTimeSkewMs,
      }),
    closeService: async (started) => started.close(),
    announce: (node, url) => {
      const line = { service: "verifier", url, address: node.address, committee };
      if (worker) reportListening(url, node.address);
      else io.out(options.json ? `${JSON.stringify(line)}\n` : `verifier node ${node.address} listening on ${url} (committee ${committee.verifyingContract} on chain ${committee.chainId})\n`);
      if (extraTrustedRoots && !worker) io.err(SIMULATE_ROOTS_WARNING);
    },
  });
  return { url, address: node.address, close };
}

/** The node's committee key from `--key-env`, or an ephemeral one (announced: its address must join the committee). */
function readAccount(keyEnv: string | undefined, io: CliIo): LocalAccount {
  if (keyEnv === undefined) {
    io.err("warning: no --key-env: this node signs with an ephemeral key that is lost on exit; its address must be added to the committee.\n");
    return privateKeyToAccount(generatePrivateKey());
  }
  const value = process.env[keyEnv]?.trim();
  if (!value) throw new TeezkError("CONFIG_INVALID", `The environment variable ${keyEnv} (--key-env) is not set`);
  const hex = value.startsWith("0x") ? value : `0x${value}`;
  try {
    if (!/^0x[0-9a-fA-F]{64}$/.test(hex)) throw new Error("not 32 bytes of hex");
    return privateKeyToAccount(hex as Hex);
  } catch {
    // Never echo the value: it is a private key.
    throw new TeezkError("CONFIG_INVALID", `${keyEnv} must hold a valid 32-byte hex secp256k1 private key`);
  }
}
