import {
  BaseError,
  ContractFunctionRevertedError,
  decodeErrorResult,
  toFunctionSelector,
  type Abi,
  type Address,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type Hex,
} from "viem";
import { TeezkError } from "../errors/index.js";
import * as abis from "./contractAbis.js";

/**
 * Every custom error of every teezk contract: a revert often comes from a contract the caller did not address
 * (the registry bubbles up the committee verifier's NotEnoughVerdicts), so the callee's ABI alone cannot name it.
 */
type AbiError = Extract<Abi[number], { type: "error" }>;
const allErrors: AbiError[] = (() => {
  const seen = new Map<string, AbiError>();
  for (const abi of Object.values(abis) as Abi[]) {
    for (const item of abi) if (item.type === "error") seen.set(toFunctionSelector(`${item.name}(${item.inputs.map((i) => i.type).join(",")})`), item);
  }
  return [...seen.values()];
})();

function decodeWithAllErrors(raw: Hex | undefined): string | undefined {
  if (!raw || raw.length < 10) return undefined;
  try {
    const decoded = decodeErrorResult({ abi: allErrors, data: raw });
    return `${decoded.errorName}(${(decoded.args ?? []).map((a: unknown) => String(a)).join(", ")})`;
  } catch {
    return undefined;
  }
}
import type { TeezkClients, TransactionResult } from "./types.js";

/** The custom error a call reverted with, as `Name(arg, …)`, when viem could decode it from the ABI. */
export function revertReason(error: unknown): string | undefined {
  if (!(error instanceof BaseError)) return undefined;
  const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
  if (!(reverted instanceof ContractFunctionRevertedError)) return undefined;
  const data = reverted.data;
  if (data && data.errorName !== "Error" && data.errorName !== "Panic") {
    return `${data.errorName}(${(data.args ?? []).map((a) => String(a)).join(", ")})`;
  }
  return decodeWithAllErrors(reverted.raw) ?? reverted.reason ?? reverted.signature;
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
