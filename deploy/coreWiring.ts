import { ROLE_IDS, ROUTE_IDS } from "../src/chain/roleAndRouteIds.js";

/**
 * The teezk core as data, read by both deployment paths (deploy/deployTeezk.ts over any RPC with viem,
 * ignition/modules/Teezk.ts with Hardhat Ignition), so the two cannot wire the system differently. Each path
 * supplies its own kind of reference `V`: an address, or an Ignition future or parameter.
 */

/**
 * What every deployment path uses when the operator gives nothing: a 2-day timelock delay, anyone may execute a
 * ready operation (executor address zero), and a MultiProverRoots root needs 2 distinct vendors, with a 7-day ZK
 * escape delay.
 */
export const DEPLOYMENT_DEFAULTS = {
  minDelay: 172_800n,
  executors: ["0x0000000000000000000000000000000000000000"] as readonly `0x${string}`[],
  minVendors: 2n,
  escapeDelay: 604_800n,
} as const;

/** What a deployment is given: the deployer (governs only while wiring) and the module's parameters. */
export type CoreInputs<V> = {
  deployer: V;
  minDelay: V;
  proposers: V;
  executors: V;
  guardian: V;
  committeeNodes: V;
  committeeThreshold: V;
};
export type CoreContractKey = "timelock" | "measurementRegistry" | "enclaveRegistry" | "committee" | "receiptVerifier" | "batchReceipts";
export type CoreRefs<V> = CoreInputs<V> & Record<CoreContractKey, V>;

type Arg<V> = V | number | string;

/** The core contracts in deployment order (each names only contracts before it), with their constructor arguments. */
export const CORE_CONTRACTS: readonly { key: CoreContractKey; contractName: string; args: <V>(refs: CoreRefs<V>) => readonly Arg<V>[] }[] = [
  // No canceller besides the proposers: address zero.
  { key: "timelock", contractName: "TeezkTimelock", args: (r) => [r.minDelay, r.proposers, r.executors, "0x0000000000000000000000000000000000000000"] },
  { key: "measurementRegistry", contractName: "MeasurementRegistry", args: (r) => [r.deployer, r.guardian] },
  { key: "enclaveRegistry", contractName: "EnclaveRegistry", args: (r) => [r.measurementRegistry, r.deployer] },
  { key: "committee", contractName: "CommitteeAttestationVerifier", args: (r) => [r.deployer, r.committeeNodes, r.committeeThreshold] },
  { key: "receiptVerifier", contractName: "ReceiptVerifier", args: (r) => [r.enclaveRegistry] },
  { key: "batchReceipts", contractName: "BatchReceipts", args: (r) => [r.enclaveRegistry] },
];

/**
 * One call the deployer makes while it still governs. `ignitionId` is the Ignition future id (Ignition's own
 * `Contract.function` when absent); the ids are kept as they were, since Ignition orders a batch's futures by id
 * and a new id would change which nonce, and so which address, later contracts get.
 */
export type CoreWiringCall = {
  ignitionId?: string;
  on: CoreContractKey;
  functionName: "addRoute" | "grantRole" | "addLivenessSink";
  args: <V>(refs: CoreRefs<V>) => readonly Arg<V>[];
};

/** The wiring, in the order deployTeezk sends it. */
export const CORE_WIRING: readonly CoreWiringCall[] = [
  { on: "enclaveRegistry", functionName: "addRoute", args: (r) => [ROUTE_IDS.committee, r.committee] },
  { ignitionId: "grantGuardianRemover", on: "enclaveRegistry", functionName: "grantRole", args: (r) => [ROLE_IDS.ENCLAVE_REMOVER_ROLE, r.guardian] },
  // The registry advances the liveness epoch when it removes a key; without this role removals revert.
  { ignitionId: "grantRegistryLivenessEpoch", on: "measurementRegistry", functionName: "grantRole", args: (r) => [ROLE_IDS.LIVENESS_EPOCH_ROLE, r.enclaveRegistry] },
  // BatchReceipts' inclusion fast path reads a pushed copy of the liveness epoch; unwired, it always checks in full.
  { ignitionId: "addBatchReceiptsLivenessSink", on: "measurementRegistry", functionName: "addLivenessSink", args: (r) => [r.batchReceipts] },
];

/**
 * The contracts whose GOVERNOR_ROLE the deployer hands to the timelock (grant, then renounce) once everything is
 * wired, so every later change is a timelock proposal.
 */
export const GOVERNED_BY_TIMELOCK: readonly CoreContractKey[] = ["measurementRegistry", "enclaveRegistry", "committee"];
