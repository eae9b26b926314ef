import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { TeezkError } from "../errors/index.js";
import { normalizeWitnessInput } from "./normalizeWitnessInput.js";
import { parseGroth16Proof } from "./parseGroth16Proof.js";
import { resolveCircuitArtifacts } from "./resolveCircuitArtifacts.js";
import type { Groth16Proof, ProveParameters, ProveReturnType, Prover, VerifyParameters } from "./types.js";

export type CreateGroth16ProverParameters = {
  /** Folder holding `<name>/` and `scaling/<name>/` artifact folders; default circuits/build of this checkout. */
  buildDir?: string;
  /** A request running longer than this kills the prover process and fails with PROVER_FAILED. Default 10 min. */
  timeoutMs?: number;
};
export type CreateGroth16ProverReturnType = Prover<Groth16Proof>;
export type CreateGroth16ProverErrorType = TeezkError;

type Reply =
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

type Pending = { onReply: (reply: Reply) => void; onCrash: (error: TeezkError) => void };

const processScript = fileURLToPath(new URL("./groth16ProverProcess.mjs", import.meta.url));
const stderrTailBytes = 4096;

/**
 * The snarkjs Groth16 backend. Witness calculation and proving run in one prover process (forked on first
 * use and kept, so later proofs are warm: curve tables and wasm compiled). Requests are serialized, so each
 * proof's timings belong to it alone. A worker thread would be the lighter choice, but snarkjs' thread pool
 * (ffjavascript over `web-worker`) cannot run inside one; see groth16ProverProcess.mjs.
 *
 * @example
 * const prover = createGroth16Prover();
 * const { proof, publicSignals, timings } = await prover.prove({ circuit: "membership", witnessInput });
 * await prover.verify({ circuit: "membership", proof, publicSignals }); // true
 * await prover.close();
 */
export function createGroth16Prover(parameters: CreateGroth16ProverParameters = {}): CreateGroth16ProverReturnType {
  const timeoutMs = parameters.timeoutMs ?? 10 * 60_000;
  let child: ChildProcess | undefined;
  let stderrTail = "";
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
    // execArgv [] drops tsx/vitest loaders: the script is plain JavaScript.
    const created = fork(processScript, [], {
      execArgv: [],
      serialization: "advanced",
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    stderrTail = "";
    created.stderr?.on("data", (chunk: Buffer) => {
      stderrTail = (stderrTail + chunk.toString("utf8")).slice(-stderrTailBytes);
    });
    created.on("message", (reply: Reply) => pending.get(reply.id)?.onReply(reply));
    created.on("error", (error) => {
      if (child === created) child = undefined;
      crashAll(new TeezkError("PROVER_FAILED", "the groth16 prover process failed", { details: error.message, cause: error }));
    });
    created.on("exit", (code, signal) => {
      if (child === created) child = undefined;
      crashAll(
        new TeezkError("PROVER_FAILED", `the groth16 prover process exited (${signal ?? `code ${code}`})`, {
          details: stderrTail.trim() || undefined,
        }),
      );
    });
    child = created;
    return created;
  };

  const setIdle = (idle: boolean) => {
    // An idle prover must not keep the caller's process alive.
    const target = child as (ChildProcess & { channel?: { ref(): void; unref(): void } }) | undefined;
    if (!target) return;
    if (idle) {
      target.unref();
      target.channel?.unref();
    } else {
      target.ref();
      target.channel?.ref();
    }
  };

  /** Sends one request and settles on its final reply; serialized behind earlier requests. */
  const request = <T>(
    message: Record<string, unknown>,
    handle: (reply: Reply) => T | undefined,
    onSent?: () => void,
  ): Promise<T> => {
    const run = () =>
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
    const result = queue.then(run, run);
    queue = result.catch(() => undefined);
    return result;
  };

  return {
    backend: "groth16",

    async prove({ circuit, witnessInput, onProgress }: ProveParameters): Promise<ProveReturnType<Groth16Proof>> {
      const artifacts = resolveCircuitArtifacts({ circuit, buildDir: parameters.buildDir });
      const input = normalizeWitnessInput(witnessInput);
      let started = 0;
      // Timed from the moment the request is sent, so waiting behind another request is not counted.
      const onSent = () => {
        started = performance.now();
      };
      return request({ type: "prove", input, wasmPath: artifacts.wasmPath, zkeyPath: artifacts.zkeyPath }, (reply) => {
        if (reply.type === "progress") {
          onProgress?.({ stage: reply.stage, elapsedMs: performance.now() - started });
          return undefined;
        }
        if (reply.type === "error") {
          throw reply.stage === "witness"
            ? new TeezkError(
                "WITNESS_INVALID",
                `the witness for circuit "${artifacts.name}" could not be computed (missing input or unsatisfied constraint)`,
                { details: reply.message.slice(0, 2000) },
              )
            : new TeezkError("PROVER_FAILED", `snarkjs failed to prove circuit "${artifacts.name}"`, {
                details: reply.message.slice(0, 2000),
              });
        }
        if (reply.type !== "result") return undefined;
        const ms = performance.now() - started;
        onProgress?.({ stage: "done", elapsedMs: ms });
        return {
          proof: reply.proof,
          publicSignals: reply.publicSignals,
          timings: { ms, witnessMs: reply.witnessMs, proveMs: reply.proveMs },
          peakRssMiB: reply.peakRssMiB,
        };
      }, onSent);
    },

    async verify({ circuit, proof, publicSignals }: VerifyParameters<Groth16Proof>): Promise<boolean> {
      const artifacts = resolveCircuitArtifacts({ circuit, buildDir: parameters.buildDir });
      const parsed = parseGroth16Proof(proof, publicSignals);
      return request({ type: "verify", verificationKeyPath: artifacts.verificationKeyPath, ...parsed }, (reply) => {
        if (reply.type === "error") {
          throw new TeezkError("PROVER_FAILED", `snarkjs could not verify against circuit "${artifacts.name}"`, {
            details: reply.message.slice(0, 2000),
          });
        }
        return reply.type === "verified" ? reply.valid : undefined;
      });
    },

    async close(): Promise<void> {
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
