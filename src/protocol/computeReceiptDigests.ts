import { encodeAbiParameters, keccak256, type Hex } from "viem";
import { proofDigest, type Groth16Calldata } from "../prover/index.js";

export type ComputeReceiptDigestsParameters = {
  /** The witness exactly as it was sealed (the channel's plaintext bytes). */
  witness: Uint8Array;
  /** The proof in calldata form (what PrivateProofVerifier takes). */
  calldata: Groth16Calldata;
};
export type ComputeReceiptDigestsReturnType = { inputDigest: Hex; outputDigest: Hex; proofDigest: Hex };

const uint256Array = [{ type: "uint256[]" }] as const;

/**
 * The three commitments of a Groth16 receipt (DESIGN §4):
 * - inputDigest = keccak256(witness bytes as sealed), the rule zkprogram/core checks for SP1 receipts
 *   (RECEIPT_MISMATCH); only the client, who holds the witness, can recompute it;
 * - outputDigest = keccak256(abi.encode(uint256[] publicSignals)), so a contract can recompute it from the
 *   signals it is given;
 * - proofDigest = keccak256(abi.encode(a, b, c, publicSignals)), what PrivateProofVerifier recomputes.
 *
 * The input digest is a plain hash: a witness with little entropy could be confirmed by guessing. The membership
 * witness carries the identity's 254-bit secrets, so it cannot be; a circuit whose witness is guessable should
 * carry a random salt field in its witness JSON.
 */
export function computeReceiptDigests({ witness, calldata }: ComputeReceiptDigestsParameters): ComputeReceiptDigestsReturnType {
  return {
    inputDigest: keccak256(witness),
    outputDigest: publicSignalsDigest(calldata.pubSignals),
    proofDigest: proofDigest(calldata),
  };
}

/** A Groth16 receipt's outputDigest: keccak256(abi.encode(uint256[] publicSignals)). */
export function publicSignalsDigest(publicSignals: readonly bigint[]): Hex {
  return keccak256(encodeAbiParameters(uint256Array, [[...publicSignals]]));
}
