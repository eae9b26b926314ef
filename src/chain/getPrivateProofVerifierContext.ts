import type { Address, Hex } from "viem";
import type { TeezkError } from "../errors/index.js";
import type { ContractDomain } from "../receipts/types.js";
import { privateProofVerifierAbi } from "./contractAbis.js";
import { chainCallError } from "./chainCallError.js";
import type { TeezkClients } from "./types.js";

export type GetPrivateProofVerifierContextParameters = Pick<TeezkClients, "publicClient"> & { privateProofVerifier: Address };
export type GetPrivateProofVerifierContextReturnType = {
  /** The programId receipts must carry for this circuit. */
  programId: Hex;
  /** The EIP-712 domain receipts must be signed for: the ReceiptVerifier this contract asks, on this chain. */
  receiptDomain: ContractDomain & { chainId: number; verifyingContract: Address };
  publicSignalCount: bigint;
};
export type GetPrivateProofVerifierContextErrorType = TeezkError;

/**
 * What a PrivateProofVerifier expects of a receipt, read from the chain: its programId, and the ReceiptVerifier
 * (with the chain id) whose EIP-712 domain the enclave must sign under. A client reads this before it delegates,
 * so a prover node configured for another program or domain is refused before the witness is sealed.
 */
export async function getPrivateProofVerifierContext({
  publicClient,
  privateProofVerifier,
}: GetPrivateProofVerifierContextParameters): Promise<GetPrivateProofVerifierContextReturnType> {
  try {
    const [programId, receiptVerifier, publicSignalCount, chainId] = await Promise.all([
      publicClient.readContract({ address: privateProofVerifier, abi: privateProofVerifierAbi, functionName: "programId" }),
      publicClient.readContract({ address: privateProofVerifier, abi: privateProofVerifierAbi, functionName: "receiptVerifier" }),
      publicClient.readContract({ address: privateProofVerifier, abi: privateProofVerifierAbi, functionName: "publicSignalCount" }),
      publicClient.getChainId(),
    ]);
    return { programId, receiptDomain: { chainId, verifyingContract: receiptVerifier }, publicSignalCount };
  } catch (error) {
    throw chainCallError(`reading PrivateProofVerifier ${privateProofVerifier}`, error);
  }
}
