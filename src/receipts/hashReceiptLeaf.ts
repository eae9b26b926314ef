import { encodeAbiParameters, keccak256, type Hex } from "viem";
import type { TeezkError } from "../errors/index.js";
import { parseReceipt } from "./parseReceipt.js";
import { RECEIPT_LEAF_ENCODING } from "./typedData.js";
import type { Receipt } from "./types.js";

export type HashReceiptLeafErrorType = TeezkError;

/** The receipt's fields in struct order: a StandardMerkleTree leaf value for RECEIPT_LEAF_ENCODING. */
export function receiptLeafValues(receipt: Receipt): [Hex, Hex, Hex, Hex, bigint, Hex] {
  const r = parseReceipt(receipt);
  return [r.programId, r.inputDigest, r.outputDigest, r.proofDigest, r.issuedAt, r.nonce];
}

/**
 * The batch-tree leaf of `receipt`, BatchReceipts.leafOf: keccak256(keccak256(abi.encode(fields))), the
 * StandardMerkleTree double hash that keeps a leaf from being read as an inner node.
 */
export function hashReceiptLeaf(receipt: Receipt): Hex {
  const types = RECEIPT_LEAF_ENCODING.map((type) => ({ type }));
  return keccak256(keccak256(encodeAbiParameters(types, receiptLeafValues(receipt))));
}
