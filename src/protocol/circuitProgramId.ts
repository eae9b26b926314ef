import { readFileSync } from "node:fs";
import { keccak256, type Hex } from "viem";
import { TeezkError } from "../errors/index.js";
import { resolveCircuitArtifacts } from "../prover/index.js";

export type CircuitProgramIdParameters = {
  circuit: string;
  /** Circuits build folder; default as `resolveCircuitArtifacts`. */
  buildDir?: string;
};
export type CircuitProgramIdErrorType = TeezkError;

const cache = new Map<string, Hex>();

/**
 * The default programId of a Groth16 circuit's receipts: keccak256 of its verification_key.json as built. It
 * names the exact keys, so a receipt for a rebuilt (re-ceremonied) circuit of the same name is another program.
 * Deployments that chose their own id (PrivateProofVerifier's constructor argument) pass it explicitly to the
 * node and the client instead.
 */
export function circuitProgramId({ circuit, buildDir }: CircuitProgramIdParameters): Hex {
  const artifacts = resolveCircuitArtifacts({ circuit, ...(buildDir ? { buildDir } : {}) });
  const cached = cache.get(artifacts.verificationKeyPath);
  if (cached) return cached;
  let bytes: Buffer;
  try {
    bytes = readFileSync(artifacts.verificationKeyPath);
  } catch (cause) {
    throw new TeezkError("CIRCUIT_NOT_BUILT", `Cannot read the verification key of circuit "${circuit}"`, { cause });
  }
  const id = keccak256(new Uint8Array(bytes));
  cache.set(artifacts.verificationKeyPath, id);
  return id;
}
