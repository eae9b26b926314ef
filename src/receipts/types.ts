import type { Hex } from "viem";

/** What an enclave signs about one proving job: the Solidity struct `Receipt` (contracts/receipts/Receipt.sol). */
export type Receipt = {
  programId: Hex;
  inputDigest: Hex;
  outputDigest: Hex;
  proofDigest: Hex;
  /** Seconds since the epoch. */
  issuedAt: bigint;
  /** The requester's nonce: makes each receipt unique. */
  nonce: Hex;
};

/** What an enclave signs over a Merkle tree of receipts: the Solidity struct `Batch`. */
export type Batch = {
  root: Hex;
  count: number;
  issuedAt: bigint;
};

/** The EIP-712 domain of one deployed verifier contract. */
export type ContractDomain = {
  chainId: number | bigint;
  verifyingContract: Hex;
};
