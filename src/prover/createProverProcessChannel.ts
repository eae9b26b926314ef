import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { TeezkError } from "../errors/index.js";
import type { Groth16Proof } from "./types.js";

export type ProverProcessReply =
  | { id: number; type: "progress"; stage: "witness" | "prove"; elapsedMs: number }
  | {
      id: number;
      type: "result";
      proof: Groth16Proof;
      publicSignals: string[];
      witnessMs: number;
      proveMs: number;
      peakRssMiB: number;
    }
  | { id: number; type: "verified"; valid: boolean }
  | { id: number; type: "error"; stage: string; message: string };

export type CreateProverProcessChannelParameters = {
  /** A request running longer than this kills the prover process and fails with PROVER_FAILED. */
  timeoutMs: number;
};

export type ProverProcessChannel = {
  /**
   * Sends one request and settles on the first reply `handle` maps to a value (undefined: not final yet);
   * serialized behind earlier requests. `onSent` runs when this request, not an earlier one, goes out.
   */
  request<T>(message: Record<string, unknown>, handle: (reply: ProverProcessReply) => T | undefined, onSent?: () => void): Promise<T>;
  /** Fails every pending request and ends the process; later requests fail with PROVER_FAILED. */
  close(): Promise<void>;
};
export type CreateProverProcessChannelReturnType = ProverProcessChannel;
export type CreateProverProcessChannelErrorType = TeezkError;

type Pending = { onReply: (reply: ProverProcessReply) => void; onCrash: (error: TeezkError) => void };

const processScript = fileURLToPath(new URL("./groth16ProverProcess.mjs", import.meta.url));
const stderrTailBytes = 4096;

/**
 * The request/reply channel to groth16ProverProcess.mjs: forks it on first use and keeps it (later proofs are
 * warm), forks a fresh one after a crash or a timeout, and unrefs it while idle.
 */
export function createProverProcessChannel({ timeoutMs }: CreateProverProcessChannelParameters): CreateProverProcessChannelReturnType {
  let child: ChildProcess | undefined;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  const crashAll = (error: TeezkError) => {
    for (const entry of pending.values()) entry.onCrash(error);
    pending.clear();
  };

  const getChild = (): ChildProcess => {
    if (closed) throw new TeezkError("PROVER_FAILED", "the prover was closed");
    if (child) return child;
    const created = forkProverProcess({
      onReply: (reply) => pending.get(reply.id)?.onReply(reply),
      onGone: (error) => {
        // A process already replaced (killed at a timeout, or closed) has no pending request left: its late
        // exit must not fail the requests of the process that replaced it.
        if (child !== created) return;
        child = undefined;
        crashAll(error);
      },
    });
    child = created;
    return created;
  };

  const setIdle = (idle: boolean) => {
    if (child) setProcessIdle(child, idle);
  };

  const send = <T>(message: Record<string, unknown>, handle: (reply: ProverProcessReply) => T | undefined, onSent?: () => void) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      let target: ChildProcess;
      try {
        target = getChild();
      } catch (error) {
        return reject(error);
      }
      setIdle(false);
      const finish = () => {
        clearTimeout(timer);
        pending.delete(id);
        if (pending.size === 0) setIdle(true);
      };
      const timer = setTimeout(() => {
        finish();
        reject(new TeezkError("PROVER_FAILED", `the groth16 prover did not answer within ${timeoutMs} ms`));
        // A stuck snarkjs call cannot be cancelled: kill the process; the next request forks a fresh one.
        if (child === target) child = undefined;
        target.kill("SIGKILL");
      }, timeoutMs);
      pending.set(id, {
        onReply: (reply) => {
          try {
            const value = handle(reply);
            if (value === undefined) return;
            finish();
            resolve(value);
          } catch (error) {
            finish();
            reject(error);
          }
        },
        onCrash: (error) => {
          finish();
          reject(error);
        },
      });
      onSent?.();
      target.send({ ...message, id });
    });

  return {
    request(message, handle, onSent) {
      const run = () => send(message, handle, onSent);
      const result = queue.then(run, run);
      queue = result.catch(() => undefined);
      return result;
    },

    async close() {
      closed = true;
      setIdle(false); // an unref'd child's exit would not keep this process alive until the await below
      const current = child;
      child = undefined;
      crashAll(new TeezkError("PROVER_FAILED", "the prover was closed"));
      if (current && current.exitCode === null) {
        const exited = new Promise((resolve) => current.once("exit", resolve));
        current.kill("SIGTERM");
        await exited;
      }
    },
  };
}

/** Forks the prover process; `onGone` gets the failure once it errors or exits, with its last stderr. */
function forkProverProcess(handlers: { onReply: (reply: ProverProcessReply) => void; onGone: (error: TeezkError) => void }): ChildProcess {
  // execArgv [] drops tsx/vitest loaders: the script is plain JavaScript.
  const created = fork(processScript, [], {
    execArgv: [],
    serialization: "advanced",
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  let stderrTail = "";
  created.stderr?.on("data", (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString("utf8")).slice(-stderrTailBytes);
  });
  created.on("message", handlers.onReply);
  created.on("error", (error) => {
    handlers.onGone(new TeezkError("PROVER_FAILED", "the groth16 prover process failed", { details: error.message, cause: error }));
  });
  created.on("exit", (code, signal) => {
    handlers.onGone(
      new TeezkError("PROVER_FAILED", `the groth16 prover process exited (${signal ?? `code ${code}`})`, {
        details: stderrTail.trim() || undefined,
      }),
    );
  });
  return created;
}

/** An idle prover must not keep the caller's process alive. */
function setProcessIdle(target: ChildProcess, idle: boolean): void {
  const withChannel = target as ChildProcess & { channel?: { ref(): void; unref(): void } };
  if (idle) {
    withChannel.unref();
    withChannel.channel?.unref();
  } else {
    withChannel.ref();
    withChannel.channel?.ref();
  }
}
