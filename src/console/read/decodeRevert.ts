import { BaseError, ContractFunctionRevertedError } from "viem";

export type DecodedRevert = { errorName: string; args: readonly unknown[]; text: string };

/**
 * The contract error inside a failed view call, decoded against the ABI the call used (`Name(arg, …)`), or
 * undefined when the failure was not a revert (RPC down, timeout): the caller says which.
 */
export function decodeRevert(error: unknown): DecodedRevert | undefined {
  if (!(error instanceof BaseError)) return undefined;
  const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
  if (!(reverted instanceof ContractFunctionRevertedError)) return undefined;
  const errorName = reverted.data?.errorName ?? reverted.signature ?? "unknown revert";
  const args = reverted.data?.args ?? [];
  return { errorName, args, text: `${errorName}(${args.map(String).join(", ")})` };
}
