import { consumeReceipt, type TeezkClients } from "../../../chain/index.js";
import type { TeezkError } from "../../../errors/index.js";
import { transactionOutput, type ChainCommandOutput } from "../../support/chainCommandOutput.js";
import { explainChainError } from "../../support/explainChainError.js";
import { loadSignedReceipt } from "./loadReceiptFiles.js";
import { requireAddress, type ChainDeployment } from "../../support/resolveDeployment.js";

export type ReceiptsConsumeParameters = TeezkClients & { deployment: ChainDeployment; receiptFile: string };
export type ReceiptsConsumeErrorType = TeezkError;

/**
 * `teezk receipts consume`: ReceiptVerifier.consumeReceipt, which verifies the receipt and records it as used by
 * the sending account, so the same account submitting it again reverts (ReceiptAlreadyConsumed).
 */
export async function receiptsConsume({ deployment, receiptFile, ...clients }: ReceiptsConsumeParameters): Promise<ChainCommandOutput> {
  const receiptVerifier = requireAddress(deployment, "receiptVerifier");
  const { receipt, signature } = loadSignedReceipt(receiptFile);
  try {
    const tx = await consumeReceipt({ ...clients, receiptVerifier, receipt, signature });
    return transactionOutput("receipts consume", `consumed receipt for program ${receipt.programId} signed by enclave ${tx.enclave}`, tx, deployment, {
      enclave: tx.enclave,
      programId: receipt.programId,
      consumer: clients.walletClient.account.address,
    });
  } catch (error) {
    throw explainChainError(error, "receipts consume");
  }
}
