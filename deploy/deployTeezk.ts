import { toHex, type Address, type Hex } from "viem";
import { chainCallError } from "../src/chain/chainCallError.js";
import { ROLE_IDS, ROUTE_IDS } from "../src/chain/roleAndRouteIds.js";
import type { TeezkAddresses } from "../src/chain/types.js";
import { TeezkError } from "../src/errors/index.js";
import { INTEL_SGX_ROOT_CA, INTEL_SGX_ROOT_CA_DER_BASE64 } from "../src/evidence/tdx/collateral/index.js";
import { connectDeployer } from "./connectDeployer.js";
import { CORE_CONTRACTS, CORE_WIRING, GOVERNED_BY_TIMELOCK, type CoreContractKey, type CoreRefs } from "./coreWiring.js";

export type DeployTeezkParameters = {
  rpcUrl: string;
  privateKey: Hex;
  /** Timelock minimum delay in seconds. */
  minDelay: bigint;
  /** Timelock proposers; the deployer when empty. */
  proposers: Address[];
  /** Timelock executors; `[zeroAddress]` lets anyone execute a ready operation. */
  executors: Address[];
  guardian: Address;
  committeeNodes: Address[];
  committeeThreshold: bigint;
  /**
   * Deploy a committee whose threshold is 1 on a chain that is not a development chain (31337, 1337): any one
   * member key then attests anything. Refused (SINGLE_KEY_COMMITTEE) unless set.
   */
  acceptOneKeyAttestsAnything?: boolean;
  /**
   * Optional SP1 paths: the SP1 verifier gateway and the teezk program's verification key (one program, both
   * modes). Deploys Sp1AttestationVerifier as route 2 and Sp1ReceiptVerifier; without it neither is deployed.
   */
  sp1?: { verifier: Address; programVKey: Hex };
  /**
   * Optional on-chain DCAP route: DcapCollateralStore pinned to a root certificate, DcapAttestationVerifier over it,
   * added as route 3 in the initial wiring. `{}` pins Intel's SGX Root CA; a dev deployment gives its own root's
   * DER and the SHA-256 it pins (the store refuses a DER that does not hash to the pin: RootHashMismatch).
   */
  dcap?: { root?: { der: Uint8Array; sha256: Hex } };
  /** Optional MultiProverRoots; `zkRequired` picks the contract type, never a runtime flag. */
  multiProver?: {
    rootProofVerifier: Address;
    programId: Hex;
    /** Distinct vendors per root (1..3: Intel, AMD, AWS). */
    minVendors: bigint;
    escapeDelay: bigint;
    zkRequired: boolean;
  };
  /** Where the compiled Hardhat artifacts are (default: ../artifacts; contracts under its contracts/). */
  artifactsDir?: string;
};

/** The deployment's addresses as src/chain names them (TeezkAddresses), plus the optional SP1 and DCAP contracts (named as the CLI's --deployment file reads them). */
export type DeployTeezkReturnType = TeezkAddresses & {
  chainId: number;
  deployer: Address;
  sp1AttestationVerifier?: Address;
  sp1ReceiptVerifier?: Address;
  dcapCollateralStore?: Address;
  dcapVerifier?: Address;
};

export type DeployTeezkErrorType = TeezkError;

/** Hardhat's and the usual local development chains' ids, where a one-key committee is the normal setup. */
const DEVELOPMENT_CHAIN_IDS: readonly number[] = [31337, 1337];

/**
 * Refuses a committee in which one key attests anything (threshold 1) outside a development chain, unless the
 * caller named the risk: a committee verdict is all the committee route asks before a key becomes live.
 */
export function assertCommitteeNotOneKey(
  parameters: Pick<DeployTeezkParameters, "committeeThreshold" | "committeeNodes" | "acceptOneKeyAttestsAnything"> & { chainId: number },
): void {
  if (parameters.committeeThreshold >= 2n || DEVELOPMENT_CHAIN_IDS.includes(parameters.chainId)) return;
  if (parameters.acceptOneKeyAttestsAnything) return;
  throw new TeezkError(
    "SINGLE_KEY_COMMITTEE",
    `A committee with threshold ${parameters.committeeThreshold} of ${parameters.committeeNodes.length} on chain ${parameters.chainId} lets any one member key attest anything`,
    {
      metaMessages: [
        "Give TEEZK_COMMITTEE_NODES (independent verifier nodes) and TEEZK_COMMITTEE_THRESHOLD ≥ 2,",
        "or set TEEZK_ACCEPT_ONE_KEY_ATTESTS_ANYTHING=true (acceptOneKeyAttestsAnything) if that is really meant.",
      ],
    },
  );
}

const ARTIFACTS: Record<string, string> = {
  TeezkTimelock: "governance/TeezkTimelock.sol",
  MeasurementRegistry: "governance/MeasurementRegistry.sol",
  EnclaveRegistry: "registry/EnclaveRegistry.sol",
  CommitteeAttestationVerifier: "attestation/CommitteeAttestationVerifier.sol",
  Sp1AttestationVerifier: "attestation/Sp1AttestationVerifier.sol",
  Sp1ReceiptVerifier: "receipts/Sp1ReceiptVerifier.sol",
  ReceiptVerifier: "receipts/ReceiptVerifier.sol",
  BatchReceipts: "receipts/BatchReceipts.sol",
  DcapCollateralStore: "attestation/dcap/DcapCollateralStore.sol",
  DcapAttestationVerifier: "attestation/dcap/DcapAttestationVerifier.sol",
  TeeQuorumRoots: "multiprover/TeeQuorumRoots.sol",
  TeeAndZkQuorumRoots: "multiprover/TeeAndZkQuorumRoots.sol",
};

