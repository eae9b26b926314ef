import { TeezkError } from "../errors/index.js";
import { createNativeGroth16Process, type NativeGroth16Process } from "./nativeGroth16Process.mjs";
import type { Groth16Proof } from "./types.js";

export type CreateNativeGroth16VerifierParameters = {
  /** The `teezk-groth16` binary (resolveGroth16Engine's nativeBinaryPath). */
  binaryPath: string;
  /** A verification not answered within this kills the process and fails with PROVER_FAILED. */
  timeoutMs: number;
};
export type NativeGroth16Verifier = {
  /** The pairing check of `proof` for `publicSignals` under the key at `verificationKeyPath` (already parsed input). */
  verify(parameters: { verificationKeyPath: string; proof: Groth16Proof; publicSignals: readonly string[] }): Promise<boolean>;
  close(): Promise<void>;
};
export type CreateNativeGroth16VerifierReturnType = NativeGroth16Verifier;
export type CreateNativeGroth16VerifierErrorType = TeezkError;

/**
 * Groth16 verification by the native engine, spawned by and talking to the caller's own process: no Node.js
 * child in between (a hop that cost a process wake-up, two IPC messages and a re-serialization per proof, the
 * larger part of a delegating client's check time on a busy machine). The process starts on the first request
 * and stays, with each verification key prepared once; it does not keep the caller alive while idle. After a
 * failure or a timeout the next request starts a fresh one.
 */
export function createNativeGroth16Verifier({ binaryPath, timeoutMs }: CreateNativeGroth16VerifierParameters): CreateNativeGroth16VerifierReturnType {
  let native: NativeGroth16Process | undefined;
  let inFlight = 0;
  let closed = false;

  const current = (): NativeGroth16Process => {
    if (closed) throw new TeezkError("PROVER_FAILED", "the native Groth16 verifier was closed");
    if (!native || native.failed) native = createNativeGroth16Process(binaryPath);
    return native;
  };

  return {
    async verify({ verificationKeyPath, proof, publicSignals }) {
      const target = current();
      inFlight += 1;
      target.setIdle(false);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          // A stuck verification cannot be cancelled: end the process; the next request starts another.
          void target.kill();
          reject(new TeezkError("PROVER_FAILED", `the native Groth16 verifier did not answer within ${timeoutMs} ms`));
        }, timeoutMs);
      });
      try {
        return await Promise.race([target.verify(verificationKeyPath, proof, publicSignals), timedOut]);
      } catch (error) {
        if (error instanceof TeezkError) throw error;
        throw new TeezkError("PROVER_FAILED", "the native Groth16 verifier failed", {
          details: (error instanceof Error ? error.message : String(error)).slice(0, 2000),
          cause: error,
        });
      } finally {
        clearTimeout(timer);
        inFlight -= 1;
        if (inFlight === 0 && target === native) target.setIdle(true);
      }
    },

    async close() {
      closed = true;
      const last = native;
      native = undefined;
      await last?.kill();
    },
  };
}
