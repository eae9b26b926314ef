import { decodeAbiParameters, encodeAbiParameters, type Hex } from "viem";
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

export type ReceiptJournal = {
  claims: Claims;
  receipt: Receipt;
  /**
   * The EIP-712 domain separator the receipt's signature was checked under (`receiptVerifierDomainSeparator`):
   * Sp1ReceiptVerifier accepts the journal only when it is its own, so a receipt signed for one chain or
   * contract cannot be replayed on another.
   */
  domainSeparator: Hex;
};
export type EncodeReceiptJournalErrorType = TeezkError;

const domainAbiParameter = { type: "bytes32", name: "domainSeparator" } as const;

/**
 * The SP1 program's `receipt`-mode public values, `abi.encode(Claims, Receipt, bytes32 domainSeparator)`: what
 * Sp1ReceiptVerifier decodes. The Rust program (zkprogram/core `run`) commits these exact bytes.
 */
export function encodeReceiptJournal({ claims, receipt, domainSeparator }: ReceiptJournal): Hex {
  if (!/^0x[0-9a-fA-F]{64}$/.test(domainSeparator)) throw new TeezkError("MALFORMED", "domainSeparator must be 32-byte hex");
  return encodeAbiParameters([claimsAbiParameter, receiptAbiParameter, domainAbiParameter], [claims, parseReceipt(receipt), domainSeparator]);
}

/** Inverse of {@link encodeReceiptJournal}; MALFORMED unless the bytes are exactly one journal. */
export function decodeReceiptJournal(journal: Hex): ReceiptJournal {
  const words = 9 + 6 + 1;
  if (journal.length !== 2 + 64 * words) {
    throw new TeezkError("MALFORMED", `A receipt journal is ${words * 32} bytes (abi.encode(Claims, Receipt, bytes32))`, {
      details: `got ${(journal.length - 2) / 2} bytes`,
    });
  }
  let receipt: Receipt;
  let domainSeparator: Hex;
  try {
    [, receipt, domainSeparator] = decodeAbiParameters([claimsAbiParameter, receiptAbiParameter, domainAbiParameter], journal);
  } catch (error) {
    throw new TeezkError("MALFORMED", "Not an ABI-encoded (Claims, Receipt, bytes32) journal", { cause: error });
  }
  const claims = decodeClaims(`0x${journal.slice(2, 2 + 64 * 9)}`);
  if (encodeClaims(claims) !== journal.slice(0, 2 + 64 * 9)) throw new TeezkError("MALFORMED", "The journal's Claims words are not canonical");
  return { claims, receipt: parseReceipt(receipt), domainSeparator };
}
