import cluster, { type Worker } from "node:cluster";
import { once } from "node:events";
import type { Hex } from "viem";
import { generatePrivateKey } from "viem/accounts";
import { TeezkError } from "../../../errors/index.js";
import type { CliIo } from "../../io.js";
import type { RunningService } from "./runUntilSignal.js";

/** The variable the primary hands its ephemeral key to its workers in (when no --key-env is given). */
export const CLUSTER_KEY_ENV = "TEEZK_VERIFIER_CLUSTER_KEY";

const STOP_GRACE_MS = 10_000;

/** What a worker tells the primary once it listens. */
type ListeningMessage = { teezkVerifierListening: { url: string; address: Hex } };

export type StartVerifierClusterParameters = {
  workers: number;
  /** --key-env, if given: every worker reads the same variable, so all sign as one committee member. */
  keyEnv?: string;
  json: boolean;
  io: CliIo;
  /** For the listening line. */
  committee: { chainId: number; verifyingContract: Hex };
};

/**
 * `teezk serve verifier --workers N`: N processes (node:cluster) share one listening port, so verification,
 * signing and the archive's fsyncs of different requests run on different cores. Every worker is the same node:
 * same key (the primary generates an ephemeral one once when no --key-env is given), same policy, same archive
 * file (SQLite WAL; writers take turns). A worker that dies is replaced; SIGINT/SIGTERM stops them all.
 */
export async function startVerifierCluster(parameters: StartVerifierClusterParameters): Promise<RunningService & { address: Hex }> {
  const { workers, io } = parameters;
  const env: Record<string, string> = {};
  let keyEnv = parameters.keyEnv;
  if (keyEnv === undefined) {
    io.err("warning: no --key-env: the workers sign with one ephemeral key that is lost on exit; its address must be added to the committee.\n");
    env[CLUSTER_KEY_ENV] = generatePrivateKey();
    keyEnv = CLUSTER_KEY_ENV;
  }
  if (!(process.env[keyEnv] ?? env[keyEnv])) throw new TeezkError("CONFIG_INVALID", `The environment variable ${keyEnv} (--key-env) is not set`);

  let stopping = false;
  const live = new Set<Worker>();
  const fork = () => {
    const worker = cluster.fork(env);
    live.add(worker);
    worker.once("exit", (code, signal) => {
      live.delete(worker);
      if (stopping) return;
      io.err(`warning: verifier worker ${worker.process.pid} exited (${signal ?? code}); starting another\n`);
      fork();
    });
    return worker;
  };
  const listening = await Promise.all(
    Array.from({ length: workers }, async () => {
      const worker = fork();
      const [message] = (await Promise.race([
        once(worker, "message") as Promise<[ListeningMessage]>,
        once(worker, "exit").then(() => {
          throw new TeezkError("CONFIG_INVALID", "a verifier worker exited before it listened; see its error above");
        }),
      ])) as [ListeningMessage];
      return message.teezkVerifierListening;
    }),
  ).catch(async (error: unknown) => {
    stopping = true;
    for (const worker of live) worker.kill("SIGTERM");
    throw error;
  });
  const { url, address } = listening[0]!;
  const line = { service: "verifier", url, address, committee: parameters.committee, workers };
  io.out(parameters.json ? `${JSON.stringify(line)}\n` : `verifier node ${address} listening on ${url} with ${workers} workers\n`);
  return {
    url,
    address,
    close: async () => {
      stopping = true;
      const exits = [...live].map((worker) => once(worker, "exit"));
      for (const worker of live) worker.kill("SIGTERM");
      // A worker that does not stop within the grace period is killed.
      const grace = setTimeout(() => {
        for (const worker of live) worker.kill("SIGKILL");
      }, STOP_GRACE_MS);
      await Promise.all(exits);
      clearTimeout(grace);
    },
  };
}

/** In a worker: tell the primary where this node listens (the primary prints the one listening line). */
export function reportListening(url: string, address: Hex): void {
  const message: ListeningMessage = { teezkVerifierListening: { url, address } };
  process.send?.(message);
}

export function isClusterWorker(): boolean {
  return cluster.isWorker;
}

/** The worker's key variable: --key-env, or the one the primary filled with its ephemeral key. */
export function workerKeyEnv(keyEnv: string | undefined): string | undefined {
  return keyEnv ?? (cluster.isWorker ? CLUSTER_KEY_ENV : undefined);
}
