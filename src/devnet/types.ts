import type { Address, Hex } from "viem";
import type { TeezkAddresses, TeezkClients, TimelockCall } from "../chain/index.js";

/** A Hardhat network connection (viem, ignition, networkHelpers) as `network.create()` returns it. */
export type HardhatConnection = Awaited<ReturnType<Awaited<typeof import("hardhat")>["network"]["create"]>>;

/** Every contract a devnet deploys. */
export type DevnetAddresses = Required<TeezkAddresses> & {
  /** The ZK root verifier `multiProverRoots` (TeeQuorumRoots) calls: RollupRootProofVerifier (see startDevnet). */
  rootProofVerifier: Address;
  /** TeeAndZkQuorumRoots: a root needs live enclaves of `minVendors` vendors AND a verified ZK proof. */
  teeAndZkRoots: Address;
  /** Its own RollupRootProofVerifier (same program and genesis, same generated Groth16 verifier). */
  teeAndZkRootProofVerifier: Address;
  /** PrivateProofVerifier for the membership circuit (ignition/modules/MembershipPrivateProof.ts). */
  privateProofVerifier: Address;
  /** The membership circuit's snarkjs-generated Groth16 verifier. */
  membershipGroth16Verifier: Address;
};

/** What a governance step cost: the schedule and execute transactions. */
export type GovernReturnType = { scheduleHash: Hex; executeHash: Hex; gasUsed: bigint };

/**
 * A chain with teezk deployed and governed by its timelock: in-process (startDevnet, which adds its Hardhat
 * connection) or on a separate node over JSON-RPC (deployDevnetToNode).
 */
export type Devnet = {
  clients: TeezkClients;
  addresses: DevnetAddresses;
  chainId: number;
  /** The program every devnet enclave registers for, the roots contract serves and private proofs carry. */
  programId: Hex;
  /** The committee's verifier-node addresses, as the CommitteeAttestationVerifier was deployed with. */
  committee: readonly Address[];
  timelockDelay: bigint;
  escapeDelay: bigint;
  /** Latest block time. */
  chainNow: () => Promise<Date>;
  /** Schedules `calls` on the timelock, advances the chain past its delay, executes. */
  govern: (calls: readonly TimelockCall[]) => Promise<GovernReturnType>;
  /** Advances chain time by `seconds` and mines a block. */
  increaseTime: (seconds: bigint | number) => Promise<void>;
  /** Ends an in-process chain (its state is gone); leaves a separate node running. */
  close: () => Promise<void>;
};
