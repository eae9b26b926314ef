import { encodeFunctionData, keccak256, toHex, type Address, type Hex } from "viem";
import { DEPLOYMENT_DEFAULTS } from "../../deploy/coreWiring.js";
import { connectDeployer, type ArtifactName } from "../../deploy/connectDeployer.js";
import { deployTeezk } from "../../deploy/deployTeezk.js";
import {
  advanceChainTime,
  chainCallError,
  enclaveRegistryAbi,
  executeTimelockCalls,
  ROLE_IDS,
  scheduleTimelockCalls,
  type TeezkClients,
  type TimelockCall,
} from "../chain/index.js";
import { TeezkError } from "../errors/index.js";
import { devAccount } from "./devAccount.js";
import { emptyRollupRoot } from "./emptyRollupRoot.js";
import { DEVNET_ESCAPE_DELAY, DEVNET_TIMELOCK_DELAY } from "./startDevnet.js";
import type { Devnet, DevnetAddresses, GovernReturnType } from "./types.js";

export type DeployDevnetToNodeParameters = {
  /** A node this process does not run (anvil, a testnet): everything goes over JSON-RPC. */
  rpcUrl: string;
  /** The deployer and the timelock's only proposer; it pays for every transaction the devnet sends. */
  privateKey: Hex;
  committee: readonly Address[];
  /** Verdicts a registration needs; default all of `committee`. */
  committeeThreshold?: number;
  programId: Hex;
  timelockDelay?: bigint;
  escapeDelay?: bigint;
  minVendors?: bigint;
  /** The rollup's state root before epoch 1 (see startDevnet); default the rollup with no accounts. */
  rollupGenesisRoot?: Hex;
  /**
   * On a node without evm_increaseTime, how long governance may wait for the node's own blocks to pass the
   * timelock delay; default the delay plus two minutes.
   */
  governWaitMs?: number;
  /** This machine's time, which the simulated TEEs stamp evidence with; default now. */
  now?: Date;
};
export type DeployDevnetToNodeReturnType = Devnet & {
  /** The node's block number before the deployment: the run's own blocks come after it. */
  startBlock: bigint;
};
export type DeployDevnetToNodeErrorType = TeezkError;

/** Contracts the devnet deploys beside deployTeezk's, by artifact (compiled by `npx hardhat compile`). */
const MEMBERSHIP_GROTH16_VERIFIER: ArtifactName = { name: "MembershipGroth16Verifier", source: "contracts/zk/MembershipGroth16Verifier.sol" };
const PRIVATE_PROOF_VERIFIER: ArtifactName = { name: "PrivateProofVerifier", source: "contracts/receipts/PrivateProofVerifier.sol" };
/** The roots' ZK leg, as on the in-process devnet (ignition/modules/RollupRootProofVerifier.ts): the rollup circuit's. */
const ROLLUP_GROTH16_VERIFIER: ArtifactName = { name: "RollupGroth16VerifierLean", source: "contracts/zk/RollupGroth16VerifierLean.sol" };
const ROLLUP_ROOT_PROOF_VERIFIER: ArtifactName = { name: "RollupRootProofVerifier", source: "contracts/multiprover/RollupRootProofVerifier.sol" };
/** The roots contract that needs the TEE quorum AND a ZK proof, beside deployTeezk's TeeQuorumRoots (as startDevnet). */
const TEE_AND_ZK_QUORUM_ROOTS: ArtifactName = { name: "TeeAndZkQuorumRoots", source: "contracts/multiprover/TeeAndZkQuorumRoots.sol" };
const MEMBERSHIP_PUBLIC_SIGNALS = 4n;
/** How far the node's block time may be from this machine's: well inside the devnet's evidence-age limit (1 h). */
const MAX_CLOCK_SKEW_SECONDS = 600;

/**
 * The devnet's system on a separate Ethereum node: deployed through deploy/deployTeezk.ts (the production deploy
 * path: core, TeeQuorumRoots, the deployer renouncing governance to the timelock) plus the membership
 * PrivateProofVerifier, the roots' ZK leg (the rollup circuit's verifier behind RollupRootProofVerifier) and a
 * TeeAndZkQuorumRoots with its own RollupRootProofVerifier over the same Groth16 verifier, made an enclave remover
 * by a timelock proposal (the deployer no longer governs by then), with every later step over JSON-RPC. Time moves with evm_increaseTime + evm_mine where the node offers them (anvil);
 * elsewhere governance waits out the timelock delay in real time and `increaseTime` fails with
 * CHAIN_METHOD_UNSUPPORTED. `close` leaves the node running.
 */
