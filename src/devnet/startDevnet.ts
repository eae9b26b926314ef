import { encodeFunctionData, keccak256, toHex, type Address, type Hex } from "viem";
import { DEPLOYMENT_DEFAULTS } from "../../deploy/coreWiring.js";
import { MembershipPrivateProofModule } from "../../ignition/modules/MembershipPrivateProof.js";
import { RollupRootProofVerifierModule } from "../../ignition/modules/RollupRootProofVerifier.js";
import { RollupRootProofVerifierOnlyModule } from "../../ignition/modules/RollupRootProofVerifierOnly.js";
import { TeeAndZkQuorumRootsModule } from "../../ignition/modules/TeeAndZkQuorumRoots.js";
import { TeeQuorumRootsModule } from "../../ignition/modules/TeeQuorumRoots.js";
import { TeezkModule } from "../../ignition/modules/Teezk.js";
import { enclaveRegistryAbi, executeTimelockCalls, ROLE_IDS, scheduleTimelockCalls, type TeezkClients, type TimelockCall } from "../chain/index.js";
import { TeezkError } from "../errors/index.js";
import { emptyRollupRoot } from "./emptyRollupRoot.js";
import type { Devnet, DevnetAddresses, GovernReturnType, HardhatConnection } from "./types.js";

export const ENCLAVE_REMOVER_ROLE = ROLE_IDS.ENCLAVE_REMOVER_ROLE;
/** Short enough that governance in a demo or test is one `increaseTime`, long enough to be a real delay. */
export const DEVNET_TIMELOCK_DELAY = 60n;
/** The production default: the escape hatch is exercised in a demo by advancing the chain past it. */
export const DEVNET_ESCAPE_DELAY = DEPLOYMENT_DEFAULTS.escapeDelay;

export type StartDevnetParameters = {
  /** The committee's verifier-node addresses (CommitteeAttestationVerifier members). */
  committee: readonly Address[];
  /** Verdicts a registration needs; default all of `committee`. */
  committeeThreshold?: number;
  programId: Hex;
  /** Genesis time of the chain (to verify real evidence at its own time); default now. */
  initialDate?: string;
  timelockDelay?: bigint;
  escapeDelay?: bigint;
  /** Distinct vendors a root needs (TDX and SGX are both Intel); default 2. */
  minVendors?: bigint;
  /**
   * The rollup's state root before epoch 1: the roots contract's ZK leg is RollupRootProofVerifier over it.
   * Default: the rollup with no accounts (emptyRollupRoot).
   */
  rollupGenesisRoot?: Hex;
  /**
   * Deploys some other ZK root verifier instead, once per roots contract (a test's double:
   * test/chain/support/system.ts); the devnet itself only ever deploys the rollup's.
   */
  deployRootProofVerifier?: (connection: HardhatConnection) => Promise<Address>;
};
export type StartDevnetReturnType = Devnet & { connection: HardhatConnection };
export type StartDevnetErrorType = TeezkError;

/**
 * Starts an in-process Hardhat chain (EDR) and deploys teezk with the production Ignition modules: the core
 * (timelock governor, registries, committee path, receipts), the two MultiProverRoots types (TeeQuorumRoots, and
 * TeeAndZkQuorumRoots, where every root also needs a ZK proof) and the membership PrivateProofVerifier; then,
 * through the timelock, makes both roots contracts enclave removers so a conflict removes its signers. The
 * deployer is the timelock's only proposer and holds no governor role afterwards.
 *
 * Each roots contract's ZK leg is the rollup's (its own RollupRootProofVerifier over the one generated rollup
 * verifier), for the state `rollupGenesisRoot` starts; a test may deploy others with `deployRootProofVerifier`.
 * Needs compiled artifacts (`npx hardhat compile`) and the hardhat devDependency: a devnet is a development
 * tool, never a deployment (deploy/deploy.ts is).
 */