/**
 * Deploys and wires teezk on any RPC with viem: the deployer governs only while wiring (committee route, optional
 * SP1 route and SP1 receipt verifier, optional on-chain DCAP route, guardian and MultiProverRoots as enclave removers, the enclave registry's
 * right to advance the liveness epoch, BatchReceipts as a liveness sink), then grants GOVERNOR_ROLE to the
 * timelock and renounces its own, so every later change is a timelock proposal. Run `npx hardhat compile` first.
 */
export async function deployTeezk(parameters: DeployTeezkParameters): Promise<DeployTeezkReturnType> {
  const connected = await connectDeployer({
    rpcUrl: parameters.rpcUrl,
    privateKey: parameters.privateKey,
    ...(parameters.artifactsDir ? { artifactsDir: parameters.artifactsDir } : {}),
  });
  const { publicClient, account, chainId } = connected;
  assertCommitteeNotOneKey({ ...parameters, chainId });
  const artifactOf = (name: string) => ({ name, source: `contracts/${ARTIFACTS[name]}` });
  const deploy = (name: string, args: readonly unknown[]) => connected.deploy(artifactOf(name), args);
  const send = (name: string, address: Address, functionName: string, args: readonly unknown[]) => connected.send(artifactOf(name), address, functionName, args);

  if (parameters.sp1) {
    // A mistyped gateway would only surface at the first proof; refuse it before deploying anything.
    const code = await publicClient.getCode({ address: parameters.sp1.verifier }).catch((cause: unknown) => {
      throw chainCallError(`Reading the code at ${parameters.sp1?.verifier}`, cause);
    });
    if (!code || code === "0x") {
      throw new TeezkError("CONFIG_INVALID", `The SP1 verifier ${parameters.sp1.verifier} has no code on chain ${chainId}`, {
        metaMessages: ["Give the chain's SP1 verifier gateway (TEEZK_SP1_VERIFIER), or leave it unset to deploy without the SP1 paths."],
      });
    }
  }

  // The DCAP store needs nothing from the core, so it goes first: a root that does not hash to its pin is refused
  // (RootHashMismatch) before anything else is deployed.
  let dcap: { dcapCollateralStore: Address; dcapVerifier: Address } | undefined;
  if (parameters.dcap) {
    const root = parameters.dcap.root ?? { der: Buffer.from(INTEL_SGX_ROOT_CA_DER_BASE64, "base64"), sha256: `0x${INTEL_SGX_ROOT_CA.sha256}` as Hex };
    const dcapCollateralStore = await deploy("DcapCollateralStore", [root.sha256, toHex(root.der)]);
    dcap = { dcapCollateralStore, dcapVerifier: await deploy("DcapAttestationVerifier", [dcapCollateralStore]) };
  }

  const deployer = account.address;
  const refs = {
    deployer,
    minDelay: parameters.minDelay,
    proposers: parameters.proposers.length > 0 ? parameters.proposers : [deployer],
    executors: parameters.executors,
    guardian: parameters.guardian,
    committeeNodes: parameters.committeeNodes,
    committeeThreshold: parameters.committeeThreshold,
  } as CoreRefs<unknown>;
  const contractNames = {} as Record<CoreContractKey, string>;
  for (const contract of CORE_CONTRACTS) {
    contractNames[contract.key] = contract.contractName;
    refs[contract.key] = await deploy(contract.contractName, contract.args(refs));
  }
  for (const call of CORE_WIRING) await send(contractNames[call.on], refs[call.on] as Address, call.functionName, call.args(refs));
  const core = refs as CoreRefs<Address>;
  const { timelock, measurementRegistry, enclaveRegistry } = core;

  const result: DeployTeezkReturnType = {
    chainId,
    deployer,
    timelock,
    measurementRegistry,
    enclaveRegistry,
    committee: core.committee,
    receiptVerifier: core.receiptVerifier,
    batchReceipts: core.batchReceipts,
  };

  if (parameters.sp1) {
    result.sp1AttestationVerifier = await deploy("Sp1AttestationVerifier", [
      parameters.sp1.verifier,
      parameters.sp1.programVKey,
    ]);
    await send("EnclaveRegistry", enclaveRegistry, "addRoute", [ROUTE_IDS.sp1, result.sp1AttestationVerifier]);
    result.sp1ReceiptVerifier = await deploy("Sp1ReceiptVerifier", [
      parameters.sp1.verifier,
      parameters.sp1.programVKey,
      measurementRegistry,
    ]);
  }
  if (dcap) {
    Object.assign(result, dcap);
    await send("EnclaveRegistry", enclaveRegistry, "addRoute", [ROUTE_IDS.dcap, dcap.dcapVerifier]);
  }
  if (parameters.multiProver) {
    const mp = parameters.multiProver;
    const name = mp.zkRequired ? "TeeAndZkQuorumRoots" : "TeeQuorumRoots";
    result.multiProverRoots = await deploy(name, [
      timelock,
      enclaveRegistry,
      mp.rootProofVerifier,
      mp.programId,
      mp.minVendors,
      mp.escapeDelay,
    ]);
    await send("EnclaveRegistry", enclaveRegistry, "grantRole", [ROLE_IDS.ENCLAVE_REMOVER_ROLE, result.multiProverRoots]);
  }

  for (const key of GOVERNED_BY_TIMELOCK) {
    await send(contractNames[key], core[key], "grantRole", [ROLE_IDS.GOVERNOR_ROLE, timelock]);
    await send(contractNames[key], core[key], "renounceRole", [ROLE_IDS.GOVERNOR_ROLE, deployer]);
  }
  return result;
}
