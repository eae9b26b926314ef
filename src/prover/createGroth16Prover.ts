import { TeezkError } from "../errors/index.js";
import { createNativeGroth16Verifier } from "./createNativeGroth16Verifier.js";
import { createProverProcessChannel, type ProverProcessReply } from "./createProverProcessChannel.js";
import { resolveGroth16Engine, type Groth16Engine } from "./resolveGroth16Engine.js";
import { normalizeWitnessInput } from "./normalizeWitnessInput.js";
import { parseGroth16Proof } from "./parseGroth16Proof.js";
import { resolveCircuitArtifacts } from "./resolveCircuitArtifacts.js";
import type { Groth16Proof, ProveParameters, ProveReturnType, Prover, VerifyParameters } from "./types.js";

export type CreateGroth16ProverParameters = {
  /** Folder holding `<name>/` and `scaling/<name>/` artifact folders; default circuits/build of this checkout. */
  buildDir?: string;
  /** A request running longer than this kills the prover process and fails with PROVER_FAILED. Default 10 min. */
  timeoutMs?: number;
  /**
   * "native" proves and verifies with zkprogram/groth16's `teezk-groth16` (witnesses stay with snarkjs' wasm
   * calculator); "snarkjs" does everything in JavaScript. Default: TEEZK_GROTH16_ENGINE, else "snarkjs". Native falls back to snarkjs, through
   * `onFallback`, when its binary is missing.
   */
  engine?: Groth16Engine;
  /** The native binary; default TEEZK_GROTH16_BIN, else zkprogram/target/release/teezk-groth16. */
  nativeBinary?: string;
  /** Told why a requested native engine fell back to snarkjs; default: one line on stderr. */
  onFallback?: (reason: string) => void;
};
export type CreateGroth16ProverReturnType = Prover<Groth16Proof> & {
  /** The engine actually in use (after any fallback). */
  readonly engine: Groth16Engine;
};
export type CreateGroth16ProverErrorType = TeezkError;

/**
 * The Groth16 backend, over snarkjs or the native prover (`engine`). Witness calculation and proving run in one prover process (forked on first
 * use and kept, so later proofs are warm: curve tables and wasm compiled). Requests are serialized, so each
 * proof's timings belong to it alone. A worker thread would be the lighter choice, but snarkjs' thread pool
 * (ffjavascript over `web-worker`) cannot run inside one; see groth16ProverProcess.mjs. Native verification skips
 * that process: the caller's process sends it to teezk-groth16 directly (createNativeGroth16Verifier).
 *
 * @example
 * const prover = createGroth16Prover();
 * const { proof, publicSignals, timings } = await prover.prove({ circuit: "membership", witnessInput });
 * await prover.verify({ circuit: "membership", proof, publicSignals }); // true
 * await prover.close();
 */
export function createGroth16Prover(parameters: CreateGroth16ProverParameters = {}): CreateGroth16ProverReturnType {
  const timeoutMs = parameters.timeoutMs ?? 10 * 60_000;
  const channel = createProverProcessChannel({ timeoutMs });
  const { engine, nativeBinaryPath } = resolveGroth16Engine(parameters);
  // Native verification needs no witness calculator: the caller's process talks to teezk-groth16 itself.
  const nativeVerifier = nativeBinaryPath ? createNativeGroth16Verifier({ binaryPath: nativeBinaryPath, timeoutMs }) : undefined;
  const engineName = engine === "native" ? "the native prover (teezk-groth16)" : "snarkjs";
  return {
    backend: "groth16",
    engine,

    async prove({ circuit, witnessInput, onProgress }: ProveParameters): Promise<ProveReturnType<Groth16Proof>> {
      const artifacts = resolveCircuitArtifacts({ circuit, buildDir: parameters.buildDir });
      const input = normalizeWitnessInput(witnessInput);
      let started = 0;
      // Timed from the moment the request is sent, so waiting behind another request is not counted.
      const onSent = () => {
        started = performance.now();
      };
      const handle = (reply: ProverProcessReply) => proveReply(reply, artifacts.name, engineName, performance.now() - started, onProgress);
      const request = { type: "prove", input, wasmPath: artifacts.wasmPath, zkeyPath: artifacts.zkeyPath, nativeBinaryPath };
      return channel.request(request, handle, onSent);
    },

    async verify({ circuit, proof, publicSignals }: VerifyParameters<Groth16Proof>): Promise<boolean> {
      const artifacts = resolveCircuitArtifacts({ circuit, buildDir: parameters.buildDir });
      const parsed = parseGroth16Proof(proof, publicSignals);
      if (nativeVerifier) return nativeVerifier.verify({ verificationKeyPath: artifacts.verificationKeyPath, ...parsed });
      return channel.request({ type: "verify", verificationKeyPath: artifacts.verificationKeyPath, ...parsed }, (reply) => {
        if (reply.type === "error") {
          throw new TeezkError("PROVER_FAILED", `${engineName} could not verify against circuit "${artifacts.name}"`, {
            details: reply.message.slice(0, 2000),
          });
        }
        return reply.type === "verified" ? reply.valid : undefined;
      });
    },

    close: async () => {
      await Promise.all([channel.close(), nativeVerifier?.close()]);
    },
  };
}

/** Maps the prover process's replies to a prove request: progress is reported, the result or error is final. */
function proveReply(
  reply: ProverProcessReply,
  circuitName: string,
  engineName: string,
  elapsedMs: number,
  onProgress: ProveParameters["onProgress"],
): ProveReturnType<Groth16Proof> | undefined {
  if (reply.type === "progress") {
    onProgress?.({ stage: reply.stage, elapsedMs });
    return undefined;
  }
  if (reply.type === "error") {
    throw reply.stage === "witness"
      ? new TeezkError(
          "WITNESS_INVALID",
          `the witness for circuit "${circuitName}" could not be computed (missing input or unsatisfied constraint)`,
          { details: reply.message.slice(0, 2000) },
        )
      : new TeezkError("PROVER_FAILED", `${engineName} failed to prove circuit "${circuitName}"`, {
          details: reply.message.slice(0, 2000),
        });
  }
  if (reply.type !== "result") return undefined;
  onProgress?.({ stage: "done", elapsedMs });
  return {
    proof: reply.proof,
    publicSignals: reply.publicSignals,
    timings: { ms: elapsedMs, witnessMs: reply.witnessMs, proveMs: reply.proveMs },
    peakRssMiB: reply.peakRssMiB,
  };
}