export async function startDevnet(parameters: StartDevnetParameters): Promise<StartDevnetReturnType> {
  if (parameters.committee.length === 0) throw new TeezkError("CONFIG_INVALID", "A devnet needs at least one committee node");
  const { network } = await import("hardhat");
  const connection = await network.create(parameters.initialDate ? { override: { initialDate: parameters.initialDate } } : undefined);
  const { viem, ignition, networkHelpers } = connection;
  const publicClient = await viem.getPublicClient();
  const [deployer, guardian] = await viem.getWalletClients();
  if (!deployer || !guardian) throw new TeezkError("CONFIG_INVALID", "The in-process chain has fewer than two funded accounts");
  const clients: TeezkClients = { publicClient, walletClient: deployer };
  const timelockDelay = parameters.timelockDelay ?? DEVNET_TIMELOCK_DELAY;
  const escapeDelay = parameters.escapeDelay ?? DEVNET_ESCAPE_DELAY;
  // Hardhat's artifact types are not in the tsconfig (artifacts/ is a build output), so results are read as addresses.
  const addressOf = (contract: unknown): Address => (contract as { address: Address }).address;

  const core = await ignition.deploy(TeezkModule, {
    parameters: {
      Teezk: {
        minDelay: timelockDelay,
        proposers: [deployer.account.address],
        guardian: guardian.account.address,
        committeeNodes: [...parameters.committee],
        committeeThreshold: BigInt(parameters.committeeThreshold ?? parameters.committee.length),
      },
    },
  });
  const zkLegs = await deployRootProofVerifiers(connection, parameters);
  const rootsParameters = (rootProofVerifier: Address) => ({
    governor: addressOf(core.timelock),
    enclaveRegistry: addressOf(core.enclaveRegistry),
    rootProofVerifier,
    programId: parameters.programId,
    minVendors: parameters.minVendors ?? DEPLOYMENT_DEFAULTS.minVendors,
    escapeDelay,
  });
  const { roots } = await ignition.deploy(TeeQuorumRootsModule, { parameters: { TeeQuorumRoots: rootsParameters(zkLegs.teeQuorum) } });
  const teeAndZk = await ignition.deploy(TeeAndZkQuorumRootsModule, { parameters: { TeeAndZkQuorumRoots: rootsParameters(zkLegs.teeAndZk) } });
  const privateProof = await ignition.deploy(MembershipPrivateProofModule, {
    parameters: { MembershipPrivateProof: { receiptVerifier: addressOf(core.receiptVerifier), programId: parameters.programId } },
  });
  const addresses: DevnetAddresses = {
    timelock: addressOf(core.timelock),
    measurementRegistry: addressOf(core.measurementRegistry),
    enclaveRegistry: addressOf(core.enclaveRegistry),
    committee: addressOf(core.committee),
    receiptVerifier: addressOf(core.receiptVerifier),
    batchReceipts: addressOf(core.batchReceipts),
    multiProverRoots: addressOf(roots),
    rootProofVerifier: zkLegs.teeQuorum,
    teeAndZkRoots: addressOf(teeAndZk.roots),
    teeAndZkRootProofVerifier: zkLegs.teeAndZk,
    privateProofVerifier: addressOf(privateProof.privateProofVerifier),
    membershipGroth16Verifier: addressOf(privateProof.membershipGroth16Verifier),
  };

  let operations = 0;
  const govern = async (calls: readonly TimelockCall[]): Promise<GovernReturnType> => {
    // A counter, not randomness, so two runs schedule the same operation ids.
    const salt = keccak256(toHex(`teezk devnet operation ${operations++}`));
    const scheduled = await scheduleTimelockCalls({ ...clients, timelock: addresses.timelock, calls, salt });
    await networkHelpers.time.increaseTo(scheduled.readyAt);
    const executed = await executeTimelockCalls({ ...clients, timelock: addresses.timelock, operation: scheduled.operation });
    return { scheduleHash: scheduled.hash, executeHash: executed.hash, gasUsed: scheduled.gasUsed + executed.gasUsed };
  };
  await govern(
    [addresses.multiProverRoots, addresses.teeAndZkRoots].map((roots) => ({
      target: addresses.enclaveRegistry,
      value: 0n,
      data: encodeFunctionData({ abi: enclaveRegistryAbi, functionName: "grantRole", args: [ENCLAVE_REMOVER_ROLE, roots] }),
    })),
  );
  return {
    connection,
    clients,
    addresses,
    chainId: await publicClient.getChainId(),
    programId: parameters.programId,
    committee: [...parameters.committee],
    timelockDelay,
    escapeDelay,
    chainNow: async () => new Date(Number((await publicClient.getBlock()).timestamp) * 1000),
    govern,
    increaseTime: async (seconds) => {
      await networkHelpers.time.increase(seconds);
    },
    close: async () => {
      await connection.close();
    },
  };
}

/** The ZK leg of each roots contract: two RollupRootProofVerifiers over one generated Groth16 verifier (stateless). */
async function deployRootProofVerifiers(connection: HardhatConnection, parameters: StartDevnetParameters): Promise<{ teeQuorum: Address; teeAndZk: Address }> {
  if (parameters.deployRootProofVerifier) {
    return { teeQuorum: await parameters.deployRootProofVerifier(connection), teeAndZk: await parameters.deployRootProofVerifier(connection) };
  }
  const genesisRoot = parameters.rollupGenesisRoot ?? emptyRollupRoot();
  const address = (contract: unknown): Address => (contract as { address: Address }).address;
  const first = await connection.ignition.deploy(RollupRootProofVerifierModule, {
    parameters: { RollupRootProofVerifier: { programId: parameters.programId, genesisRoot } },
  });
  const second = await connection.ignition.deploy(RollupRootProofVerifierOnlyModule, {
    parameters: { RollupRootProofVerifierOnly: { groth16Verifier: address(first.groth16Verifier), programId: parameters.programId, genesisRoot } },
  });
  return { teeQuorum: address(first.rootProofVerifier), teeAndZk: address(second.rootProofVerifier) };
}
