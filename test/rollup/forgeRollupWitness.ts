// An attacker's prover: builds the rollup circuit's witness for a batch with none of applyRollupBatch's checks,
// computing leaves in the field as the circuit would, and letting the caller claim what a slot holds. The
// circuit, not this code, must refuse what it builds.
import { bn254ScalarField } from "../../src/prover/index.js";
import { rollupAccountTag } from "../../src/rollup/accountLeaf.js";
import { accountTreeSiblings, cloneAccountTree, setAccountTreeLeaf } from "../../src/rollup/accountTree.js";
import type { RollupState, RollupTransfer, RollupWitnessInput } from "../../src/rollup/index.js";

export type ClaimedAccount = { balance: bigint; nonce: bigint };
const field = (x: bigint) => ((x % bn254ScalarField) + bn254ScalarField) % bn254ScalarField;

export function forgeRollupWitness(parameters: {
  state: RollupState;
  batch: readonly RollupTransfer[];
  epoch: bigint;
  /** What the attacker claims a slot holds (default: what it holds, an empty slot as balance 0 nonce 0). */
  claim?: (slot: number, held: ClaimedAccount) => ClaimedAccount;
  /** The account tag the attacker's tree uses (0: an empty slot reads as an account with nothing). */
  accountTag?: bigint;
}): RollupWitnessInput {
  const { state, batch, epoch } = parameters;
  const tag = parameters.accountTag ?? rollupAccountTag;
  const leafOf = ({ balance, nonce }: ClaimedAccount) => field(tag + balance * (1n << 64n) + nonce);
  const tree = cloneAccountTree(state.tree);
  const accounts = new Map([...state.accounts].map(([slot, a]) => [slot, { balance: a.balance, nonce: BigInt(a.nonce) }]));
  const read = (slot: number) => {
    const held = accounts.get(slot) ?? { balance: 0n, nonce: 0n };
    return parameters.claim ? parameters.claim(slot, held) : held;
  };
  const w: RollupWitnessInput = {
    prevRoot: state.root, epoch, from: [], to: [], amount: [], nonce: [],
    senderBalance: [], senderSiblings: [], receiverBalance: [], receiverNonce: [], receiverSiblings: [],
  };
  for (const { from, to, amount, nonce } of batch) {
    const sender = read(from);
    w.from.push(from);
    w.to.push(to);
    w.amount.push(amount);
    w.nonce.push(nonce);
    w.senderBalance.push(sender.balance);
    w.senderSiblings.push(accountTreeSiblings(tree, from));
    const debited = { balance: field(sender.balance - amount), nonce: BigInt(nonce) + 1n };
    setAccountTreeLeaf(tree, from, leafOf(debited));
    accounts.set(from, debited);
    const receiver = read(to);
    w.receiverBalance.push(receiver.balance);
    w.receiverNonce.push(Number(receiver.nonce));
    w.receiverSiblings.push(accountTreeSiblings(tree, to));
    const credited = { balance: field(receiver.balance + amount), nonce: receiver.nonce };
    setAccountTreeLeaf(tree, to, leafOf(credited));
    accounts.set(to, credited);
  }
  return w;
}
