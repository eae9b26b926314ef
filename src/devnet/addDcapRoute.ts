import { createHash } from "node:crypto";
import { encodeFunctionData, toHex, type Address } from "viem";
import { dcapCollateralUploads, DCAP_PATH, enclaveRegistryAbi, pushDcapCollateral, type PushDcapCollateralReturnType } from "../chain/index.js";
import { parseDcapQuote } from "../evidence/tdx/parseDcapQuote.js";
import { getDevRoots, simulateDcapCollateral, simulateDcapQuote, type DevRoots } from "../tee/simulated/index.js";
import { parsePemBundle } from "../util/x509.js";
import type { StartDevnetReturnType } from "./startDevnet.js";

/** An in-process devnet: the contracts are deployed through its Hardhat connection. */
export type AddDcapRouteParameters = { devnet: StartDevnetReturnType; devRoots?: DevRoots };
export type AddDcapRouteReturnType = { store: Address; verifier: Address; collateral: PushDcapCollateralReturnType };

/**
 * The on-chain DCAP route on a devnet: a DcapCollateralStore pinning the simulated TEEs' dev Intel root (never a
 * real deployment's choice), a DcapAttestationVerifier over it added as route DCAP_PATH by governance, and the
 * simulated platform's TDX collateral pushed, so a simulated quote registers with no committee.
 */
export async function addDcapRoute({ devnet, devRoots = getDevRoots() }: AddDcapRouteParameters): Promise<AddDcapRouteReturnType> {
  const { viem } = devnet.connection;
  const root = new Uint8Array(devRoots.intel.root.certificate.raw);
  const store = await viem.deployContract("DcapCollateralStore", [toHex(createHash("sha256").update(root).digest()), toHex(root)]);
  const verifier = await viem.deployContract("DcapAttestationVerifier", [store.address]);
  await devnet.govern([
    { target: devnet.addresses.enclaveRegistry, value: 0n, data: encodeFunctionData({ abi: enclaveRegistryAbi, functionName: "addRoute", args: [DCAP_PATH, verifier.address] }) },
  ]);
  const now = await devnet.chainNow();
  const pckCa = parsePemBundle(parseDcapQuote(simulateDcapQuote({ kind: "tdx", binding: `0x${"00".repeat(32)}`, devRoots })).pckChainPem).slice(1, 2);
  // TDX only: each simulated collateral set has its own TCB signing key under the same certificate name, and the
  // store keeps one certificate per name.
  const uploads = dcapCollateralUploads(simulateDcapCollateral({ kind: "tdx", devRoots, now }), pckCa);
  const collateral = await pushDcapCollateral({ clients: devnet.clients, store: store.address, uploads });
  return { store: store.address, verifier: verifier.address, collateral };
}
