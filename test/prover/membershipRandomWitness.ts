import { bn254ScalarField, membershipTreeDepth } from "../../src/prover/index.js";
import { seededDraw } from "./seededDraw.js";

/**
 * The membership circuit's witness input for seed `seed`: every field drawn from SHA-256 of (seed, name), so a
 * run is reproducible. Any identity, path and siblings satisfy the circuit (the root is an output), so every
 * seed takes the same path through the prover: nothing here can make a test flaky.
 */
export function membershipRandomWitness(seed: number): Record<string, unknown> {
  const draw = seededDraw(`teezk/differential/${seed}`);
  const field = (name: string) => draw(name) % bn254ScalarField;
  const depth = Array.from({ length: membershipTreeDepth }, (_, level) => level);
  return {
    identityNullifier: field("identityNullifier"),
    identityTrapdoor: field("identityTrapdoor"),
    treePathIndices: depth.map((level) => field(`index/${level}`) & 1n),
    treeSiblings: depth.map((level) => field(`sibling/${level}`)),
    signalHash: field("signalHash"),
    externalNullifier: field("externalNullifier"),
  };
}
