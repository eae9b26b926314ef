import { isAddressEqual, type Address, type Hex } from "viem";
import { TeezkError } from "../errors/index.js";
import type { Groth16Calldata } from "../prover/formatGroth16Calldata.js";
import type { ContractDomain, Receipt } from "../receipts/types.js";
import { consumePrivateProof, type ConsumePrivateProofReturnType } from "./consumePrivateProof.js";
import { getPrivateProofVerifierContext } from "./getPrivateProofVerifierContext.js";
import type { TeezkClients } from "./types.js";

/** A privately proved statement as `delegateProof` returns it (only these fields are read). */
export type PrivatelyProvedStatement = {
  calldata: Groth16Calldata;
  receipt: Receipt;
  signature: Hex;
  /** The domain the receipt was checked under off-chain; when given it must be the contract's. */
  receiptDomain?: ContractDomain;
};

export type SubmitPrivateProofParameters = TeezkClients & {
  privateProofVerifier: Address;
  proof: PrivatelyProvedStatement;
};
/** The caller records the mined transaction where it keeps its records (an Archive's recordTransaction). */
export type SubmitPrivateProofReturnType = ConsumePrivateProofReturnType;
export type SubmitPrivateProofErrorType = TeezkError;

/**
 * Submits a delegated proof to its circuit's PrivateProofVerifier for one-time use (consumePrivateProof: the
 * Groth16 proof verifies, the receipt's proofDigest commits to it, its signer is a live enclave for the program,
 * and the sender has not consumed it before). Checked first against the contract's programId and receipt domain
 * (RECEIPT_CONTEXT_MISMATCH), so a receipt made for another deployment fails with a message that says so rather
 * than as an opaque revert; the call itself is simulated before it is sent (CHAIN_CALL_FAILED with the decoded
 * custom error, e.g. EnclaveNotLive or PrivateProofAlreadyConsumed).
 *
 * @example
 * const delegated = await delegateProof({ ... });
 * const { hash, enclave } = await submitPrivateProof({ publicClient, walletClient, privateProofVerifier, proof: delegated });
 */
export async function submitPrivateProof(parameters: SubmitPrivateProofParameters): Promise<SubmitPrivateProofReturnType> {
  const { publicClient, walletClient, privateProofVerifier, proof } = parameters;
  const context = await getPrivateProofVerifierContext({ publicClient, privateProofVerifier });
  if (proof.receipt.programId.toLowerCase() !== context.programId.toLowerCase()) {
    throw new TeezkError("RECEIPT_CONTEXT_MISMATCH", `The receipt is for program ${proof.receipt.programId}; this PrivateProofVerifier takes ${context.programId}`, {
      metaMessages: ["Delegate with the verifier's programId (teezk delegate reads it when --private-proof-verifier is given)."],
    });
  }
  const domain = proof.receiptDomain;
  if (domain && (BigInt(domain.chainId) !== BigInt(context.receiptDomain.chainId) || !isAddressEqual(domain.verifyingContract, context.receiptDomain.verifyingContract))) {
    throw new TeezkError("RECEIPT_CONTEXT_MISMATCH", "The receipt was signed for another ReceiptVerifier than this PrivateProofVerifier uses", {
      details: `receipt domain ${domain.verifyingContract} on chain ${domain.chainId}; contract uses ${context.receiptDomain.verifyingContract} on chain ${context.receiptDomain.chainId}`,
    });
  }
  return consumePrivateProof({
    publicClient,
    walletClient,
    privateProofVerifier,
    calldata: proof.calldata,
    receipt: proof.receipt,
    signature: proof.signature,
  });
}
