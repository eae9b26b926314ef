import type { Hex } from "viem";
import { accountTreeRoot, createAccountTree, rootToHex } from "../rollup/index.js";

/**
 * The root of the rollup with no accounts (every slot empty): the ZK genesis of a devnet that runs no rollup of
 * its own, so RollupRootProofVerifier (which refuses a zero genesis) can still be its roots contract's ZK leg.
 */
export function emptyRollupRoot(): Hex {
  return rootToHex(accountTreeRoot(createAccountTree()));
}
