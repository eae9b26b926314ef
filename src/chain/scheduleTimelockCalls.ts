import { encodeAbiParameters, keccak256, type Address, type Hex } from "viem";
import { TeezkError } from "../errors/index.js";
import { timelockAbi } from "./contractAbis.js";
import type { TimelockCall } from "./buildAllowMeasurementCalls.js";
import { chainCallError } from "./chainCallError.js";
import { sendContractTransaction } from "./sendContractTransaction.js";
import type { TeezkClients, TransactionResult } from "./types.js";

const ZERO32 = `0x${"00".repeat(32)}` as const;

export type TimelockOperation = {
  calls: readonly TimelockCall[];
  /** Distinguishes two otherwise equal operations. */
  salt: Hex;
  /** An operation that must have executed first; zero for none. */
  predecessor: Hex;
};

export type ScheduleTimelockCallsParameters = TeezkClients & {
  timelock: Address;
  calls: readonly TimelockCall[];
  salt?: Hex;
  predecessor?: Hex;
  /** Default: the timelock's minimum delay. */
  delay?: bigint;
};
export type ScheduleTimelockCallsReturnType = TransactionResult & {
  operation: TimelockOperation;
  /** TimelockController.hashOperationBatch of the operation. */
  id: Hex;
  /** When executeTimelockCalls may run it (seconds). */
  readyAt: bigint;
};
export type ScheduleTimelockCallsErrorType = TeezkError;

/** The id TimelockController.hashOperationBatch gives an operation. */
export function timelockOperationId({ calls, predecessor, salt }: TimelockOperation): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: "address[]" }, { type: "uint256[]" }, { type: "bytes[]" }, { type: "bytes32" }, { type: "bytes32" }],
      [calls.map((c) => c.target), calls.map((c) => c.value), calls.map((c) => c.data), predecessor, salt],
    ),
  );
}

/**
 * Proposes `calls` as one TimelockController batch (the sender needs PROPOSER_ROLE). They can be executed once
 * `readyAt` has passed: the delay is what lets users and the guardian react to a governance change.
 */
export async function scheduleTimelockCalls(parameters: ScheduleTimelockCallsParameters): Promise<ScheduleTimelockCallsReturnType> {
  const { publicClient, walletClient, timelock, calls } = parameters;
  if (calls.length === 0) throw new TeezkError("CONFIG_INVALID", "A timelock operation needs at least one call");
  const operation: TimelockOperation = { calls, salt: parameters.salt ?? ZERO32, predecessor: parameters.predecessor ?? ZERO32 };
  let delay = parameters.delay;
  if (delay === undefined) {
    try {
      delay = await publicClient.readContract({ address: timelock, abi: timelockAbi, functionName: "getMinDelay" });
    } catch (error) {
      throw chainCallError("getMinDelay", error);
    }
  }
  const tx = await sendContractTransaction(
    { publicClient, walletClient },
    {
      address: timelock,
      abi: timelockAbi,
      functionName: "scheduleBatch",
      args: [calls.map((c) => c.target), calls.map((c) => c.value), calls.map((c) => c.data), operation.predecessor, operation.salt, delay],
    },
  );
  const id = timelockOperationId(operation);
  const readyAt = await publicClient.readContract({ address: timelock, abi: timelockAbi, functionName: "getTimestamp", args: [id] });
  return { hash: tx.hash, gasUsed: tx.gasUsed, receipt: tx.receipt, operation, id, readyAt };
}
