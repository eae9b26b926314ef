import type { Groth16Calldata } from "../../src/prover/index.js";

/** `verifyProof(a, b, c, pubSignals)`'s proof arguments (a, b, c), shared by every generated verifier. */
export const groth16ProofArguments = (c: Groth16Calldata) =>
  [
    [c.a[0], c.a[1]],
    [
      [c.b[0][0], c.b[0][1]],
      [c.b[1][0], c.b[1][1]],
    ],
    [c.c[0], c.c[1]],
  ] as const;

/** `verifyProof(a, b, c, pubSignals)`'s arguments for the membership verifiers (four public signals). */
export const verifyProofArguments = (c: Groth16Calldata) =>
  [...groth16ProofArguments(c), [c.pubSignals[0]!, c.pubSignals[1]!, c.pubSignals[2]!, c.pubSignals[3]!]] as const;
