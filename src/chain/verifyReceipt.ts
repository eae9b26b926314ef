import type { Address, Hex } from "viem";
import type { TeezkError } from "../errors/index.js";
import { parseReceipt } from "../receipts/parseReceipt.js";
import type { Receipt } from "../receipts/types.js";
import { receiptVerifierAbi } from "./contractAbis.js";
import { chainCallError } from "./chainCallError.js";
import type { TeezkClients } from "./types.js";

export type VerifyReceiptParameters = Pick<TeezkClients, "publicClient"> & { receiptVerifier: Address; receipt: Receipt; signature: Hex };
export type VerifyReceiptReturnType = Address;
export type VerifyReceiptErrorType = TeezkError;

/**
 * ReceiptVerifier.verifyReceipt (a view): the enclave that signed, when it is live for the receipt's program now;
 * otherwise CHAIN_CALL_FAILED with the contract's error (EnclaveNotLive, ReceiptFromFuture, …) in `details`.
 * A view does not stop replays: use consumeReceipt for one-time use.
 */
export async function verifyReceipt({ publicClient, receiptVerifier, receipt, signature }: VerifyReceiptParameters): Promise<VerifyReceiptReturnType> {
  const parsed = parseReceipt(receipt);
  try {
    return await publicClient.readContract({ address: receiptVerifier, abi: receiptVerifierAbi, functionName: "verifyReceipt", args: [parsed, signature] });
  } catch (error) {
    throw chainCallError("verifyReceipt", error);
  }
}
