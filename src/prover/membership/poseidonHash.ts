import { grainGenConstants, poseidon, type PoseidonFn } from "@noble/curves/abstract/poseidon.js";
import { bn254_Fr } from "@noble/curves/bn254.js";
import { TeezkError } from "../../errors/index.js";
import { bn254ScalarField } from "../normalizeWitnessInput.js";

// circomlib's Poseidon over BN254: x^5 S-box, 8 full rounds, partial rounds per width t = inputs + 1
// (circomlib/circuits/poseidon.circom N_ROUNDS_P). Its constants come from the reference Grain LFSR script,
// which noble's grainGenConstants implements; tests pin known circomlibjs vectors and the circuit's own output.
const partialRounds = [56, 57, 56, 60, 60, 63, 64, 63, 60, 66, 60, 65, 70, 60, 64, 68] as const;
const permutations = new Map<number, PoseidonFn>();

function permutation(t: number): PoseidonFn {
  let fn = permutations.get(t);
  if (!fn) {
    const roundsPartial = partialRounds[t - 2]!;
    const constants = grainGenConstants({ Fp: bn254_Fr, t, roundsFull: 8, roundsPartial });
    fn = poseidon({ Fp: bn254_Fr, t, roundsFull: 8, roundsPartial, sboxPower: 5, ...constants });
    permutations.set(t, fn);
  }
  return fn;
}

export type PoseidonHashErrorType = TeezkError;

/**
 * circomlib-compatible Poseidon hash of 1 to 16 field elements (what `Poseidon(n)` outputs in a circuit).
 * @throws TeezkError WITNESS_INVALID for an arity outside 1..16 or an input outside the BN254 scalar field.
 */
export function poseidonHash(inputs: readonly bigint[]): bigint {
  if (inputs.length < 1 || inputs.length > partialRounds.length) {
    throw new TeezkError("WITNESS_INVALID", `Poseidon takes 1 to ${partialRounds.length} inputs, not ${inputs.length}`);
  }
  for (const x of inputs) {
    if (x < 0n || x >= bn254ScalarField) {
      throw new TeezkError("WITNESS_INVALID", "a Poseidon input is outside the BN254 scalar field");
    }
  }
  // circomlib puts the capacity element (0) first and returns the first state word.
  return permutation(inputs.length + 1)([0n, ...inputs])[0]!;
}
