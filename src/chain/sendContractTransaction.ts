import type { Abi, Address, ContractFunctionArgs, ContractFunctionName } from "viem";
import { TeezkError } from "../errors/index.js";
import { chainCallError } from "./chainCallError.js";
import type { TeezkClients, TransactionResult } from "./types.js";

/** A node that never mines the transaction must not hang the caller: CHAIN_TX_NOT_MINED after this long. */
const RECEIPT_TIMEOUT_MS = 300_000;

/**
 * Simulates, sends and waits for one contract call, so a revert surfaces as a decoded custom error before any gas
 * is spent; a mined transaction that still reverted (state changed in between) is CHAIN_CALL_FAILED too.
 */
export async function sendContractTransaction<
  const abi extends Abi,
  functionName extends ContractFunctionName<abi, "nonpayable" | "payable">,
  args extends ContractFunctionArgs<abi, "nonpayable" | "payable", functionName>,
>(
  { publicClient, walletClient }: TeezkClients,
  parameters: { address: Address; abi: abi; functionName: functionName; args: args },
): Promise<TransactionResult & { result: unknown }> {
  const what = `${String(parameters.functionName)} on ${parameters.address}`;
  try {
    const { request, result } = await publicClient.simulateContract({
      ...(parameters as never as Parameters<typeof publicClient.simulateContract>[0]),
      account: walletClient.account,
    });
    const hash = await walletClient.writeContract(request as never);
    const receipt = await publicClient.waitForTransactionReceipt({ hash, timeout: RECEIPT_TIMEOUT_MS });
    if (receipt.status !== "success") throw new TeezkError("CHAIN_CALL_FAILED", `${what} was mined but reverted`, { details: hash });
    return { hash, gasUsed: receipt.gasUsed, receipt, result };
  } catch (error) {
    throw chainCallError(what, error);
  }
}
