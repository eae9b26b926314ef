import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { isHex, type Hex } from "viem";
import { TeezkError } from "../errors/index.js";
import { receiptLeafValues } from "./hashReceiptLeaf.js";
import { RECEIPT_LEAF_ENCODING } from "./typedData.js";
import type { Receipt } from "./types.js";

/** Deeper than any tree of MAX_BATCH_RECEIPTS leaves; bounds the work on a hostile proof. */
const MAX_PROOF_LENGTH = 64;

export type VerifyInclusionProofParameters = { receipt: Receipt; root: Hex; proof: readonly Hex[] };
export type VerifyInclusionProofErrorType = TeezkError;

/**
 * Off-chain twin of BatchReceipts.verifyIncluded's Merkle step: throws RECEIPT_NOT_IN_BATCH unless `proof` leads
 * from the receipt's leaf to `root`. It says nothing about the batch signer's liveness.
 */
export function verifyInclusionProof({ receipt, root, proof }: VerifyInclusionProofParameters): void {
  const values = receiptLeafValues(receipt);
  if (!Array.isArray(proof) || proof.length > MAX_PROOF_LENGTH || !proof.every((node) => isHex(node) && node.length === 66)) {
    throw new TeezkError("RECEIPT_INVALID", `An inclusion proof is at most ${MAX_PROOF_LENGTH} 32-byte hex nodes`);
  }
  if (!isHex(root) || root.length !== 66) throw new TeezkError("RECEIPT_INVALID", "The batch root must be 32-byte hex");
  if (!StandardMerkleTree.verify(root, RECEIPT_LEAF_ENCODING, values, [...proof])) {
    throw new TeezkError("RECEIPT_NOT_IN_BATCH", "The inclusion proof does not lead from the receipt to the batch root", { details: `root ${root}` });
  }
}
