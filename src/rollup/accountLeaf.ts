import { TeezkError } from "../errors/index.js";

/** Set in every account leaf, so an empty slot (0) can never be opened as an account (circuits/rollup.circom). */
export const rollupAccountTag = 1n << 128n;
export const rollupMaxBalance = (1n << 64n) - 1n;
export const rollupMaxNonce = 2 ** 32 - 1;

export type RollupAccount = { balance: bigint; nonce: number };

/** The leaf the circuit opens: ACCOUNT_TAG + balance · 2^64 + nonce. */
export function encodeAccountLeaf(account: RollupAccount): bigint {
  if (typeof account.balance !== "bigint" || account.balance < 0n || account.balance > rollupMaxBalance) {
    throw new TeezkError("ROLLUP_TRANSFER_REFUSED", "an account balance must be a bigint in 0..2^64-1");
  }
  if (!Number.isSafeInteger(account.nonce) || account.nonce < 0 || account.nonce > rollupMaxNonce) {
    throw new TeezkError("ROLLUP_TRANSFER_REFUSED", "an account nonce must be an integer in 0..2^32-1");
  }
  return rollupAccountTag + (account.balance << 64n) + BigInt(account.nonce);
}
