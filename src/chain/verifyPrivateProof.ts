import type { Address, Hex } from "viem";
import type { TeezkError } from "../errors/index.js";
import type { Groth16Calldata } from "../prover/formatGroth16Calldata.js";
import { parseReceipt } from "../receipts/parseReceipt.js";
import type { Receipt } from "../receipts/types.js";
import { privateProofVerifierAbi } from "./contractAbis.js";
import { chainCallError } from "./chainCallError.js";
import type { TeezkClients } from "./types.js";

export type VerifyPrivateProofParameters = Pick<TeezkClients, "publicClient"> & {
  privateProofVerifier: Address;
  /** The proof and public signals in calldata form (formatGroth16Calldata). */
  calldata: Groth16Calldata;
  receipt: Receipt;
  signature: Hex;
};
export type VerifyPrivateProofReturnType = Address;
export type VerifyPrivateProofErrorType = TeezkError;

/**
 * PrivateProofVerifier.verifyPrivateProof (a view): the enclave that signed the receipt, when the Groth16 proof
 * verifies, the receipt's proofDigest commits to exactly this proof and these signals, and the signer is live for
 * the circuit's program; otherwise CHAIN_CALL_FAILED with the contract's error (InvalidGroth16Proof,
 * ProofDigestMismatch, EnclaveNotLive, …) in `details`. Use consumePrivateProof to stop replays.
 */
export async function verifyPrivateProof({ publicClient, privateProofVerifier, calldata, receipt, signature }: VerifyPrivateProofParameters): Promise<VerifyPrivateProofReturnType> {
  try {
    return await publicClient.readContract({
      address: privateProofVerifier,
      abi: privateProofVerifierAbi,
      functionName: "verifyPrivateProof",
      args: [privateProofArgument(calldata), [...calldata.pubSignals], parseReceipt(receipt), signature],
    });
  } catch (error) {
    throw chainCallError("verifyPrivateProof", error);
  }
}

/** The Solidity `Groth16Proof` struct from calldata form. */
export function privateProofArgument(calldata: Groth16Calldata) {
  return {
    a: [calldata.a[0], calldata.a[1]] as const,
    b: [
      [calldata.b[0][0], calldata.b[0][1]],
      [calldata.b[1][0], calldata.b[1][1]],
    ] as const,
    c: [calldata.c[0], calldata.c[1]] as const,
  };
}
