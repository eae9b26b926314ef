import { TeezkError } from "../errors/index.js";
import { encodeAccountLeaf, rollupMaxBalance, type RollupAccount } from "./accountLeaf.js";
import { accountTreeRoot, accountTreeSiblings, cloneAccountTree, rollupTreeDepth, setAccountTreeLeaf } from "./accountTree.js";
import type { RollupState } from "./rollupState.js";

/** Transfers per batch: the circuit's fixed size (circuits/rollup.circom: RollupBatch(16, 4)). */
export const rollupBatchSize = 4;

/** Moves `amount` from slot `from` to slot `to`; `nonce` must be the sender's current nonce. */
export type RollupTransfer = { from: number; to: number; amount: bigint; nonce: number };

/** The circuit's input for one batch: public prevRoot and epoch, the transfers and their Merkle openings. */
export type RollupWitnessInput = {
  prevRoot: bigint;
  epoch: bigint;
  from: number[];
  to: number[];
  amount: bigint[];
  nonce: number[];
  senderBalance: bigint[];
  senderSiblings: bigint[][];
  receiverBalance: bigint[];
  receiverNonce: number[];
  receiverSiblings: bigint[][];
};

export type ApplyRollupBatchParameters = {
  state: RollupState;
  batch: readonly RollupTransfer[];
  /** The epoch the batch is for: a public signal of the proof, so a proof is for one epoch only. */
  epoch: bigint;
};
export type ApplyRollupBatchReturnType = {
  state: RollupState;
  previousRoot: bigint;
  newRoot: bigint;
  witnessInput: RollupWitnessInput;
};
export type ApplyRollupBatchErrorType = TeezkError;

const refuse = (index: number, message: string) => new TeezkError("ROLLUP_TRANSFER_REFUSED", `transfer ${index}: ${message}`);

function checkShape(batch: readonly RollupTransfer[], epoch: bigint): void {
  if (!Array.isArray(batch) || batch.length !== rollupBatchSize) {
    throw new TeezkError("ROLLUP_BATCH_INVALID", `a batch holds exactly ${rollupBatchSize} transfers`);
  }
  if (typeof epoch !== "bigint" || epoch < 0n || epoch >= 1n << 64n) throw new TeezkError("ROLLUP_BATCH_INVALID", "the epoch must be a uint64 bigint");
  batch.forEach((transfer, index) => {
    const slots = 2 ** rollupTreeDepth;
    const isSlot = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) < slots;
    if (transfer === null || typeof transfer !== "object") throw new TeezkError("ROLLUP_BATCH_INVALID", `transfer ${index} is not an object`);
    if (!isSlot(transfer.from) || !isSlot(transfer.to)) throw new TeezkError("ROLLUP_BATCH_INVALID", `transfer ${index}: from and to must be slots 0..${slots - 1}`);
    if (typeof transfer.amount !== "bigint" || transfer.amount < 0n || transfer.amount > rollupMaxBalance) {
      throw new TeezkError("ROLLUP_BATCH_INVALID", `transfer ${index}: the amount must be a bigint in 0..2^64-1`);
    }
    if (!Number.isSafeInteger(transfer.nonce) || transfer.nonce < 0) throw new TeezkError("ROLLUP_BATCH_INVALID", `transfer ${index}: the nonce must be a non-negative integer`);
  });
}

/**
 * Applies a batch to a state, as the circuit does: each transfer debits its sender (whose nonce must be the
 * transfer's, then is incremented) and then credits its receiver against the intermediate root. Returns the new
 * state (the input state is left untouched) and the circuit's witness input.
 * @throws TeezkError ROLLUP_BATCH_INVALID for a malformed batch; ROLLUP_TRANSFER_REFUSED for an overdraft, a
 * balance overflow, an empty sender or receiver slot, or a nonce other than the sender's (a replayed batch).
 */
export function applyRollupBatch({ state, batch, epoch }: ApplyRollupBatchParameters): ApplyRollupBatchReturnType {
  checkShape(batch, epoch);
  const tree = cloneAccountTree(state.tree);
  const accounts = new Map(state.accounts);
  const witnessInput: RollupWitnessInput = {
    prevRoot: state.root, epoch, from: [], to: [], amount: [], nonce: [],
    senderBalance: [], senderSiblings: [], receiverBalance: [], receiverNonce: [], receiverSiblings: [],
  };
  batch.forEach(({ from, to, amount, nonce }, index) => {
    const sender = accounts.get(from);
    if (!sender) throw refuse(index, `the sender slot ${from} holds no account`);
    if (nonce !== sender.nonce) throw refuse(index, `nonce ${nonce} is not the sender's next nonce ${sender.nonce} (a replayed or reordered transfer)`);
    if (amount > sender.balance) throw refuse(index, `${amount} overdraws the sender's balance ${sender.balance}`);
    witnessInput.from.push(from);
    witnessInput.to.push(to);
    witnessInput.amount.push(amount);
    witnessInput.nonce.push(nonce);
    witnessInput.senderBalance.push(sender.balance);
    witnessInput.senderSiblings.push(accountTreeSiblings(tree, from));
    const debited: RollupAccount = { balance: sender.balance - amount, nonce: sender.nonce + 1 };
    setAccountTreeLeaf(tree, from, encodeAccountLeaf(debited));
    accounts.set(from, debited);

    const receiver = accounts.get(to);
    if (!receiver) throw refuse(index, `the receiver slot ${to} holds no account`);
    if (receiver.balance + amount > rollupMaxBalance) throw refuse(index, "the credit overflows the receiver's 64-bit balance");
    witnessInput.receiverBalance.push(receiver.balance);
    witnessInput.receiverNonce.push(receiver.nonce);
    witnessInput.receiverSiblings.push(accountTreeSiblings(tree, to));
    const credited: RollupAccount = { balance: receiver.balance + amount, nonce: receiver.nonce };
    setAccountTreeLeaf(tree, to, encodeAccountLeaf(credited));
    accounts.set(to, credited);
  });
  const newRoot = accountTreeRoot(tree);
  return { state: { tree, accounts, root: newRoot }, previousRoot: state.root, newRoot, witnessInput };
}
