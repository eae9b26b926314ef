import { z } from "zod";
import { TeezkError } from "../errors/index.js";
import { bn254ScalarField } from "./normalizeWitnessInput.js";
import type { Groth16Proof } from "./types.js";

/** The BN254 base field order: every proof coordinate is below it. */
export const bn254BaseField = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;

const coordinate = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,77})$/, "a decimal integer")
  .refine((s) => BigInt(s) < bn254BaseField, "below the BN254 base field order");

const groth16ProofSchema = z.object({
  pi_a: z.tuple([coordinate, coordinate, coordinate]),
  pi_b: z.tuple([
    z.tuple([coordinate, coordinate]),
    z.tuple([coordinate, coordinate]),
    z.tuple([coordinate, coordinate]),
  ]),
  pi_c: z.tuple([coordinate, coordinate, coordinate]),
  protocol: z.literal("groth16"),
  curve: z.literal("bn128"),
});

const publicSignalsSchema = z
  .array(
    z
      .string()
      .regex(/^(0|[1-9][0-9]{0,77})$/, "a decimal integer")
      .refine((s) => BigInt(s) < bn254ScalarField, "below the BN254 scalar field order"),
  )
  .max(1024);

export type ParseGroth16ProofReturnType = { proof: Groth16Proof; publicSignals: string[] };

/**
 * Checks a snarkjs proof and its public signals are well-formed (shapes, decimal strings, field ranges) and
 * returns typed copies. Whether the proof is *valid* is for verify.
 * @throws TeezkError PROOF_MALFORMED with the zod path of the first problem.
 */
export function parseGroth16Proof(proof: unknown, publicSignals: unknown): ParseGroth16ProofReturnType {
  const parsedProof = groth16ProofSchema.safeParse(proof);
  if (!parsedProof.success) {
    const issue = parsedProof.error.issues[0];
    throw new TeezkError("PROOF_MALFORMED", "the Groth16 proof is not well-formed", {
      details: `${issue?.path.join(".") || "proof"}: ${issue?.message}`,
    });
  }
  const parsedSignals = publicSignalsSchema.safeParse(publicSignals);
  if (!parsedSignals.success) {
    const issue = parsedSignals.error.issues[0];
    throw new TeezkError("PROOF_MALFORMED", "the public signals are not well-formed", {
      details: `publicSignals.${issue?.path.join(".")}: ${issue?.message}`,
    });
  }
  return { proof: parsedProof.data as Groth16Proof, publicSignals: parsedSignals.data };
}
