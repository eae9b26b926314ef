import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeFunctionData, keccak256, toHex, type Address, type Hex, type LocalAccount } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { TeeQuorumRootsModule } from "../../../ignition/modules/TeeQuorumRoots.js";
import { TeezkModule } from "../../../ignition/modules/Teezk.js";
import {
  buildAllowMeasurementCalls,
  enclaveRegistryAbi,
  executeTimelockCalls,
  issueChallenge,
  registerEnclave,
  scheduleTimelockCalls,
  tcbStatusBitmap,
  type TeezkAddresses,
  type TeezkClients,
  type TimelockCall,
} from "../../../src/chain/index.js";
import { isTeezkError } from "../../../src/errors/index.js";
import { computeBinding, type Claims, type TcbStatusName } from "../../../src/claims/index.js";
import type { DcapCollateral } from "../../../src/evidence/tdx/collateral/index.js";
import { verifyEvidence } from "../../../src/evidence/verifyEvidence.js";
import { parseReferenceValues, type ReferenceValues } from "../../../src/policy/index.js";
import { createVerifierSigner, type VerifierSigner } from "../../../src/services/verifierSigner.js";
import { simulateEvidence } from "../../../src/tee/simulated/index.js";
import type { PinnedRoot } from "../../../src/util/x509.js";

export const PROGRAM_ID = keccak256(toHex("teezk chain test program"));
export const ENCLAVE_REMOVER_ROLE = keccak256(toHex("ENCLAVE_REMOVER_ROLE"));
export const TIMELOCK_DELAY = 60n;
export const ESCAPE_DELAY = 7n * 24n * 3600n;
/** Statuses the on-chain policy and the nodes' reference values accept. */
export const ACCEPTED_STATUSES: TcbStatusName[] = ["UP_TO_DATE", "NOT_APPLICABLE"];
export const MAX_EVIDENCE_AGE = 3600n;

/** Deterministic keys so failures reproduce; committee node i and enclave i. */
export const testAccount = (label: string): LocalAccount => privateKeyToAccount(keccak256(toHex(`teezk test key ${label}`)));

type Connection = Awaited<ReturnType<Awaited<typeof import("hardhat")>["network"]["connect"]>>;