export async function deployDevnetToNode(parameters: DeployDevnetToNodeParameters): Promise<DeployDevnetToNodeReturnType> {
  if (parameters.committee.length === 0) throw new TeezkError("CONFIG_INVALID", "A devnet needs at least one committee node");
  const timelockDelay = parameters.timelockDelay ?? DEVNET_TIMELOCK_DELAY;
  const escapeDelay = parameters.escapeDelay ?? DEVNET_ESCAPE_DELAY;
  const deployer = await connectDeployer({ rpcUrl: parameters.rpcUrl, privateKey: parameters.privateKey });
  const clients = { publicClient: deployer.publicClient, walletClient: deployer.walletClient };
  await assertClockNearOurs(clients.publicClient, parameters.now ?? new Date());
  const rollupGroth16Verifier = await deployer.deploy(ROLLUP_GROTH16_VERIFIER, []);
  const rootProofVerifier = await deployer.deploy(ROLLUP_ROOT_PROOF_VERIFIER, [rollupGroth16Verifier, parameters.programId, parameters.rollupGenesisRoot ?? emptyRollupRoot()]);
  const core = await deployTeezk({
    rpcUrl: parameters.rpcUrl,
    privateKey: parameters.privateKey,
    minDelay: timelockDelay,
    proposers: [deployer.account.address],
    executors: [deployer.account.address],
    // Holds no funds and sends nothing in the demo; a fixed dev address so two runs deploy the same wiring.
    guardian: devAccount("devnet guardian").address,
    committeeNodes: [...parameters.committee],
    committeeThreshold: BigInt(parameters.committeeThreshold ?? parameters.committee.length),
    multiProver: { rootProofVerifier, programId: parameters.programId, minVendors: parameters.minVendors ?? DEPLOYMENT_DEFAULTS.minVendors, escapeDelay, zkRequired: false },
  });
  const membershipGroth16Verifier = await deployer.deploy(MEMBERSHIP_GROTH16_VERIFIER, []);
  const privateProofVerifier = await deployer.deploy(PRIVATE_PROOF_VERIFIER, [core.receiptVerifier, membershipGroth16Verifier, MEMBERSHIP_PUBLIC_SIGNALS, parameters.programId]);
  const teeAndZkRootProofVerifier = await deployer.deploy(ROLLUP_ROOT_PROOF_VERIFIER, [rollupGroth16Verifier, parameters.programId, parameters.rollupGenesisRoot ?? emptyRollupRoot()]);
  const teeAndZkRoots = await deployer.deploy(TEE_AND_ZK_QUORUM_ROOTS, [
    core.timelock,
    core.enclaveRegistry,
    teeAndZkRootProofVerifier,
    parameters.programId,
    parameters.minVendors ?? DEPLOYMENT_DEFAULTS.minVendors,
    escapeDelay,
  ]);
  const addresses: DevnetAddresses = {
    timelock: core.timelock,
    measurementRegistry: core.measurementRegistry,
    enclaveRegistry: core.enclaveRegistry,
    committee: core.committee,
    receiptVerifier: core.receiptVerifier,
    batchReceipts: core.batchReceipts,
    multiProverRoots: core.multiProverRoots!,
    rootProofVerifier,
    teeAndZkRoots,
    teeAndZkRootProofVerifier,
    privateProofVerifier,
    membershipGroth16Verifier,
  };

  let operations = 0;
  const govern = async (calls: readonly TimelockCall[]): Promise<GovernReturnType> => {
    // A counter and the deployment's address, not randomness: two runs schedule the same operation ids, and a
    // second deployment on the same node never collides with the first's.
    const salt = keccak256(toHex(`teezk devnet ${addresses.timelock} operation ${operations++}`));
    const scheduled = await scheduleTimelockCalls({ ...clients, timelock: addresses.timelock, calls, salt });
    await advanceChainTime({ publicClient: clients.publicClient, until: scheduled.readyAt, waitMs: parameters.governWaitMs ?? Number(timelockDelay) * 1000 + 120_000 });
    const executed = await executeTimelockCalls({ ...clients, timelock: addresses.timelock, operation: scheduled.operation });
    return { scheduleHash: scheduled.hash, executeHash: executed.hash, gasUsed: scheduled.gasUsed + executed.gasUsed };
  };
  await govern([
    {
      target: addresses.enclaveRegistry,
      value: 0n,
      data: encodeFunctionData({ abi: enclaveRegistryAbi, functionName: "grantRole", args: [ROLE_IDS.ENCLAVE_REMOVER_ROLE, teeAndZkRoots] }),
    },
  ]);
  return {
    clients,
    addresses,
    chainId: deployer.chainId,
    startBlock: deployer.startBlock,
    programId: parameters.programId,
    committee: [...parameters.committee],
    timelockDelay,
    escapeDelay,
    chainNow: async () => new Date(Number((await clients.publicClient.getBlock()).timestamp) * 1000),
    govern,
    increaseTime: async (seconds) => {
      const now = (await clients.publicClient.getBlock()).timestamp;
      await advanceChainTime({ publicClient: clients.publicClient, until: now + BigInt(seconds) });
    },
    // The node is not ours to stop.
    close: async () => undefined,
  };
}

/**
 * Simulated TEEs and verifier nodes stamp evidence with this machine's clock, and the registry judges its age by
 * block time: on a node whose clock a previous run moved days ahead, every registration would revert
 * EvidenceTooOld after the whole deployment was paid for. Refused before anything is sent.
 */
async function assertClockNearOurs(publicClient: TeezkClients["publicClient"], now: Date): Promise<void> {
  const block = await publicClient.getBlock().catch((cause: unknown) => Promise.reject(chainCallError("Reading the latest block", cause)));
  const skew = Number(block.timestamp) - Math.floor(now.getTime() / 1000);
  if (Math.abs(skew) <= MAX_CLOCK_SKEW_SECONDS) return;
  const hours = (Math.abs(skew) / 3600).toFixed(1);
  throw new TeezkError("CHAIN_CLOCK_SKEWED", `The node's block time is ${hours} h ${skew > 0 ? "ahead of" : "behind"} this machine's clock`, {
    metaMessages: [
      "Evidence made now would be judged at the node's time (EvidenceTooOld or from the future): a previous run may have advanced its clock (evm_increaseTime); restart the node or use a fresh one.",
    ],
  });
}
