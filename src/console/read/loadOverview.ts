import { type Address, type Hex } from "viem";
import { committeeAttestationVerifierAbi, measurementRegistryAbi, multiProverRootsAbi, timelockAbi } from "../../chain/contractAbis.js";
import { foldRoles } from "./foldRoles.js";
import { roleHash } from "./labels.js";
import { readChainClock } from "./readChainClock.js";
import type { ChainClock, ConsoleReadParameters } from "./types.js";

export type RootsState = {
  address: Address;
  programId: Hex;
  halted: boolean;
  zkRequired: boolean;
  minVendors: bigint;
  escapeDelay: bigint;
  lastQuorumAt: bigint;
  escapeOpensAt: bigint;
};

export type Overview = {
  chainId: number;
  clock: ChainClock;
  timelockDelay: bigint;
  proposers: Address[];
  executors: Address[];
  cancellers: Address[];
  guardians: Address[];
  livenessEpoch: bigint;
  committeeMembers: Address[];
  committeeThreshold: bigint;
  roots?: RootsState;
};

/**
 * The Overview page: governance, liveness epoch, committee and the roots contract. Role holders and committee
 * members come from one indexed log query per contract (topics = the role events), never one call per account.
 */
export async function loadOverview({ client, config }: ConsoleReadParameters): Promise<Overview> {
  const { deployment } = config;
  const fromBlock = BigInt(config.fromBlock);
  const [chainId, clock, timelockDelay, livenessEpoch, committeeThreshold, timelockRoles, registryRoles, membership, roots] = await Promise.all([
    client.getChainId(),
    readChainClock(client),
    client.readContract({ address: deployment.timelock, abi: timelockAbi, functionName: "getMinDelay" }),
    client.readContract({ address: deployment.measurementRegistry, abi: measurementRegistryAbi, functionName: "livenessEpoch" }),
    client.readContract({ address: deployment.committee, abi: committeeAttestationVerifierAbi, functionName: "threshold" }),
    client.getContractEvents({ address: deployment.timelock, abi: timelockAbi, fromBlock }),
    client.getContractEvents({ address: deployment.measurementRegistry, abi: measurementRegistryAbi, fromBlock }),
    client.getContractEvents({ address: deployment.committee, abi: committeeAttestationVerifierAbi, fromBlock }),
    deployment.multiProverRoots ? loadRootsState(parametersFor(client, deployment.multiProverRoots)) : Promise.resolve(undefined),
  ]);
  const timelock = foldRoles(timelockRoles as never);
  const registry = foldRoles(registryRoles as never);
  const members = new Set<Address>();
  for (const log of membership) {
    if (log.eventName === "CommitteeMemberAdded") members.add(log.args.node as Address);
    if (log.eventName === "CommitteeMemberRemoved") members.delete(log.args.node as Address);
  }
  return {
    chainId,
    clock,
    timelockDelay,
    proposers: timelock.get(roleHash("PROPOSER_ROLE")) ?? [],
    executors: timelock.get(roleHash("EXECUTOR_ROLE")) ?? [],
    cancellers: timelock.get(roleHash("CANCELLER_ROLE")) ?? [],
    guardians: registry.get(roleHash("GUARDIAN_ROLE")) ?? [],
    livenessEpoch,
    committeeMembers: [...members],
    committeeThreshold,
    ...(roots ? { roots } : {}),
  };
}

const parametersFor = (client: ConsoleReadParameters["client"], address: Address) => ({ client, address });

/** The roots contract's state: halted, quorum rule and the escape hatch's clock. */
export async function loadRootsState({ client, address }: { client: ConsoleReadParameters["client"]; address: Address }): Promise<RootsState> {
  const read = <F extends "programId" | "halted" | "zkRequired" | "minVendors" | "escapeDelay" | "lastQuorumAt" | "escapeOpensAt">(functionName: F) =>
    client.readContract({ address, abi: multiProverRootsAbi, functionName });
  const [programId, halted, zkRequired, minVendors, escapeDelay, lastQuorumAt, escapeOpensAt] = await Promise.all([
    read("programId"),
    read("halted"),
    read("zkRequired"),
    read("minVendors"),
    read("escapeDelay"),
    read("lastQuorumAt"),
    read("escapeOpensAt"),
  ]);
  return { address, programId, halted, zkRequired, minVendors, escapeDelay: BigInt(escapeDelay), lastQuorumAt: BigInt(lastQuorumAt), escapeOpensAt };
}
