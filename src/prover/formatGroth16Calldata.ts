import type { TeezkError } from "../errors/index.js";
import { parseGroth16Proof } from "./parseGroth16Proof.js";

/** The arguments of a snarkjs verifier's `verifyProof(a, b, c, pubSignals)`, and of proofDigest. */
export type Groth16Calldata = {
  a: readonly [bigint, bigint];
  b: readonly [readonly [bigint, bigint], readonly [bigint, bigint]];
  c: readonly [bigint, bigint];
  pubSignals: readonly bigint[];
};

export type FormatGroth16CalldataErrorType = TeezkError;

/**
 * A snarkjs proof as Solidity calldata. The projective third coordinate (always 1) is dropped, and each G2
 * coordinate pair is swapped: snarkjs writes Fp2 elements as (c0, c1), the EIP-197 precompile reads (c1, c0).
 * @throws TeezkError PROOF_MALFORMED when the proof or signals are not well-formed.
 */
export function formatGroth16Calldata(proof: unknown, publicSignals: unknown): Groth16Calldata {
  const parsed = parseGroth16Proof(proof, publicSignals);
  const { pi_a, pi_b, pi_c } = parsed.proof;
  return {
    a: [BigInt(pi_a[0]), BigInt(pi_a[1])],
    b: [
      [BigInt(pi_b[0][1]), BigInt(pi_b[0][0])],
      [BigInt(pi_b[1][1]), BigInt(pi_b[1][0])],
    ],
    c: [BigInt(pi_c[0]), BigInt(pi_c[1])],
    pubSignals: parsed.publicSignals.map(BigInt),
  };
}