export type TeezkSystem = {
  connection: Connection;
  clients: TeezkClients;
  addresses: Required<TeezkAddresses> & { rootProofVerifier: Address };
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

/**
 * An in-process Hardhat chain with teezk deployed by the production Ignition modules (core + TeeQuorumRoots with
 * the RootProofVerifier test double), then, through the timelock, the roots contract made an enclave remover.
 */
export async function deployTeezkSystem(parameters: DeployTeezkSystemParameters = {}): Promise<TeezkSystem> {
  const { network } = await import("hardhat");
  const connection = await network.connect(parameters.initialDate ? { override: { initialDate: parameters.initialDate } } : undefined);
  const { viem, ignition, networkHelpers } = connection;
  const publicClient = await viem.getPublicClient();
  const [deployer, guardian] = await viem.getWalletClients();
  const clients: TeezkClients = { publicClient, walletClient: deployer! };
  const size = parameters.committeeSize ?? 3;
  const nodeAccounts = Array.from({ length: size }, (_, i) => testAccount(`node ${i}`));
  const core = await ignition.deploy(TeezkModule, {
    parameters: {
      Teezk: {
        minDelay: TIMELOCK_DELAY,
        proposers: [deployer!.account.address],
        guardian: guardian!.account.address,
        committeeNodes: nodeAccounts.map((a) => a.address),
        committeeThreshold: BigInt(parameters.committeeThreshold ?? size),
      },
    },
  });
  // Hardhat's artifact types are not in the tsconfig (artifacts/ is a build output), so results are read as addresses.
  const addressOf = (contract: unknown): Address => (contract as { address: Address }).address;
  const rootProofVerifier = await viem.deployContract("RootProofVerifierTestDouble");
  const { roots } = await ignition.deploy(TeeQuorumRootsModule, {
    parameters: {
      TeeQuorumRoots: {
        governor: addressOf(core.timelock),
        enclaveRegistry: addressOf(core.enclaveRegistry),
        rootProofVerifier: addressOf(rootProofVerifier),
        programId: PROGRAM_ID,
        minTeeTypes: 2n,
        escapeDelay: ESCAPE_DELAY,
      },
    },
  });
  const addresses = {
    timelock: addressOf(core.timelock),
    measurementRegistry: addressOf(core.measurementRegistry),
    enclaveRegistry: addressOf(core.enclaveRegistry),
    committee: addressOf(core.committee),
    receiptVerifier: addressOf(core.receiptVerifier),
    batchReceipts: addressOf(core.batchReceipts),
    multiProverRoots: addressOf(roots),
    rootProofVerifier: addressOf(rootProofVerifier),
  };
  const govern = async (calls: TimelockCall[]) => {
    const scheduled = await scheduleTimelockCalls({ ...clients, timelock: addresses.timelock, calls, salt: keccak256(toHex(`op ${Math.random()}`)) });
    await networkHelpers.time.increaseTo(scheduled.readyAt);
    await executeTimelockCalls({ ...clients, timelock: addresses.timelock, operation: scheduled.operation });
  };
  await govern([
    {
      target: addresses.enclaveRegistry,
      value: 0n,
      data: encodeFunctionData({ abi: enclaveRegistryAbi, functionName: "grantRole", args: [ENCLAVE_REMOVER_ROLE, addresses.multiProverRoots] }),
    },
  ]);
  const chainNow = async () => new Date(Number((await publicClient.getBlock()).timestamp) * 1000);
  return { connection, clients, addresses, chainId: await publicClient.getChainId(), nodeAccounts, chainNow, govern };
}

/** Writes simulated DCAP collateral as an Intel PCS folder, so verifyEvidence (which reads folders) can use it. */
export function writeDcapCollateralFolder(collateral: DcapCollateral): string {
  const dir = mkdtempSync(join(tmpdir(), "teezk-dcap-"));
  const item = (member: string, signed: NonNullable<DcapCollateral["tcbInfo"]> | NonNullable<DcapCollateral["qeIdentity"]>) =>
    `{"${member}":${Buffer.from(signed.signedBytes).toString("utf8")},"signature":"${Buffer.from(signed.signature).toString("hex")}"}`;
  writeFileSync(join(dir, "tcb_info.json"), item("tcbInfo", collateral.tcbInfo!));
  writeFileSync(join(dir, "qe_identity.json"), item("enclaveIdentity", collateral.qeIdentity!));
  writeFileSync(join(dir, "tcb_signing_chain.pem"), collateral.tcbInfo!.issuerChain!.map((c) => c.toString()).join(""));
  return dir;
}

export type SimulatedVendorName = "nitro" | "tdx";

/** Simulated evidence for `binding` at `now`, with what a verifier needs to check it. */
export function simulate(vendor: SimulatedVendorName, binding: Hex, now: Date): { evidence: Uint8Array; collateralDir?: string; trustedRoot: PinnedRoot } {
  const sim = simulateEvidence({ vendor, binding, now });
  const collateralDir = vendor === "tdx" ? writeDcapCollateralFolder(sim.collateral as DcapCollateral) : undefined;
  return { evidence: sim.evidence, trustedRoot: sim.trustedRoot, ...(collateralDir ? { collateralDir } : {}) };
}

/**
 * What a dev deployment allows for a simulated vendor: its default measurement and dev root, read from a probe
 * verification (the registers are the documented defaults, so every simulated enclave of the vendor shares them).
 */
export function probeSimulatedClaims(vendor: SimulatedVendorName, now: Date): Claims {
  const zero = `0x${"00".repeat(32)}` as Hex;
  const sim = simulate(vendor, zero, now);
  return verifyEvidence({ evidence: sim.evidence, now, extraTrustedRoots: [sim.trustedRoot], ...(sim.collateralDir ? { collateralDir: sim.collateralDir } : {}) }).evidence.claims;
}

/** Governance (through the timelock) allowing `claims`' measurement and root for PROGRAM_ID, with a policy. */
export async function allowClaims(system: TeezkSystem, claims: Claims, maxEvidenceAge = MAX_EVIDENCE_AGE): Promise<void> {
  await system.govern(
    buildAllowMeasurementCalls({
      measurementRegistry: system.addresses.measurementRegistry,
      programId: PROGRAM_ID,
      teeType: claims.teeType,
      measurement: claims.measurement,
      policy: { acceptedTcbStatuses: tcbStatusBitmap(ACCEPTED_STATUSES), minSvn: 0, maxEvidenceAge },
      allowRootHashes: [claims.rootHash],
    }),
  );
}

/** Committee nodes with reference values that allow exactly `claimsList`' measurements and roots. */
export function createNodes(system: TeezkSystem, claimsList: readonly Claims[], extraTrustedRoots: readonly PinnedRoot[] = []): VerifierSigner[] {
  const tee: Record<string, unknown> = {};
  const names = { 1: "TDX", 2: "SEV_SNP", 3: "NITRO", 4: "NVIDIA_GPU", 5: "SGX" } as const;
  for (const claims of claimsList) {
    const name = names[claims.teeType];
    const previous = tee[name] as { allowedMeasurements: Hex[]; allowedRoots: Hex[] } | undefined;
    tee[name] = {
      allowedMeasurements: [...(previous?.allowedMeasurements ?? []), claims.measurement],
      allowedRoots: [...(previous?.allowedRoots ?? []), claims.rootHash],
      acceptedTcbStatuses: ACCEPTED_STATUSES,
    };
  }
  const referenceValues: ReferenceValues = parseReferenceValues({ version: 1, maxAgeSeconds: Number(MAX_EVIDENCE_AGE), tee });
  return system.nodeAccounts.map((account) =>
    createVerifierSigner({
      account,
      committee: { chainId: system.chainId, verifyingContract: system.addresses.committee },
      referenceValues,
      ...(extraTrustedRoots.length ? { extraTrustedRoots } : {}),
    }),
  );
}

export type RegisteredEnclave = { account: LocalAccount; claims: Claims; gasUsed: bigint; hash: Hex; hpkeKeyHash: Hex; nonce: Hex };

/**
 * The whole registration flow for a simulated enclave: registry challenge → binding of (enclave, HPKE key,
 * challenge) → simulated evidence carrying it → every node verifies, appraises and signs → register.
 */
export async function registerSimulatedEnclave(
  system: TeezkSystem,
  nodes: readonly VerifierSigner[],
  vendor: SimulatedVendorName,
  account: LocalAccount,
): Promise<RegisteredEnclave> {
  const { challenge } = await issueChallenge({ ...system.clients, enclaveRegistry: system.addresses.enclaveRegistry });
  const hpkePublicKey = keccak256(toHex(`hpke ${account.address}`));
  const binding = computeBinding({ enclaveAddress: account.address, hpkePublicKey, nonce: challenge });
  const now = await system.chainNow();
  const sim = simulate(vendor, binding, now);
  const verdicts = await Promise.all(
    nodes.map((node) => node.attest({ evidence: sim.evidence, now, expectedBinding: binding, ...(sim.collateralDir ? { collateralDir: sim.collateralDir } : {}) })),
  );
  const claims = verdicts[0]!.claims;
  const hpkeKeyHash = keccak256(hpkePublicKey);
  const { gasUsed, hash } = await registerEnclave({
    ...system.clients,
    enclaveRegistry: system.addresses.enclaveRegistry,
    programId: PROGRAM_ID,
    claims,
    enclave: account.address,
    hpkeKeyHash,
    nonce: challenge,
    verdicts: verdicts.map((v) => v.verdict),
  });
  return { account, claims, gasUsed, hash, hpkeKeyHash, nonce: challenge };
}

/** A bytes32 derived from a label, for readable test values. */
export const word = (label: string): Hex => keccak256(toHex(label));

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
