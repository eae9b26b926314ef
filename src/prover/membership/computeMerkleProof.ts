import { TeezkError } from "../../errors/index.js";
import { poseidonHash } from "./poseidonHash.js";

/** The membership circuit's tree depth (circuits/membership.circom: Membership(20)). */
export const membershipTreeDepth = 20;

export type ComputeMerkleProofParameters = {
  /** The leaves in insertion order; positions past the end hold the zero leaf 0. */
  leaves: readonly bigint[];
  index: number;
  depth?: number;
};

export type ComputeMerkleProofReturnType = {
  root: bigint;
  leaf: bigint;
  /** Sibling at each level, leaf level first. */
  siblings: bigint[];
  /** 0 when the path node is the left child at that level, 1 when it is the right child. */
  pathIndices: number[];
};

export type ComputeMerkleProofErrorType = TeezkError;

/**
 * Root and authentication path in the binary Poseidon tree the membership circuit checks: node =
 * Poseidon(left, right), empty leaves 0, empty subtrees the hash chain of zeros. Work is O(leaves + depth).
 * @throws TeezkError WITNESS_INVALID for a depth outside 1..32, too many leaves or an index out of range.
 */
export function computeMerkleProof(parameters: ComputeMerkleProofParameters): ComputeMerkleProofReturnType {
  const depth = parameters.depth ?? membershipTreeDepth;
  const { leaves, index } = parameters;
  if (!Number.isInteger(depth) || depth < 1 || depth > 32) {
    throw new TeezkError("WITNESS_INVALID", `tree depth must be 1..32, not ${depth}`);
  }
  if (leaves.length > 2 ** depth) {
    throw new TeezkError("WITNESS_INVALID", `${leaves.length} leaves do not fit a tree of depth ${depth}`);
  }
  if (!Number.isInteger(index) || index < 0 || index >= leaves.length) {
    throw new TeezkError("WITNESS_INVALID", `leaf index ${index} is not among the ${leaves.length} leaves`);
  }
  let zero = 0n;
  let level = [...leaves];
  let position = index;
  const siblings: bigint[] = [];
  const pathIndices: number[] = [];
  for (let d = 0; d < depth; d++) {
    const isRight = position & 1;
    siblings.push(level[position ^ 1] ?? zero);
    pathIndices.push(isRight);
    const next: bigint[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(poseidonHash([level[i]!, level[i + 1] ?? zero]));
    level = next;
    zero = poseidonHash([zero, zero]);
    position >>= 1;
  }
  return { root: level[0]!, leaf: leaves[index]!, siblings, pathIndices };
}
