import { createPublicClient, http, zeroAddress, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { deployTeezk, type DeployTeezkParameters } from "../../deploy/deployTeezk.js";
import { committeeAttestationVerifierAbi as committeeAbi } from "../../src/chain/index.js";
import { isTeezkError } from "../../src/errors/index.js";

/** Account 0 of Hardhat's default development mnemonic, funded on every simulated network. */
const DEV_KEY: Hex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
/** Sepolia's id: a chain that is not a development chain, served by an in-process network. */
const PUBLIC_CHAIN_ID = 11155111;

/** Runs `body` against an in-process chain with id `chainId`, served over HTTP like a real RPC. */
async function onChain<T>(chainId: number | undefined, body: (rpcUrl: string) => Promise<T>): Promise<T> {
  const { network } = await import("hardhat");
  const server = await network.createServer(chainId === undefined ? {} : { override: { chainId } });
  const { address, port } = await server.listen();
  try {
    return await body(`http://${address}:${port}`);
  } finally {
    await server.close();
  }
}

/** deploy/deploy.ts's defaults: the deployer alone on the committee, threshold 1. */
function defaults(rpcUrl: string): DeployTeezkParameters {
  const deployer = privateKeyToAccount(DEV_KEY).address;
  return { rpcUrl, privateKey: DEV_KEY, minDelay: 60n, proposers: [deployer], executors: [zeroAddress], guardian: deployer, committeeNodes: [deployer], committeeThreshold: 1n };
}

/**
 * Issue 12 item 14: a committee whose threshold is 1 lets any one key (by default the deployer's) attest anything.
 * deployTeezk refuses it outside a development chain unless the caller names the risk.
 */
describe("deployTeezk refuses a one-key committee outside a development chain", () => {
  it("the deploy script's defaults on a public chain are refused before anything is deployed", async () => {
    await onChain(PUBLIC_CHAIN_ID, async (rpcUrl) => {
      const publicClient = createPublicClient({ transport: http(rpcUrl) });
      const nonce = await publicClient.getTransactionCount({ address: privateKeyToAccount(DEV_KEY).address });
      const refused = await deployTeezk(defaults(rpcUrl)).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(isTeezkError(refused, "SINGLE_KEY_COMMITTEE")).toBe(true);
      expect(await publicClient.getTransactionCount({ address: privateKeyToAccount(DEV_KEY).address })).toBe(nonce);
      // Several nodes do not help while one of them suffices.
      const many = { ...defaults(rpcUrl), committeeNodes: [privateKeyToAccount(DEV_KEY).address, "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" as const] };
      expect(isTeezkError(await deployTeezk(many).then(() => undefined, (error: unknown) => error), "SINGLE_KEY_COMMITTEE")).toBe(true);
    });
  }, 120_000);

  it("deploys on a public chain when the caller names the risk, and with a 2-of-2 committee without it", async () => {
    await onChain(PUBLIC_CHAIN_ID, async (rpcUrl) => {
      const publicClient = createPublicClient({ transport: http(rpcUrl) });
      const named = await deployTeezk({ ...defaults(rpcUrl), acceptOneKeyAttestsAnything: true });
      expect(named.chainId).toBe(PUBLIC_CHAIN_ID);
      expect(await publicClient.readContract({ address: named.committee, abi: committeeAbi, functionName: "threshold" })).toBe(1n);
      const nodes = [privateKeyToAccount(DEV_KEY).address, "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" as const];
      const twoOfTwo = await deployTeezk({ ...defaults(rpcUrl), committeeNodes: nodes, committeeThreshold: 2n });
      expect(await publicClient.readContract({ address: twoOfTwo.committee, abi: committeeAbi, functionName: "threshold" })).toBe(2n);
    });
  }, 120_000);

  it("deploys the defaults on a development chain (31337)", async () => {
    await onChain(undefined, async (rpcUrl) => {
      const deployed = await deployTeezk(defaults(rpcUrl));
      expect(deployed.chainId).toBe(31337);
    });
  }, 120_000);
});
