import { TeezkError } from "../errors/index.js";
import { poseidonHash } from "../prover/membership/poseidonHash.js";

/** The rollup circuit's tree depth (circuits/rollup.circom: RollupBatch(16, 4)): 65,536 account slots. */
export const rollupTreeDepth = 16;

/**
 * A sparse binary Poseidon Merkle tree (node = Poseidon(left, right), empty leaf 0, empty subtrees the hash chain
 * of zeros) holding only the nodes on some non-empty path, so an update costs `depth` hashes whatever the size.
 * Mutable: copy it with cloneAccountTree before changing a state someone else holds.
 */
export type AccountTree = {
  readonly depth: number;
  /** levels[0] are the leaves; levels[depth] holds the root at index 0. Absent entries are zeros[level]. */
  readonly levels: Map<number, bigint>[];
  readonly zeros: readonly bigint[];
};

const zeroChains = new Map<number, bigint[]>();

function zeroChain(depth: number): bigint[] {
  let zeros = zeroChains.get(depth);
  if (!zeros) {
    zeros = [0n];
    for (let level = 0; level < depth; level++) zeros.push(poseidonHash([zeros[level]!, zeros[level]!]));
    zeroChains.set(depth, zeros);
  }
  return zeros;
}

export function createAccountTree(depth: number = rollupTreeDepth): AccountTree {
  if (!Number.isInteger(depth) || depth < 1 || depth > 32) throw new TeezkError("WITNESS_INVALID", `tree depth must be 1..32, not ${depth}`);
  return { depth, levels: Array.from({ length: depth + 1 }, () => new Map<number, bigint>()), zeros: zeroChain(depth) };
}

export function cloneAccountTree(tree: AccountTree): AccountTree {
  return { depth: tree.depth, levels: tree.levels.map((level) => new Map(level)), zeros: tree.zeros };
}

function node(tree: AccountTree, level: number, index: number): bigint {
  return tree.levels[level]!.get(index) ?? tree.zeros[level]!;
}

function checkIndex(tree: AccountTree, index: number): void {
  if (!Number.isSafeInteger(index) || index < 0 || index >= 2 ** tree.depth) {
    throw new TeezkError("WITNESS_INVALID", `leaf index ${String(index).slice(0, 40)} is outside a tree of depth ${tree.depth}`);
  }
}

export function accountTreeRoot(tree: AccountTree): bigint {
  return node(tree, tree.depth, 0);
}

export function accountTreeLeaf(tree: AccountTree, index: number): bigint {
  checkIndex(tree, index);
  return node(tree, 0, index);
}

/** The authentication path of a slot, leaf level first (the circuit's `siblings`). */
export function accountTreeSiblings(tree: AccountTree, index: number): bigint[] {
  checkIndex(tree, index);
  const siblings: bigint[] = [];
  for (let level = 0, position = index; level < tree.depth; level++, position >>= 1) siblings.push(node(tree, level, position ^ 1));
  return siblings;
}

/** Writes a leaf and rehashes its path (depth Poseidon calls). */
export function setAccountTreeLeaf(tree: AccountTree, index: number, leaf: bigint): void {
  checkIndex(tree, index);
  tree.levels[0]!.set(index, leaf);
  let current = leaf;
  for (let level = 0, position = index; level < tree.depth; level++, position >>= 1) {
    const sibling = node(tree, level, position ^ 1);
    current = position & 1 ? poseidonHash([sibling, current]) : poseidonHash([current, sibling]);
    tree.levels[level + 1]!.set(position >> 1, current);
  }
}
