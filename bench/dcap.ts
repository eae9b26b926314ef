import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { encodeFunctionData, toHex, type Address, type Hex } from "viem";
import { dcapAttestationVerifierAbi } from "../src/chain/contractAbis.js";
import { pushDcapCollateral, type TeezkClients } from "../src/chain/index.js";
import { dcapCollateralUploads } from "../src/collateral/index.js";
import { loadDcapCollateral } from "../src/evidence/tdx/collateral/index.js";
import { parseDcapQuote } from "../src/evidence/tdx/parseDcapQuote.js";
import { fixturePath } from "../src/fixtures/fixturesDir.js";
import { parsePemBundle } from "../src/util/x509.js";
import { keccak256 } from "viem";
import { issueChallenge, registerViaDcap } from "../src/chain/index.js";
import { computeBinding } from "../src/claims/index.js";
import { addDcapRoute, allowClaims, devAccount, startDevnet } from "../src/devnet/index.js";
import { getDevRoots, simulateDcapQuote } from "../src/tee/simulated/index.js";
import { issueDevCrl } from "../src/tee/simulated/issueDevCrl.js";
import { dcapCollateralStoreAbi } from "../src/chain/contractAbis.js";
import { sendContractTransaction } from "../src/chain/sendContractTransaction.js";
import type { BenchRow, BenchSuite } from "./types.js";

const INTEL_ROOT = new Uint8Array(readFileSync(fixturePath("roots/intel-sgx/Intel_SGX_Root_CA.der")));
const TDX = { folder: "tdx/dcapqvl-v4-b0c06f", file: "quote.bin", now: "2025-06-20T12:00:00Z" };
const SGX = { folder: "sgx/dcapqvl-v3-00a06711", file: "quote.bin", now: "2025-06-20T12:00:00Z" };

type Route = { clients: TeezkClients; store: Address; verifier: Address; close: () => Promise<void> };

async function deployRoute(at: Date, hardfork?: string): Promise<Route> {
  const { network } = await import("hardhat");
  const connection = await network.create({ override: { initialDate: new Date(at.getTime() - 3_600_000), ...(hardfork ? { hardfork } : {}) } } as never);
  const { viem, networkHelpers } = connection;
  const store = await viem.deployContract("DcapCollateralStore", [toHex(createHash("sha256").update(INTEL_ROOT).digest()), toHex(INTEL_ROOT)]);
  const verifier = await viem.deployContract("DcapAttestationVerifier", [store.address]);
  await networkHelpers.time.increaseTo(Math.floor(at.getTime() / 1000));
  const [walletClient] = await viem.getWalletClients();
  const clients = { publicClient: (await viem.getPublicClient()) as never, walletClient: walletClient as never } as TeezkClients;
  return { clients, store: store.address, verifier: verifier.address, close: () => connection.close() };
}

function sample(folder: string, file: string) {
  const quote = new Uint8Array(readFileSync(fixturePath(`${folder}/${file}`)));
  const collateral = loadDcapCollateral(fixturePath(folder));
  return { quote, uploads: dcapCollateralUploads(collateral, parsePemBundle(parseDcapQuote(quote).pckChainPem).slice(1, 2)) };
}

async function txGas(route: Route, data: Hex): Promise<number> {
  const { walletClient, publicClient } = route.clients;
  const hash = await walletClient.sendTransaction({ to: route.verifier, data, account: walletClient.account, chain: walletClient.chain });
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error("DCAP bench transaction reverted");
  return Number(receipt.gasUsed);
}

const verifyData = (quote: Uint8Array) => encodeFunctionData({ abi: dcapAttestationVerifierAbi, functionName: "verifyQuote", args: [toHex(quote)] });
const rememberData = (quote: Uint8Array) => encodeFunctionData({ abi: dcapAttestationVerifierAbi, functionName: "rememberPlatform", args: [toHex(quote)] });
const ITEM_CAP = "≤ 8.4M (EIP-7825 cap / 2)";

