import { decodeAbiParameters, encodeAbiParameters, type Address, type Hex } from "viem";
import { claimsAbiParameter, decodeClaims, encodeClaims } from "../claims/index.js";
import type { Claims } from "../claims/index.js";
import { TeezkError } from "../errors/index.js";
import { parseReceipt } from "./parseReceipt.js";
import type { Receipt } from "./types.js";

/** The Solidity struct `Receipt` (contracts/receipts/Receipt.sol) as a viem ABI tuple. */
export const receiptAbiParameter = {
  type: "tuple",
  name: "receipt",
  components: [
    { name: "programId", type: "bytes32" },
    { name: "inputDigest", type: "bytes32" },
    { name: "outputDigest", type: "bytes32" },
    { name: "proofDigest", type: "bytes32" },
    { name: "issuedAt", type: "uint64" },
    { name: "nonce", type: "bytes32" },
  ],
} as const;

/** The DESIGN §3 binding inputs the program checked against `claims.reportData` (Solidity `ReceiptBinding`). */
export type ReceiptBinding = {
  enclave: Address;
  /** keccak256 of the enclave's HPKE public key. */
  hpkeKeyHash: Hex;
  /** The challenge the evidence answers: Sp1ReceiptVerifier requires a recent block hash or a challenge it issued. */
  nonce: Hex;
};

/** The Solidity struct `ISp1ReceiptVerifier.ReceiptBinding` as a viem ABI tuple. */
export const receiptBindingAbiParameter = {
  type: "tuple",
  name: "binding",
  components: [
    { name: "enclave", type: "address" },
    { name: "hpkeKeyHash", type: "bytes32" },
    { name: "nonce", type: "bytes32" },
  ],
} as const;

export type ReceiptJournal = {
  claims: Claims;
  receipt: Receipt;
  /**
   * The EIP-712 domain separator the receipt's signature was checked under (`receiptVerifierDomainSeparator`):
   * Sp1ReceiptVerifier accepts the journal only when it is its own, so a receipt signed for one chain or
   * contract cannot be replayed on another.
   */
  domainSeparator: Hex;
  /**
   * What the evidence's reportData binds: without the nonce on-chain, evidence of any age would do (claims.timestamp
   * is the prover's own clock for every vendor but Nitro).
   */
  binding: ReceiptBinding;
};
export type EncodeReceiptJournalErrorType = TeezkError;

const domainAbiParameter = { type: "bytes32", name: "domainSeparator" } as const;

const journalAbiParameters = [claimsAbiParameter, receiptAbiParameter, domainAbiParameter, receiptBindingAbiParameter] as const;

/**
 * The SP1 program's `receipt`-mode public values, `abi.encode(Claims, Receipt, bytes32 domainSeparator,
 * ReceiptBinding)`: what Sp1ReceiptVerifier decodes. The Rust program (zkprogram/core `run`) commits these exact bytes.
 */
export function encodeReceiptJournal({ claims, receipt, domainSeparator, binding }: ReceiptJournal): Hex {
  const words: [string, Hex][] = [["domainSeparator", domainSeparator], ["binding.hpkeKeyHash", binding.hpkeKeyHash], ["binding.nonce", binding.nonce]];
  for (const [name, value] of words) {
    if (!/^0x[0-9a-fA-F]{64}$/.test(value)) throw new TeezkError("MALFORMED", `${name} must be 32-byte hex`);
  }
  try {
    return encodeAbiParameters(journalAbiParameters, [claims, parseReceipt(receipt), domainSeparator, binding]);
  } catch (error) {
    throw new TeezkError("MALFORMED", "The journal's fields do not ABI-encode (binding.enclave must be an address)", { cause: error });
  }
}

/** Inverse of {@link encodeReceiptJournal}; MALFORMED unless the bytes are exactly one journal. */
export function decodeReceiptJournal(journal: Hex): ReceiptJournal {
  const words = 9 + 6 + 1 + 3;
  if (journal.length !== 2 + 64 * words) {
    throw new TeezkError("MALFORMED", `A receipt journal is ${words * 32} bytes (abi.encode(Claims, Receipt, bytes32, ReceiptBinding))`, {
      details: `got ${(journal.length - 2) / 2} bytes`,
    });
  }
  let receipt: Receipt;
  let domainSeparator: Hex;
  let binding: ReceiptBinding;
  try {
    [, receipt, domainSeparator, binding] = decodeAbiParameters(journalAbiParameters, journal);
  } catch (error) {
    throw new TeezkError("MALFORMED", "Not an ABI-encoded (Claims, Receipt, bytes32, ReceiptBinding) journal", { cause: error });
  }
  const claims = decodeClaims(`0x${journal.slice(2, 2 + 64 * 9)}`);
  if (encodeClaims(claims) !== journal.slice(0, 2 + 64 * 9)) throw new TeezkError("MALFORMED", "The journal's Claims words are not canonical");
  return { claims, receipt: parseReceipt(receipt), domainSeparator, binding: { ...binding } };
}
