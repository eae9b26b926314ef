import { encodeAbiParameters, keccak256, toHex, type Address, type Hex, type LocalAccount } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { TeezkClients, TimelockCall } from "../../../src/chain/index.js";
import { computeBinding, type Claims } from "../../../src/claims/index.js";
import type { Receipt } from "../../../src/receipts/index.js";
import {
  allowClaims as allowClaimsOnDevnet,
  buildDevReferenceValues,
  DEVNET_ACCEPTED_STATUSES,
  DEVNET_ESCAPE_DELAY,
  DEVNET_MAX_EVIDENCE_AGE,
  DEVNET_TIMELOCK_DELAY,
  ENCLAVE_REMOVER_ROLE,
  probeSimulatedClaims as probeOnDevnet,
  registerThroughCommittee,
  startDevnet,
  writeCollateralFolder,
  type Devnet,
  type DevnetAddresses,
  type HardhatConnection,
} from "../../../src/devnet/index.js";
import { isTeezkError } from "../../../src/errors/index.js";
import { createVerifierSigner, type VerifierSigner } from "../../../src/services/verifierSigner.js";
import { simulateEvidence } from "../../../src/tee/simulated/index.js";
import type { PinnedRoot } from "../../../src/util/x509.js";

// The chain tests' view of src/devnet: one program, committee keys held by the test, pseudo HPKE keys.
export const PROGRAM_ID = keccak256(toHex("teezk chain test program"));
export { ENCLAVE_REMOVER_ROLE };
export const TIMELOCK_DELAY = DEVNET_TIMELOCK_DELAY;
export const ESCAPE_DELAY = DEVNET_ESCAPE_DELAY;
export const ACCEPTED_STATUSES = DEVNET_ACCEPTED_STATUSES;
export const MAX_EVIDENCE_AGE = DEVNET_MAX_EVIDENCE_AGE;

/** Deterministic keys so failures reproduce; committee node i and enclave i. */
export const testAccount = (label: string): LocalAccount => privateKeyToAccount(keccak256(toHex(`teezk test key ${label}`)));

export type TeezkSystem = {
  devnet: Devnet;
  connection: HardhatConnection;
  clients: TeezkClients;
  addresses: DevnetAddresses;
  chainId: number;
  /** The committee's verifier-node keys (threshold = all of them unless stated). */
  nodeAccounts: LocalAccount[];
  /** Latest block time as a Date. */
  chainNow: () => Promise<Date>;
  /** Schedules `calls` on the timelock, advances the chain past the delay, executes. */
  govern: (calls: TimelockCall[]) => Promise<void>;
};

export type DeployTeezkSystemParameters = {
  /** Genesis time of the in-process chain (to verify real evidence at its own time); default now. */
  initialDate?: string;
  committeeSize?: number;
  committeeThreshold?: number;
};

/** src/devnet's chain (production Ignition modules, timelock governor) with test-held committee keys. */
export async function deployTeezkSystem(parameters: DeployTeezkSystemParameters = {}): Promise<TeezkSystem> {
  const nodeAccounts = Array.from({ length: parameters.committeeSize ?? 3 }, (_, i) => testAccount(`node ${i}`));
  const devnet = await startDevnet({
    committee: nodeAccounts.map((a) => a.address),
    programId: PROGRAM_ID,
    // The chain tests drive the roots contract's ZK leg with the double's well-known proofs (zkProofFor).
    deployRootProofVerifier: async (connection) => (await connection.viem.deployContract("RootProofVerifierTestDouble")).address,
    ...(parameters.committeeThreshold ? { committeeThreshold: parameters.committeeThreshold } : {}),
    ...(parameters.initialDate ? { initialDate: parameters.initialDate } : {}),
  });
  return {
    devnet,
    connection: devnet.connection,
    clients: devnet.clients,
    addresses: devnet.addresses,
    chainId: devnet.chainId,
    nodeAccounts,
    chainNow: devnet.chainNow,
    govern: async (calls) => {
      await devnet.govern(calls);
    },
  };
}

export type SimulatedVendorName = "nitro" | "tdx" | "sevsnp";

/** Simulated evidence for `binding` at `now`, with what a verifier needs to check it. */
export function simulate(vendor: SimulatedVendorName, binding: Hex, now: Date): { evidence: Uint8Array; collateralDir?: string; trustedRoot: PinnedRoot } {
  const simulated = simulateEvidence({ vendor, binding, now });
  const collateralDir = writeCollateralFolder({ simulated });
  return { evidence: simulated.evidence, trustedRoot: simulated.trustedRoot, ...(collateralDir ? { collateralDir } : {}) };
}

/** What a dev deployment allows for a simulated vendor: its default measurement and dev root. */
export function probeSimulatedClaims(vendor: SimulatedVendorName, now: Date): Claims {
  return probeOnDevnet({ vendor, now }).claims;
}

/** Governance (through the timelock) allowing `claims`' measurement and root for PROGRAM_ID, with a policy. */
export async function allowClaims(system: TeezkSystem, claims: Claims, maxEvidenceAge = MAX_EVIDENCE_AGE): Promise<void> {
  await allowClaimsOnDevnet({ devnet: system.devnet, claims: [claims], maxEvidenceAge });
}