/** Gas of the on-chain DCAP route (issue 14): whole transactions, collateral stored first. */
export const dcapBench: BenchSuite = {
  name: "dcap",
  run: async () => {
    const rows: BenchRow[] = [];
    const tdx = sample(TDX.folder, TDX.file);
    const route = await deployRoute(new Date(TDX.now));
    try {
      const pushed = await pushDcapCollateral({ clients: route.clients, store: route.store, uploads: tdx.uploads });
      for (const item of pushed.sent) rows.push({ name: `gas.dcap.collateral.${slug(item.name)}`, value: Number(item.gasUsed), unit: "gas", target: ITEM_CAP, ...anchorOf(item.name) });
      rows.push({ name: "gas.dcap.tdx_v4.verify", value: await txGas(route, verifyData(tdx.quote)), unit: "gas", anchor: "Automata 4,268,317", target: "≤ 400k" });
      await txGas(route, rememberData(tdx.quote));
      rows.push({ name: "gas.dcap.tdx_v4.verify_known_platform", value: await txGas(route, verifyData(tdx.quote)), unit: "gas", target: "≤ 250k" });
      const sgx = sample(SGX.folder, SGX.file);
      const sgxPushed = await pushDcapCollateral({ clients: route.clients, store: route.store, uploads: sgx.uploads });
      for (const item of sgxPushed.sent) rows.push({ name: `gas.dcap.collateral.sgx_sample_${slug(item.name)}`, value: Number(item.gasUsed), unit: "gas", target: ITEM_CAP, ...anchorOf(item.name) });
      rows.push({ name: "gas.dcap.sgx_v3.verify", value: await txGas(route, verifyData(sgx.quote)), unit: "gas", anchor: "Automata 5,008,141", target: "≤ 400k" });
    } finally {
      await route.close();
    }
    const prague = await deployRoute(new Date(TDX.now), "prague");
    try {
      await pushDcapCollateral({ clients: prague.clients, store: prague.store, uploads: tdx.uploads });
      rows.push({ name: "gas.dcap.tdx_v4.verify_no_precompile", value: await txGas(prague, verifyData(tdx.quote)), unit: "gas", anchor: "Automata without EIP-7951: 5,905,730", target: "report" });
    } finally {
      await prague.close();
    }
    rows.push(...(await registerRows()));
    return rows;
  },
};

/** Whole registrations through route 3 on a devnet (simulated TDX, dev root), and a 129-serial PCK CRL upload. */
async function registerRows(): Promise<BenchRow[]> {
  const programId = keccak256(toHex("teezk bench dcap program"));
  const devnet = await startDevnet({ committee: [devAccount("bench dcap node").address], programId });
  try {
    const devRoots = getDevRoots();
    const { verifier, store } = await addDcapRoute({ devnet, devRoots });
    const probe = simulateDcapQuote({ kind: "tdx", binding: `0x${"00".repeat(32)}`, devRoots });
    const claims = (await devnet.clients.publicClient.readContract({ address: verifier, abi: dcapAttestationVerifierAbi, functionName: "verifyQuote", args: [toHex(probe)] })) as never;
    await allowClaims({ devnet, claims: [claims] });
    const register = async (label: string) => {
      const enclave = devAccount(label).address;
      const hpkePublicKey = keccak256(toHex(`${label} hpke`));
      const { challenge } = await issueChallenge({ ...devnet.clients, enclaveRegistry: devnet.addresses.enclaveRegistry, programId });
      const quote = simulateDcapQuote({ kind: "tdx", binding: computeBinding({ enclaveAddress: enclave, hpkePublicKey, nonce: challenge }), devRoots });
      const base = { ...devnet.clients, enclaveRegistry: devnet.addresses.enclaveRegistry, dcapVerifier: verifier, programId, enclave, hpkeKeyHash: keccak256(hpkePublicKey), nonce: challenge };
      return { quote, registered: await registerViaDcap({ ...base, quote }) };
    };
    const first = await register("bench dcap enclave 1");
    const rows: BenchRow[] = [{ name: "gas.register.dcap", value: Number(first.registered.gasUsed), unit: "gas", target: "≤ 450k" }];
    await txGas({ clients: devnet.clients, store, verifier, close: async () => {} }, rememberData(first.quote));
    const second = await register("bench dcap enclave 2");
    rows.push({ name: "gas.register.dcap_known_platform", value: Number(second.registered.gasUsed), unit: "gas", target: "report" });

    // Intel has served a 129-serial, 7,219-byte PCK CRL: a dev CRL of 129 serials must upload in one transaction.
    const now = await devnet.chainNow();
    const serials = Array.from({ length: 129 }, (_, i) => ({ serialNumber: `7f${i.toString(16).padStart(2, "0")}${"a5".repeat(18)}` }));
    const crl = issueDevCrl({ issuer: devRoots.intel.pckCa, now: new Date(now.getTime() + 2 * 86_400_000), revoked: serials as never });
    const sent = await sendContractTransaction(devnet.clients, { address: store, abi: dcapCollateralStoreAbi, functionName: "addCrl", args: [toHex(crl)] });
    rows.push({ name: "gas.dcap.collateral.pck_crl_129_serials", value: Number(sent.gasUsed), unit: "gas", anchor: `dev CRL of ${crl.length} bytes; Automata PCK CRL 1.61M`, target: ITEM_CAP });
    return rows;
  } finally {
    await devnet.close();
  }
}

function slug(name: string): string {
  return name
    .replace(/^certificate CN=/, "certificate ")
    .replace(/\(.*?\)|\/.*$/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_|_$/g, "");
}

function anchorOf(name: string): { anchor?: string } {
  if (/^TCB info SGX/.test(name)) return { anchor: "Automata 13.18M" };
  if (/^TCB info TDX/.test(name)) return { anchor: "Automata 9.14M" };
  if (/^PCK CRL/.test(name)) return { anchor: "Automata PCK CRL 1.61M" };
  return {};
}
