import type { Address } from "viem";
import type { TeezkError } from "../errors/index.js";
import { timelockAbi } from "./contractAbis.js";
import type { TimelockOperation } from "./scheduleTimelockCalls.js";
import { sendContractTransaction } from "./sendContractTransaction.js";
import type { TeezkClients, TransactionResult } from "./types.js";

export type ExecuteTimelockCallsParameters = TeezkClients & { timelock: Address; operation: TimelockOperation };
export type ExecuteTimelockCallsErrorType = TeezkError;

/**
 * Executes a scheduled batch once its delay has passed (TimelockUnexpectedOperationState before); the sender needs
 * EXECUTOR_ROLE, which the teezk deployment gives to anyone (executor address zero).
 */
export async function executeTimelockCalls({ timelock, operation, ...clients }: ExecuteTimelockCallsParameters): Promise<TransactionResult> {
  const { calls } = operation;
  const tx = await sendContractTransaction(clients, {
    address: timelock,
    abi: timelockAbi,
    functionName: "executeBatch",
    args: [calls.map((c) => c.target), calls.map((c) => c.value), calls.map((c) => c.data), operation.predecessor, operation.salt],
  });
  return { hash: tx.hash, gasUsed: tx.gasUsed, receipt: tx.receipt };
}
