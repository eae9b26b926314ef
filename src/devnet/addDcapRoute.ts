import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { encodeFunctionData, toHex, type Abi, type Address, type Hex } from "viem";
import { DCAP_PATH, enclaveRegistryAbi, pushDcapCollateral, type PushDcapCollateralReturnType, type TeezkClients, type TimelockCall } from "../chain/index.js";
import { dcapCollateralUploads } from "../collateral/dcapCollateralUploads.js";
import { TeezkError } from "../errors/index.js";
import { parseDcapQuote } from "../evidence/tdx/parseDcapQuote.js";
import { getDevRoots, simulateDcapCollateral, simulateDcapQuote, type DevRoots } from "../tee/simulated/index.js";
import { parsePemBundle } from "../util/x509.js";
import type { Devnet } from "./types.js";

export type AddDcapRouteParameters = {
  devnet: Devnet;
  devRoots?: DevRoots;
  /** Governance calls to run in the same timelock operation as addRoute (e.g. allowing a measurement). */
  extraCalls?: readonly TimelockCall[];
};
export type AddDcapRouteReturnType = { store: Address; verifier: Address; collateral: PushDcapCollateralReturnType; gasUsed: bigint };
export type AddDcapRouteErrorType = TeezkError;

const ARTIFACTS = new URL("../../artifacts/contracts/attestation/dcap/", import.meta.url);

/**
 * The on-chain DCAP route on a devnet (in-process or on a node): a DcapCollateralStore pinning the simulated TEEs'
 * dev Intel root (never a real deployment's choice), a DcapAttestationVerifier over it added as route DCAP_PATH by
 * governance, and the simulated platform's TDX collateral pushed, so a simulated TDX quote registers with no
 * committee.
 */
export async function addDcapRoute({ devnet, devRoots = getDevRoots(), extraCalls = [] }: AddDcapRouteParameters): Promise<AddDcapRouteReturnType> {
  const root = new Uint8Array(devRoots.intel.root.certificate.raw);
  const storeDeployed = await deploy(devnet.clients, "DcapCollateralStore", [toHex(createHash("sha256").update(root).digest()), toHex(root)]);
  const verifierDeployed = await deploy(devnet.clients, "DcapAttestationVerifier", [storeDeployed.address]);
  const governed = await devnet.govern([
    { target: devnet.addresses.enclaveRegistry, value: 0n, data: encodeFunctionData({ abi: enclaveRegistryAbi, functionName: "addRoute", args: [DCAP_PATH, verifierDeployed.address] }) },
    ...extraCalls,
  ]);
  const now = await devnet.chainNow();
  const pckCa = parsePemBundle(parseDcapQuote(simulateDcapQuote({ kind: "tdx", binding: `0x${"00".repeat(32)}`, devRoots })).pckChainPem).slice(1, 2);
  // TDX only: each simulated collateral set has its own TCB signing key under the same certificate name, and the
  // store keeps one certificate per name.
  const uploads = dcapCollateralUploads(simulateDcapCollateral({ kind: "tdx", devRoots, now }), pckCa);
  const collateral = await pushDcapCollateral({ clients: devnet.clients, store: storeDeployed.address, uploads });
  const gasUsed = storeDeployed.gasUsed + verifierDeployed.gasUsed + governed.gasUsed + collateral.sent.reduce((sum, item) => sum + item.gasUsed, 0n);
  return { store: storeDeployed.address, verifier: verifierDeployed.address, collateral, gasUsed };
}

async function deploy({ publicClient, walletClient }: TeezkClients, name: string, args: readonly unknown[]): Promise<{ address: Address; gasUsed: bigint }> {
  let artifact: { abi: Abi; bytecode: Hex };
  try {
    artifact = JSON.parse(readFileSync(new URL(`${name}.sol/${name}.json`, ARTIFACTS), "utf8")) as { abi: Abi; bytecode: Hex };
  } catch (cause) {
    throw new TeezkError("CONFIG_INVALID", `Missing artifact for ${name}`, { cause, metaMessages: ["Run `npx hardhat compile` first."] });
  }
  const hash = await walletClient.deployContract({ abi: artifact.abi, bytecode: artifact.bytecode, args: args as never, account: walletClient.account, chain: walletClient.chain });
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success" || !receipt.contractAddress) throw new TeezkError("CHAIN_CALL_FAILED", `Deploying ${name} reverted`, { details: hash });
  return { address: receipt.contractAddress, gasUsed: receipt.gasUsed };
}
