import { execFile } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createPublicClient, createWalletClient, http, keccak256, toHex, type Address, type Chain, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDeployer } from "../../deploy/connectDeployer.js";
import { deployTeezk, type DeployTeezkParameters, type DeployTeezkReturnType } from "../../deploy/deployTeezk.js";
import { chainCallError, issueChallenge, proposeRoot } from "../../src/chain/index.js";
import { describeError } from "../../src/demo/createStepRecorder.js";
import { runDemoFlow } from "../../src/demo/runDemoFlow.js";
import { deployDevnetToNode } from "../../src/devnet/index.js";
import { rejection } from "../support/rejection.js";
import { ANVIL_DEV_KEY, startAnvil, type Anvil } from "../support/startAnvil.js";

// A node's refusal must read as its one-line reason, a hint and (for a revert) the decoded custom error: viem's
// own message for the unfunded deploy below is ~16.7 KB, almost all of it the signed transaction's calldata.
const MAX_MESSAGE_CHARS = 700;
/** A run of hex this long is calldata, bytecode or a signed transaction: never part of a readable error. */
const DUMP = /0x[0-9a-fA-F]{200}/;
const UNFUNDED_KEY = keccak256(toHex("teezk test key: never funded"));
const PROGRAM_ID = keccak256(toHex("teezk node errors test program"));
const tsxCli = fileURLToPath(new URL("../../node_modules/tsx/dist/cli.mjs", import.meta.url));
const deployScript = fileURLToPath(new URL("../../deploy/deploy.ts", import.meta.url));

function expectReadable(message: string): void {
  expect(message.length, message).toBeLessThan(MAX_MESSAGE_CHARS);
  expect(message).not.toMatch(DUMP);
  expect(message).not.toMatch(/Request body|Request Arguments/);
}

const deployParameters = (rpcUrl: string, privateKey: Hex, deployer: Address): DeployTeezkParameters => ({
  rpcUrl,
  privateKey,
  minDelay: 60n,
  proposers: [deployer],
  executors: [deployer],
  guardian: deployer,
  committeeNodes: [deployer],
  committeeThreshold: 1n,
  // The ZK leg is never reached here: a quorum check refuses first.
  multiProver: { rootProofVerifier: deployer, programId: PROGRAM_ID, minVendors: 2n, escapeDelay: 3600n, zkRequired: false },
});

