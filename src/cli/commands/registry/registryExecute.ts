import { executeTimelockCalls, timelockAbi, type TeezkClients } from "../../../chain/index.js";
import { TeezkError } from "../../../errors/index.js";
import { isoTime, transactionOutput, type ChainCommandOutput } from "../../support/chainCommandOutput.js";
import { explainChainError } from "../../support/explainChainError.js";
import type { ChainDeployment } from "../../support/resolveDeployment.js";
import { readTimelockOperationFile } from "./timelockOperationFile.js";

export type RegistryExecuteParameters = TeezkClients & {
  deployment: ChainDeployment;
  /** The file `registry schedule-allow --save` wrote. */
  operationFile: string;
};
export type RegistryExecuteErrorType = TeezkError;

/** TimelockController.getOperationState values. */
const STATE = { UNSET: 0, WAITING: 1, READY: 2, DONE: 3 } as const;

/**
 * `teezk registry execute`: runs a scheduled timelock batch once its delay has passed. The operation's state is
 * read first, so "too early", "never scheduled" and "already done" are reported as such (with the time it becomes
 * ready) rather than as the timelock's bare TimelockUnexpectedOperationState.
 */
export async function registryExecute(parameters: RegistryExecuteParameters): Promise<ChainCommandOutput> {
  const { deployment, publicClient, walletClient } = parameters;
  const file = readTimelockOperationFile(parameters.operationFile);
  if (deployment.timelock && deployment.timelock !== file.timelock) {
    throw new TeezkError("CONFIG_INVALID", `The operation was scheduled on timelock ${file.timelock}, but the deployment's timelock is ${deployment.timelock}`);
  }
  try {
    const [state, readyAt, block] = await Promise.all([
      publicClient.readContract({ address: file.timelock, abi: timelockAbi, functionName: "getOperationState", args: [file.id] }),
      publicClient.readContract({ address: file.timelock, abi: timelockAbi, functionName: "getTimestamp", args: [file.id] }),
      publicClient.getBlock(),
    ]);
    if (state === STATE.UNSET) {
      throw new TeezkError("TIMELOCK_NOT_READY", `Operation ${file.id} was never scheduled on timelock ${file.timelock} (or was cancelled)`, {
        metaMessages: ["Schedule it with `registry schedule-allow`; check --rpc-url points at the chain it was scheduled on."],
      });
    }
    if (state === STATE.DONE) throw new TeezkError("TIMELOCK_NOT_READY", `Operation ${file.id} was already executed`);
    if (state === STATE.WAITING) {
      throw new TeezkError("TIMELOCK_NOT_READY", `Operation ${file.id} is inside its delay until ${isoTime(readyAt)} (${readyAt - block.timestamp} s from the latest block)`, {
        metaMessages: ["Run `registry execute` again after that time; the delay is what lets users and the guardian react."],
      });
    }
    const tx = await executeTimelockCalls({ publicClient, walletClient, timelock: file.timelock, operation: file.operation });
    return transactionOutput("registry execute", `executed timelock operation ${file.id} (${file.operation.calls.length} call(s))`, tx, { ...deployment, timelock: file.timelock }, { id: file.id });
  } catch (error) {
    throw explainChainError(error, "registry execute");
  }
}
