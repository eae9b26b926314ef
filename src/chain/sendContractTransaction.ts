import { BaseError, ContractFunctionRevertedError, type Abi, type ContractFunctionArgs, type ContractFunctionName, type Address } from "viem";
import { TeezkError } from "../errors/index.js";
import type { TeezkClients, TransactionResult } from "./types.js";

/** The custom error a call reverted with, as `Name(arg, …)`, when viem could decode it from the ABI. */
export function revertReason(error: unknown): string | undefined {
  if (!(error instanceof BaseError)) return undefined;
  const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
  if (!(reverted instanceof ContractFunctionRevertedError)) return undefined;
  const data = reverted.data;
  if (data) return `${data.errorName}(${(data.args ?? []).map((a) => String(a)).join(", ")})`;
  return reverted.reason ?? reverted.signature;
}

/** Wraps a viem failure as CHAIN_CALL_FAILED, with the decoded custom error first in `details`. */
export function chainCallError(what: string, cause: unknown): TeezkError {
  if (cause instanceof TeezkError) return cause;
  const reason = revertReason(cause);
  return new TeezkError("CHAIN_CALL_FAILED", reason ? `${what} reverted with ${reason}` : `${what} failed`, {
    cause,
    details: reason ?? (cause instanceof BaseError ? cause.shortMessage : String(cause)),
  });
}

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
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new TeezkError("CHAIN_CALL_FAILED", `${what} was mined but reverted`, { details: hash });
    return { hash, gasUsed: receipt.gasUsed, receipt, result };
  } catch (error) {
    throw chainCallError(what, error);
  }
}
