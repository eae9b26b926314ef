import { recoverReceiptSigner } from "../../../receipts/index.js";
import { verifyReceipt, type TeezkClients } from "../../../chain/index.js";
import type { TeezkError } from "../../../errors/index.js";
import { viewOutput, type ChainCommandOutput } from "../../support/chainCommandOutput.js";
import { explainChainError } from "../../support/explainChainError.js";
import { loadSignedReceipt } from "./loadReceiptFiles.js";
import { requireAddress, type ChainDeployment } from "../../support/resolveDeployment.js";

export type ReceiptsVerifyParameters = Pick<TeezkClients, "publicClient"> & { deployment: ChainDeployment; receiptFile: string };
export type ReceiptsVerifyErrorType = TeezkError;

/**
 * `teezk receipts verify`: ReceiptVerifier.verifyReceipt, a view, so it costs nothing and can be repeated; it
 * says the signer is a live enclave for the receipt's program now. It does not mark the receipt used: a dApp
 * that must not accept it twice uses `receipts consume`.
 */
export async function receiptsVerify({ publicClient, deployment, receiptFile }: ReceiptsVerifyParameters): Promise<ChainCommandOutput> {
  const receiptVerifier = requireAddress(deployment, "receiptVerifier");
  const { receipt, signature } = loadSignedReceipt(receiptFile);
  try {
    const chainId = await publicClient.getChainId();
    const signer = await recoverReceiptSigner({ receipt, signature, domain: { chainId, verifyingContract: receiptVerifier } });
    const enclave = await verifyReceipt({ publicClient, receiptVerifier, receipt, signature });
    return viewOutput("receipts verify", `valid: receipt for program ${receipt.programId} signed by live enclave ${enclave}`, { valid: true, enclave, signer, programId: receipt.programId });
  } catch (error) {
    throw explainChainError(error, "receipts verify");
  }
}
