import type { Address, Hex } from "viem";
import { timelockAbi } from "../../chain/contractAbis.js";
import { describeGovernanceCall, type DescribedCall } from "./describeGovernanceCall.js";
import { readChainClock } from "./readChainClock.js";
import type { ChainClock, ConsoleReadParameters } from "./types.js";

export type TimelockOperationState = "pending" | "ready" | "done" | "cancelled";

export type TimelockOperationView = {
  id: Hex;
  calls: DescribedCall[];
  predecessor: Hex;
  salt: Hex;
  delay: bigint;
  /** Seconds; when it may execute (0 once done or cancelled). */
  readyAt: bigint;
  state: TimelockOperationState;
  scheduledInBlock: bigint;
  scheduledTx: Hex;
};

export type TimelockOperations = { clock: ChainClock; operations: TimelockOperationView[] };

const ZERO32 = `0x${"00".repeat(32)}` as Hex;

/**
 * Every timelock operation from its CallScheduled/CallSalt/CallExecuted/Cancelled logs (one indexed query), each
 * call decoded. Readiness needs the operation's timestamp, read only for operations still open (few by nature).
 */
export async function loadTimelockOperations({ client, config }: ConsoleReadParameters): Promise<TimelockOperations> {
  const timelock = config.deployment.timelock;
  const [clock, logs] = await Promise.all([
    readChainClock(client),
    client.getContractEvents({ address: timelock, abi: timelockAbi, eventName: undefined, fromBlock: BigInt(config.fromBlock) }),
  ]);
  const byId = new Map<Hex, TimelockOperationView & { callsByIndex: Map<bigint, DescribedCall> }>();
  const done = new Set<Hex>();
  const cancelled = new Set<Hex>();
  const salts = new Map<Hex, Hex>();
  for (const log of logs) {
    const args = log.args as Record<string, unknown>;
    const id = args.id as Hex | undefined;
    if (!id) continue;
    if (log.eventName === "CallScheduled") {
      const op = byId.get(id) ?? {
        id,
        calls: [],
        callsByIndex: new Map(),
        predecessor: (args.predecessor as Hex) ?? ZERO32,
        salt: ZERO32,
        delay: args.delay as bigint,
        readyAt: 0n,
        state: "pending" as const,
        scheduledInBlock: log.blockNumber ?? 0n,
        scheduledTx: log.transactionHash ?? ZERO32,
      };
      op.callsByIndex.set(args.index as bigint, describeGovernanceCall(config.deployment, args.target as Address, args.data as Hex));
      byId.set(id, op);
    } else if (log.eventName === "CallSalt") salts.set(id, args.salt as Hex);
    else if (log.eventName === "CallExecuted") done.add(id);
    else if (log.eventName === "Cancelled") cancelled.add(id);
  }
  const open = [...byId.keys()].filter((id) => !done.has(id) && !cancelled.has(id));
  const timestamps = await Promise.all(open.map((id) => client.readContract({ address: timelock, abi: timelockAbi, functionName: "getTimestamp", args: [id] })));
  const readyAt = new Map(open.map((id, i) => [id, timestamps[i] ?? 0n]));
  const operations = [...byId.values()].map(({ callsByIndex, ...op }): TimelockOperationView => {
    const at = readyAt.get(op.id) ?? 0n;
    const state: TimelockOperationState = done.has(op.id) ? "done" : cancelled.has(op.id) ? "cancelled" : at <= clock.timestamp ? "ready" : "pending";
    return { ...op, calls: [...callsByIndex.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, call]) => call), salt: salts.get(op.id) ?? ZERO32, readyAt: at, state };
  });
  return { clock, operations: operations.reverse() };
}
