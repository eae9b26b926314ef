import type { Account, Address, Chain, Hash, PublicClient, TransactionReceipt, Transport, WalletClient } from "viem";
import { ROUTE_IDS } from "./roleAndRouteIds.js";

/** The two viem clients every call takes: a reader and a signer that pays for transactions. */
export type TeezkClients = {
  publicClient: PublicClient<Transport, Chain | undefined>;
  walletClient: WalletClient<Transport, Chain | undefined, Account>;
};

/** Addresses of one teezk deployment (ignition/modules/Teezk.ts, deploy/deployTeezk.ts). */
export type TeezkAddresses = {
  timelock: Address;
  measurementRegistry: Address;
  enclaveRegistry: Address;
  committee: Address;
  receiptVerifier: Address;
  batchReceipts: Address;
  multiProverRoots?: Address;
};

/** What every transaction helper returns besides its own result. */
export type TransactionResult = {
  hash: Hash;
  gasUsed: bigint;
  receipt: TransactionReceipt;
};

/** The attestation route id of the committee path in EnclaveRegistry. */
export const COMMITTEE_PATH = ROUTE_IDS.committee;
/** The on-chain DCAP route (DcapAttestationVerifier): the proof is the raw TDX/SGX quote. */
export const DCAP_PATH = ROUTE_IDS.dcap;
