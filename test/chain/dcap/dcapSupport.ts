/**
 * The on-chain DCAP route under test: a fresh in-process chain per case (its clock set to the sample's time),
 * DcapCollateralStore pinned to a root, DcapAttestationVerifier over it, and the fixture's collateral pushed.
 */
import { createHash, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { toHex, type Address, type Hex } from "viem";
import { dcapCollateralStoreAbi, dcapAttestationVerifierAbi } from "../../../src/chain/contractAbis.js";
import { pushDcapCollateral, type DcapUpload, type TeezkClients } from "../../../src/chain/index.js";
import { dcapCollateralUploads } from "../../../src/collateral/index.js";
import { loadDcapCollateral, type DcapCollateral } from "../../../src/evidence/tdx/collateral/index.js";
import { parseDcapQuote } from "../../../src/evidence/tdx/parseDcapQuote.js";
import { fixturePath } from "../../../src/fixtures/fixturesDir.js";
import { parsePemBundle } from "../../../src/util/x509.js";

export const INTEL_ROOT_DER = new Uint8Array(readFileSync(fixturePath("roots/intel-sgx/Intel_SGX_Root_CA.der")));
export const sha256 = (bytes: Uint8Array): Hex => toHex(createHash("sha256").update(bytes).digest());

export type DcapChain = {
  clients: TeezkClients;
  store: Address;
  verifier: Address;
  connection: Awaited<ReturnType<typeof import("hardhat")["network"]["create"]>>;
  close: () => Promise<void>;
};

export async function deployDcap(at: Date, rootDer: Uint8Array = INTEL_ROOT_DER, hardfork?: string): Promise<DcapChain> {
  const { network } = await import("hardhat");
  const connection = await network.create({ override: { initialDate: new Date(at.getTime() - 3_600_000), ...(hardfork ? { hardfork } : {}) } } as never);
  const { viem, networkHelpers } = connection;
  const publicClient = await viem.getPublicClient();
  const [walletClient] = await viem.getWalletClients();
  const store = await viem.deployContract("DcapCollateralStore", [sha256(rootDer), toHex(rootDer)]);
  const verifier = await viem.deployContract("DcapAttestationVerifier", [store.address]);
  await networkHelpers.time.increaseTo(Math.floor(at.getTime() / 1000));
  return {
    clients: { publicClient: publicClient as never, walletClient: walletClient as never },
    store: store.address,
    verifier: verifier.address,
    connection,
    close: () => connection.close(),
  };
}

/** The PCK CA of a quote's own chain (chain[1]). */
export function pckCaOf(quote: Uint8Array): X509Certificate[] {
  return parsePemBundle(parseDcapQuote(quote).pckChainPem).slice(1, 2);
}

export function uploadsFor(folder: string, quote: Uint8Array): { collateral: DcapCollateral; uploads: DcapUpload[] } {
  const collateral = loadDcapCollateral(fixturePath(folder));
  return { collateral, uploads: dcapCollateralUploads(collateral, pckCaOf(quote)) };
}

export async function push(chain: DcapChain, uploads: readonly DcapUpload[]) {
  return pushDcapCollateral({ clients: chain.clients, store: chain.store, uploads });
}

export type OnChainClaims = {
  teeType: number; measurement: Hex; reportData: Hex; platformId: Hex; rootHash: Hex; timestamp: bigint; tcbStatus: number; svn: number; debug: boolean;
};

export async function verifyOnChain(chain: DcapChain, quote: Uint8Array): Promise<OnChainClaims> {
  return (await chain.clients.publicClient.readContract({
    address: chain.verifier, abi: dcapAttestationVerifierAbi, functionName: "verifyQuote", args: [toHex(quote)],
  })) as OnChainClaims;
}

export { dcapCollateralStoreAbi, dcapAttestationVerifierAbi };
