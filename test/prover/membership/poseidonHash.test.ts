import { describe, expect, it } from "vitest";
import { isTeezkError } from "../../../src/errors/index.js";
import { bn254ScalarField, poseidonHash } from "../../../src/prover/index.js";

// Reference vectors published with circomlibjs (test/poseidon.js) for the circomlib Poseidon over BN254;
// the same constants are in circomlib/circuits/poseidon_constants_old.circom (first C of t=2 below).
describe("poseidonHash", () => {
  it("matches circomlibjs' published vectors", () => {
    expect(poseidonHash([1n, 2n])).toBe(0x115cc0f5e7d690413df64c6b9662e9cf2a3617f2743245519e19607a4417189an);
    expect(poseidonHash([1n, 2n, 3n, 4n])).toBe(
      0x299c867db6c1fdd79dcefa40e4510b9837e60ebb1ce0663dbaa525df65250465n,
    );
  });

  it("is sensitive to order and arity", () => {
    expect(poseidonHash([2n, 1n])).not.toBe(poseidonHash([1n, 2n]));
    expect(poseidonHash([1n])).not.toBe(poseidonHash([1n, 0n]));
  });

  it("refuses inputs outside the field and unsupported arities", () => {
    for (const bad of [[bn254ScalarField], [-1n], [], new Array<bigint>(17).fill(0n)]) {
      let caught: unknown;
      try {
        poseidonHash(bad);
      } catch (error) {
        caught = error;
      }
      expect(isTeezkError(caught, "WITNESS_INVALID")).toBe(true);
    }
  });
});