/** Committee nodes with reference values that allow exactly `claimsList`' measurements and roots. */
export function createNodes(system: TeezkSystem, claimsList: readonly Claims[], extraTrustedRoots: readonly PinnedRoot[] = []): VerifierSigner[] {
  const referenceValues = buildDevReferenceValues({ allowed: claimsList });
  return system.nodeAccounts.map((account) =>
    createVerifierSigner({
      account,
      committee: { chainId: system.chainId, verifyingContract: system.addresses.committee },
      referenceValues,
      ...(extraTrustedRoots.length ? { extraTrustedRoots } : {}),
    }),
  );
}

export type AllowSimulatedVendorsReturnType = {
  /** Each vendor's default claims at the chain's time, in the order given. */
  probes: Claims[];
  /** The committee's nodes, allowing exactly `probes` and trusting the vendors' dev roots. */
  nodes: VerifierSigner[];
};

/**
 * The setup before simulated enclaves register: governance allows each vendor's default measurement and dev root
 * for PROGRAM_ID, and the committee's nodes allow exactly those claims and trust those roots.
 */
export async function allowSimulatedVendors(system: TeezkSystem, vendors: readonly SimulatedVendorName[]): Promise<AllowSimulatedVendorsReturnType> {
  const at = await system.chainNow();
  const probes = vendors.map((vendor) => probeSimulatedClaims(vendor, at));
  for (const claims of probes) await allowClaims(system, claims);
  const nodes = createNodes(system, probes, vendors.map((vendor, i) => simulate(vendor, probes[i]!.reportData, at).trustedRoot));
  return { probes, nodes };
}

export type RegisteredEnclave = { account: LocalAccount; claims: Claims; gasUsed: bigint; hash: Hex; hpkeKeyHash: Hex; nonce: Hex };

/**
 * The whole registration flow for a simulated enclave (src/devnet registerThroughCommittee) with the test's
 * in-process nodes; `gasUsed` and `hash` are the register transaction's. The HPKE key is a stand-in (no channel
 * is opened in these tests), still bound into the evidence and hashed on-chain.
 */
export async function registerSimulatedEnclave(
  system: TeezkSystem,
  nodes: readonly VerifierSigner[],
  vendor: SimulatedVendorName,
  account: LocalAccount,
): Promise<RegisteredEnclave> {
  const hpkePublicKey = keccak256(toHex(`hpke ${account.address}`));
  const registered = await registerThroughCommittee({
    devnet: system.devnet,
    attest: async (nonce) => {
      const sim = simulate(vendor, computeBinding({ enclaveAddress: account.address, hpkePublicKey, nonce }), await system.chainNow());
      return { enclaveAddress: account.address as Address, hpkePublicKey, evidence: sim.evidence, ...(sim.collateralDir ? { collateralDir: sim.collateralDir } : {}) };
    },
    collectVerdicts: ({ attestation, binding, now }) =>
      Promise.all(
        nodes.map((node) =>
          node.attest({ evidence: attestation.evidence, now, expectedBinding: binding, ...(attestation.collateralDir ? { collateralDir: attestation.collateralDir } : {}) }),
        ),
      ),
  });
  return { account, claims: registered.claims, gasUsed: registered.registerGasUsed, hash: registered.registerHash, hpkeKeyHash: registered.hpkeKeyHash, nonce: registered.nonce };
}

/** The RootProofVerifierTestDouble's valid proof for PROGRAM_ID: abi.encode(keccak256(abi.encode(programId, epoch, root))). */
export const zkProofFor = (epoch: bigint, root: Hex): Hex =>
  encodeAbiParameters([{ type: "bytes32" }], [keccak256(encodeAbiParameters([{ type: "bytes32" }, { type: "uint64" }, { type: "bytes32" }], [PROGRAM_ID, epoch, root]))]);

/** A bytes32 derived from a label, for readable test values. */
export const word = (label: string): Hex => keccak256(toHex(label));

/** Latest block time in seconds, as receipts' issuedAt counts it. */
export async function chainNowSeconds(system: TeezkSystem): Promise<bigint> {
  return BigInt(Math.floor((await system.chainNow()).getTime() / 1000));
}

/** A receipt whose digests and nonce derive from `label`, so distinct labels give distinct receipts. */
export function labelledReceipt(label: string | number, issuedAt: bigint, programId: Hex = PROGRAM_ID): Receipt {
  return {
    programId,
    inputDigest: word(`in ${label}`),
    outputDigest: word(`out ${label}`),
    proofDigest: word(`proof ${label}`),
    issuedAt,
    nonce: word(`nonce ${label}`),
  };
}

/** The custom error a chain helper failed with (from CHAIN_CALL_FAILED details), or "no revert". */
export async function revertOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    if (isTeezkError(error, "CHAIN_CALL_FAILED")) return error.details ?? "";
    throw error;
  }
  return "no revert";
}
