import { TeezkError } from "../errors/index.js";
import { encodeAccountLeaf, type RollupAccount } from "./accountLeaf.js";
import { accountTreeRoot, createAccountTree, rollupTreeDepth, setAccountTreeLeaf, type AccountTree } from "./accountTree.js";

/** A rollup state: the account tree and the accounts it commits to (slot index → account). Treat as immutable. */
export type RollupState = {
  readonly tree: AccountTree;
  readonly accounts: ReadonlyMap<number, RollupAccount>;
  readonly root: bigint;
};

export type CreateRollupStateParameters = {
  /** Opening balances of accounts 0..n-1 (every other slot is empty: a transfer to it is refused). */
  balances: readonly bigint[];
};
export type CreateRollupStateErrorType = TeezkError;

/**
 * The genesis state: accounts 0..n-1 with the given balances and nonce 0.
 * @throws TeezkError ROLLUP_TRANSFER_REFUSED for a balance out of range, WITNESS_INVALID when they do not fit.
 */
export function createRollupState({ balances }: CreateRollupStateParameters): RollupState {
  if (!Array.isArray(balances) || balances.length === 0 || balances.length > 2 ** rollupTreeDepth) {
    throw new TeezkError("WITNESS_INVALID", `a rollup needs 1 to ${2 ** rollupTreeDepth} opening accounts`);
  }
  const tree = createAccountTree(rollupTreeDepth);
  const accounts = new Map<number, RollupAccount>();
  balances.forEach((balance, index) => {
    const account = { balance, nonce: 0 };
    setAccountTreeLeaf(tree, index, encodeAccountLeaf(account));
    accounts.set(index, account);
  });
  return { tree, accounts, root: accountTreeRoot(tree) };
}
