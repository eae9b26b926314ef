import {
  accountTreeRoot,
  applyRollupBatch,
  createAccountTree,
  encodeAccountLeaf,
  rollupBatchSize,
  rollupTreeDepth,
  setAccountTreeLeaf,
  type RollupAccount,
  type RollupState,
  type RollupTransfer,
  type RollupWitnessInput,
} from "../../src/rollup/index.js";
import { seededDraw } from "./seededDraw.js";

/** At most this many accounts, each under 2^61: their sum stays below 2^64, so no credit can overflow. */
const maxAccounts = 8;
const balanceBits = 61n;
const slots = 2n ** BigInt(rollupTreeDepth);

export type RollupRandomBatch = {
  witnessInput: RollupWitnessInput;
  /** What the circuit must output for it, from the state machine: [newRoot, prevRoot, epoch]. */
  publicSignals: string[];
};

/** 2..8 accounts in distinct random slots, some placed as sibling leaves so one batch rewrites a shared path. */
function randomState(below: (name: string, bound: bigint) => bigint): RollupState {
  const count = 2 + Number(below("accounts", BigInt(maxAccounts - 1)));
  const tree = createAccountTree(rollupTreeDepth);
  const accounts = new Map<number, RollupAccount>();
  for (let i = 0; i < count; i++) {
    const previous = [...accounts.keys()].at(-1);
    let slot = previous !== undefined && below(`neighbour/${i}`, 4n) === 0n ? previous ^ 1 : Number(below(`slot/${i}`, slots));
    while (accounts.has(slot)) slot = (slot + 1) % Number(slots);
    // Balances of every magnitude (0 included), nonces of accounts that have already sent.
    const balance = below(`balance/${i}`, 1n << below(`bits/${i}`, balanceBits + 1n));
    const account = { balance, nonce: Number(below(`nonce/${i}`, 2n ** 31n)) };
    setAccountTreeLeaf(tree, slot, encodeAccountLeaf(account));
    accounts.set(slot, account);
  }
  return { tree, accounts, root: accountTreeRoot(tree) };
}

/**
 * A valid random rollup batch for seed `seed`, applied by the rollup state machine (applyRollupBatch), which gives
 * the circuit's witness and the roots the proof must carry. Every transfer is valid by construction (the amount
 * is at most the sender's balance at that point, the nonce is the sender's, credits cannot overflow), with edge
 * amounts (0, the whole balance) and self-transfers drawn often: every seed takes the same path through the
 * prover, so this cannot make a test flaky.
 */
export function rollupRandomBatch(seed: number): RollupRandomBatch {
  const draw = seededDraw(`teezk/differential/rollup/${seed}`);
  const below = (name: string, bound: bigint) => draw(name) % bound;
  const state = randomState(below);
  const held = new Map([...state.accounts].map(([slot, account]) => [slot, { ...account }]));
  const occupied = [...held.keys()];
  const batch: RollupTransfer[] = [];
  for (let t = 0; t < rollupBatchSize; t++) {
    const from = occupied[Number(below(`from/${t}`, BigInt(occupied.length)))]!;
    const to = occupied[Number(below(`to/${t}`, BigInt(occupied.length)))]!;
    const sender = held.get(from)!;
    const kind = below(`amount-kind/${t}`, 4n);
    const amount = kind === 0n ? 0n : kind === 1n ? sender.balance : below(`amount/${t}`, sender.balance + 1n);
    batch.push({ from, to, amount, nonce: sender.nonce });
    sender.balance -= amount;
    sender.nonce += 1;
    held.get(to)!.balance += amount;
  }
  const epoch = below("epoch", 1n << 64n);
  const applied = applyRollupBatch({ state, batch, epoch });
  return { witnessInput: applied.witnessInput, publicSignals: [applied.newRoot, applied.previousRoot, epoch].map(String) };
}