/** A loopback port nothing listens on (taken from the OS, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("errors from a separate node (anvil over JSON-RPC) read as the node's reason, the decoded revert and a hint", () => {
  let anvil: Anvil;
  let deployed: DeployTeezkReturnType;
  const dev = privateKeyToAccount(ANVIL_DEV_KEY);

  beforeAll(async () => {
    anvil = await startAnvil();
    deployed = await deployTeezk(deployParameters(anvil.rpcUrl, ANVIL_DEV_KEY, dev.address));
  });
  afterAll(async () => {
    await anvil?.stop();
  });

  it("an unfunded key: deployTeezk refuses CHAIN_ACCOUNT_UNFUNDED with the node's reason and a hint, before deploying anything", async () => {
    const unfunded = privateKeyToAccount(UNFUNDED_KEY);
    const error = await rejection(deployTeezk(deployParameters(anvil.rpcUrl, UNFUNDED_KEY, unfunded.address)));
    expect(error.code).toBe("CHAIN_ACCOUNT_UNFUNDED");
    expect(error.shortMessage).toBe("Deploying TeezkTimelock: Insufficient funds for gas * price + value");
    expect(error.metaMessages.join(" ")).toMatch(/fund it, or use a funded key/);
    expectReadable(error.message);
  });

  it("an unfunded key: `deploy/deploy.ts` as a user runs it prints one short error on stderr and exits 1", async () => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("TEEZK_")));
    const env = { ...clean, TEEZK_RPC_URL: anvil.rpcUrl, TEEZK_PRIVATE_KEY: UNFUNDED_KEY };
    const run = await promisify(execFile)(process.execPath, [tsxCli, deployScript], { env, timeout: 120_000 }).then(
      (ok) => ({ code: 0, ...ok }),
      (failed: { code: number; stdout: string; stderr: string }) => failed,
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    // deploy.ts deploys the DCAP store first (it depends on nothing and refuses a wrong root pin before the core).
    expect(run.stderr).toMatch(/^CHAIN_ACCOUNT_UNFUNDED: Deploying DcapCollateralStore: Insufficient funds for gas \* price \+ value\n/);
    expectReadable(run.stderr);
  });

  it("an unfunded key: the demo's deploy step fails in one line and the flow stops there", async () => {
    const result = await runDemoFlow({ archivePath: `${process.env.TMPDIR ?? "/tmp"}/teezk-unfunded-demo/archive.sqlite`, node: { rpcUrl: anvil.rpcUrl, privateKey: UNFUNDED_KEY } });
    expect(result.ok).toBe(false);
    expect(result.steps.map((step) => step.id)).toEqual(["deploy"]);
    expect(result.steps[0]!.error).toMatch(/^CHAIN_ACCOUNT_UNFUNDED: Deploying \w+: Insufficient funds/);
    expectReadable(result.steps[0]!.error!);
  });

  it("wrong chain id: clients built for chain 1 refuse to sign for the node's chain 31337 (CHAIN_ID_MISMATCH)", async () => {
    const mainnetLike: Chain = { id: 1, name: "chain-1", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [anvil.rpcUrl] } } };
    const transport = http(anvil.rpcUrl);
    const clients = { publicClient: createPublicClient({ chain: mainnetLike, transport }), walletClient: createWalletClient({ account: dev, chain: mainnetLike, transport }) };
    const error = await rejection(issueChallenge({ ...clients, enclaveRegistry: deployed.enclaveRegistry, programId: PROGRAM_ID }));
    expect(error.code).toBe("CHAIN_ID_MISMATCH");
    expect(error.shortMessage).toMatch(/id: 31337.*id: 1\b/);
    expectReadable(error.message);
  });

  it("wrong chain id: a transaction signed for chain 1 is refused by the node itself, and classified from its reason", async () => {
    const publicClient = createPublicClient({ transport: http(anvil.rpcUrl) });
    const serializedTransaction = await dev.signTransaction({
      chainId: 1,
      to: dev.address,
      value: 1n,
      gas: 21_000n,
      maxFeePerGas: 10n ** 10n,
      maxPriorityFeePerGas: 1n,
      nonce: await publicClient.getTransactionCount({ address: dev.address }),
      type: "eip1559",
    });
    const cause = await publicClient.sendRawTransaction({ serializedTransaction }).then(() => undefined, (e: unknown) => e);
    const error = chainCallError("Sending a transfer", cause);
    expect(error.code).toBe("CHAIN_ID_MISMATCH");
    expect(error.shortMessage).toBe("Sending a transfer: invalid chain id for signer");
    expectReadable(error.message);
  });

  it("a nonce already used (another sender from the same key got there first): the node's refusal is CHAIN_NONCE_CONFLICT", async () => {
    const publicClient = createPublicClient({ transport: http(anvil.rpcUrl) });
    // The deployment above used nonce 0 of this account long ago.
    const serializedTransaction = await dev.signTransaction({ chainId: 31337, to: dev.address, value: 1n, gas: 21_000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 1n, nonce: 0, type: "eip1559" });
    const cause = await publicClient.sendRawTransaction({ serializedTransaction }).then(() => undefined, (e: unknown) => e);
    const error = chainCallError("Sending a transfer", cause);
    expect(error.code).toBe("CHAIN_NONCE_CONFLICT");
    expect(error.shortMessage).toMatch(/^Sending a transfer: nonce too low/);
    expectReadable(error.message);
  });

  it("a transaction the node never mines: CHAIN_TX_NOT_MINED after the receipt wait, not a hang", async () => {
    const stalled = await startAnvil({ noMining: true });
    try {
      const deployer = await connectDeployer({ rpcUrl: stalled.rpcUrl, privateKey: ANVIL_DEV_KEY, receiptTimeoutMs: 1_500 });
      const error = await rejection(deployer.deploy({ name: "TeezkTimelock", source: "contracts/governance/TeezkTimelock.sol" }, [60n, [dev.address], [dev.address], dev.address]));
      expect(error.code).toBe("CHAIN_TX_NOT_MINED");
      expect(error.shortMessage).toMatch(/^Deploying TeezkTimelock: Timed out while waiting for transaction with hash "0x[0-9a-f]{64}" to be confirmed\.$/);
      expectReadable(error.message);
    } finally {
      await stalled.stop();
    }
  });

  it("a node whose clock a previous run moved a day ahead: the devnet refuses CHAIN_CLOCK_SKEWED before sending anything", async () => {
    const ahead = await startAnvil();
    try {
      const publicClient = createPublicClient({ transport: http(ahead.rpcUrl) });
      await publicClient.request({ method: "evm_increaseTime", params: [86_400] } as never);
      await publicClient.request({ method: "evm_mine", params: [] } as never);
      const error = await rejection(deployDevnetToNode({ rpcUrl: ahead.rpcUrl, privateKey: ANVIL_DEV_KEY, committee: [dev.address], programId: PROGRAM_ID }));
      expect(error.code).toBe("CHAIN_CLOCK_SKEWED");
      expect(error.shortMessage).toMatch(/^The node's block time is 24\.\d h ahead of this machine's clock$/);
      expectReadable(error.message);
      expect(await publicClient.getTransactionCount({ address: dev.address })).toBe(0);
    } finally {
      await ahead.stop();
    }
  });

  it("node down: CHAIN_UNREACHABLE naming the URL's origin only (a path may hold an API key), before any key is used", async () => {
    const rpcUrl = `http://127.0.0.1:${await closedPort()}/v3/secret-api-key`;
    const error = await rejection(deployTeezk(deployParameters(rpcUrl, ANVIL_DEV_KEY, dev.address)));
    expect(error.code).toBe("CHAIN_UNREACHABLE");
    expect(error.shortMessage).toMatch(/^Connecting to the node: cannot reach the node at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED$/);
    expect(error.message).not.toContain("secret-api-key");
    expect(error.metaMessages.join(" ")).toMatch(/Is the node running\?/);
    expectReadable(error.message);
  });

  it("a revert with a custom error: decoded by name and arguments, whether simulated first (chain helpers) or estimated (deploy wiring)", async () => {
    // proposeRoot simulates before sending: the node's revert data decodes against every teezk ABI.
    const simulated = await rejection(proposeRoot({ ...(await clientsFor(anvil.rpcUrl)), roots: deployed.multiProverRoots!, epoch: 1n, root: keccak256(toHex("root")), signatures: [] }));
    expect(simulated.code).toBe("CHAIN_CALL_FAILED");
    expect(simulated.details).toBe("InsufficientQuorum(0, 2, false)");
    expect(simulated.shortMessage).toBe(`submitRoot on ${deployed.multiProverRoots} reverted with InsufficientQuorum(0, 2, false)`);
    expectReadable(simulated.message);
    // The deployer renounced governance at the end of deployTeezk: wiring another route now reverts in estimation.
    const deployer = await connectDeployer({ rpcUrl: anvil.rpcUrl, privateKey: ANVIL_DEV_KEY });
    const artifact = { name: "EnclaveRegistry", source: "contracts/registry/EnclaveRegistry.sol" };
    const estimated = await rejection(deployer.send(artifact, deployed.enclaveRegistry, "addRoute", [3, deployed.committee]));
    expect(estimated.code).toBe("CHAIN_CALL_FAILED");
    expect(estimated.details).toBe(`AccessControlUnauthorizedAccount(${dev.address}, ${keccak256(toHex("GOVERNOR_ROLE"))})`);
    expectReadable(estimated.message);
  });

  it("a decoded revert carries what to do about it wherever it surfaces: deploy/ (its message is what deploy.ts prints) and the demo's step line", async () => {
    const deployer = await connectDeployer({ rpcUrl: anvil.rpcUrl, privateKey: ANVIL_DEV_KEY });
    const artifact = { name: "EnclaveRegistry", source: "contracts/registry/EnclaveRegistry.sol" };
    const estimated = await rejection(deployer.send(artifact, deployed.enclaveRegistry, "addRoute", [3, deployed.committee]));
    expect(estimated.metaMessages).toEqual([expect.stringMatching(/^The sending account 0x[0-9a-fA-F]{40} lacks GOVERNOR_ROLE: .*through the timelock/)]);
    expect(estimated.message).toContain(`lacks GOVERNOR_ROLE`);
    expectReadable(estimated.message);
    // The demo's chain steps call the same helpers and print a failed step with describeError.
    const simulated = await rejection(proposeRoot({ ...(await clientsFor(anvil.rpcUrl)), roots: deployed.multiProverRoots!, epoch: 1n, root: keccak256(toHex("root")), signatures: [] }));
    expect(describeError(simulated)).toMatch(/reverted with InsufficientQuorum\(0, 2, false\) — Signatures span 0 vendor\(s\); 2 distinct vendors are required/);
  });
});

async function clientsFor(rpcUrl: string) {
  const { publicClient, walletClient } = await connectDeployer({ rpcUrl, privateKey: ANVIL_DEV_KEY });
  return { publicClient, walletClient };
}
