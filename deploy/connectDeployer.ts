import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { createPublicClient, createWalletClient, http, type Abi, type Address, type Chain, type Hex, type LocalAccount } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { chainCallError } from "../src/chain/chainCallError.js";
import type { TeezkClients } from "../src/chain/index.js";
import { TeezkError } from "../src/errors/index.js";

export type ConnectDeployerParameters = {
  rpcUrl: string;
  privateKey: Hex;
  /** Where the compiled Hardhat artifacts are (default: ../artifacts). */
  artifactsDir?: string;
  /** How long to wait for each transaction to be mined before CHAIN_TX_NOT_MINED; default 5 minutes. */
  receiptTimeoutMs?: number;
};

/** A contract's artifact, named by contract and by its source path under the artifacts folder. */
export type ArtifactName = { name: string; source: string };

/** A signer connected to one node: what deploys and wires contracts there, with errors that read in one line. */
export type Deployer = TeezkClients & {
  account: LocalAccount;
  chainId: number;
  /** Block number before the first transaction this deployer sends (where a run's own blocks start). */
  startBlock: bigint;
  /** Deploys `artifact` with constructor `args` and waits for its receipt. */
  deploy: (artifact: ArtifactName, args: readonly unknown[]) => Promise<Address>;
  /** Calls `functionName` on the contract at `address` (ABI from `artifact`) and waits for its receipt. */
  send: (artifact: ArtifactName, address: Address, functionName: string, args: readonly unknown[]) => Promise<void>;
};
export type ConnectDeployerErrorType = TeezkError;

/** How often a receipt is polled for: a loopback or local node mines in milliseconds; viem's default is 4 s. */
const POLLING_INTERVAL_MS = 200;
const RPC_TIMEOUT_MS = 30_000;
/** Long enough for a congested public network; a node that never mines must not hang a deployment forever. */
const RECEIPT_TIMEOUT_MS = 300_000;

/**
 * Connects a deploying key to the node at `rpcUrl`: asks the node's chain id first (so an unreachable or wrong URL
 * fails before anything is signed) and builds the clients for that chain, so viem refuses to sign for another
 * chain if the node is swapped under it. Every failure is chainCallError's: the node's one-line reason and a hint,
 * never the signed transaction or deploy bytecode viem's own messages carry.
 */
export async function connectDeployer(parameters: ConnectDeployerParameters): Promise<Deployer> {
  const account = privateKeyToAccount(parameters.privateKey);
  const transport = http(parameters.rpcUrl, { timeout: RPC_TIMEOUT_MS, retryCount: 1 });
  const probe = createPublicClient({ transport });
  const [chainId, startBlock] = await Promise.all([probe.getChainId(), probe.getBlockNumber()]).catch((cause: unknown) => {
    throw chainCallError("Connecting to the node", cause);
  });
  const chain: Chain = {
    id: chainId,
    name: `chain-${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [parameters.rpcUrl] } },
  };
  const publicClient = createPublicClient({ chain, transport, pollingInterval: POLLING_INTERVAL_MS });
  const walletClient = createWalletClient({ account, chain, transport, pollingInterval: POLLING_INTERVAL_MS });
  const artifactsDir = parameters.artifactsDir ?? fileURLToPath(new URL("../artifacts/", import.meta.url));
  const mined = (hash: Hex) => publicClient.waitForTransactionReceipt({ hash, timeout: parameters.receiptTimeoutMs ?? RECEIPT_TIMEOUT_MS });

  async function artifact({ name, source }: ArtifactName): Promise<{ abi: Abi; bytecode: Hex }> {
    const path = `${artifactsDir}${source}/${name}.json`;
    try {
      const json = JSON.parse(await readFile(path, "utf8")) as { abi: Abi; bytecode: Hex };
      return { abi: json.abi, bytecode: json.bytecode };
    } catch (cause) {
      throw new TeezkError("CONFIG_INVALID", `Missing artifact ${path}`, { cause, metaMessages: ["Run `npx hardhat compile` before deploying."] });
    }
  }

  return {
    publicClient,
    walletClient,
    account,
    chainId,
    startBlock,
    deploy: async (named, args) => {
      const { abi, bytecode } = await artifact(named);
      try {
        const receipt = await mined(await walletClient.deployContract({ abi, bytecode, args }));
        if (receipt.status !== "success" || !receipt.contractAddress) throw new TeezkError("CHAIN_CALL_FAILED", `Deploying ${named.name} was mined but reverted`, { details: receipt.transactionHash });
        return receipt.contractAddress;
      } catch (cause) {
        throw chainCallError(`Deploying ${named.name}`, cause);
      }
    },
    send: async (named, address, functionName, args) => {
      const { abi } = await artifact(named);
      try {
        const receipt = await mined(await walletClient.writeContract({ address, abi, functionName, args }));
        if (receipt.status !== "success") throw new TeezkError("CHAIN_CALL_FAILED", `${named.name}.${functionName} was mined but reverted`, { details: receipt.transactionHash });
      } catch (cause) {
        throw chainCallError(`${named.name}.${functionName}`, cause);
      }
    },
  };
}
