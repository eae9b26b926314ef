import { existsSync } from "node:fs";
import { TeezkError } from "../errors/index.js";
import { zkprogramReleaseBinary } from "./zkprogramBinary.js";

export const groth16Engines = ["snarkjs", "native"] as const;
export type Groth16Engine = (typeof groth16Engines)[number];

export const defaultNativeGroth16Binary = zkprogramReleaseBinary("teezk-groth16");

export const nativeGroth16BuildHint = "Build it with: cd zkprogram && cargo build --release -p teezk-groth16";

export type ResolveGroth16EngineParameters = {
  engine?: Groth16Engine;
  nativeBinary?: string;
  onFallback?: (reason: string) => void;
  env?: NodeJS.ProcessEnv;
};
export type ResolveGroth16EngineReturnType = { engine: Groth16Engine; nativeBinaryPath?: string };

/**
 * The engine a Groth16 prover will use (`engine`, else TEEZK_GROTH16_ENGINE, else snarkjs): native only when asked for and its binary exists; a missing binary
 * falls back to snarkjs and says so (the proofs are the same format, so callers need not care beyond speed).
 */
export function resolveGroth16Engine({ engine: requested, nativeBinary, onFallback, env = process.env }: ResolveGroth16EngineParameters): ResolveGroth16EngineReturnType {
  // TEEZK_GROTH16_ENGINE configures every prover and verifier a process makes (prover node, CLI, client checks).
  const engine = requested ?? ((env.TEEZK_GROTH16_ENGINE || "snarkjs") as Groth16Engine);
  if (!groth16Engines.includes(engine)) {
    throw new TeezkError("CONFIG_INVALID", `unknown Groth16 engine "${String(engine)}" (expected ${groth16Engines.join(" or ")})`);
  }
  if (engine === "snarkjs") return { engine };
  const binary = nativeBinary ?? env.TEEZK_GROTH16_BIN ?? defaultNativeGroth16Binary;
  if (existsSync(binary)) return { engine, nativeBinaryPath: binary };
  const reason = `the native Groth16 prover ${binary} is missing, so snarkjs proves instead. ${nativeGroth16BuildHint}`;
  (onFallback ?? ((text: string) => process.stderr.write(`teezk: ${text}\n`)))(reason);
  return { engine: "snarkjs" };
}
