import { createPublicClient, http, isHex, type Hex } from "viem";
import { chainCallError } from "../chain/index.js";
import { TeezkError } from "../errors/index.js";
import type { DemoNode } from "./deployDemoChain.js";

export type ResolveDemoNodeParameters = {
  rpcUrl: string;
  /** The environment variable holding the paying key (never argv: it lands in shell history and `ps`). */
  privateKeyEnv?: string;
  env?: NodeJS.ProcessEnv;
};
export type ResolveDemoNodeReturnType = DemoNode & { chainId: number; usingDevKey: boolean };
export type ResolveDemoNodeErrorType = TeezkError;

/** anvil's and Hardhat's chain id, whose first dev account (below) every such node funds. */
const DEV_CHAIN_ID = 31337;
/** The first account of anvil's and Hardhat's default mnemonic: public, funded only on development nodes. */
const DEV_NODE_KEY: Hex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
export const DEMO_PRIVATE_KEY_ENV = "TEEZK_PRIVATE_KEY";

/**
 * The node `npm run demo -- --rpc-url` runs on and the key that pays there: the key from the environment, or on
 * a development node (chain 31337) without one, its public first dev account, so a fresh `anvil` works as is.
 * The node is asked its chain id first, so a wrong URL or a node that is down fails here in one line.
 */
export async function resolveDemoNode({ rpcUrl, privateKeyEnv = DEMO_PRIVATE_KEY_ENV, env = process.env }: ResolveDemoNodeParameters): Promise<ResolveDemoNodeReturnType> {
  let url: URL;
  try {
    url = new URL(rpcUrl);
  } catch {
    throw new TeezkError("CONFIG_INVALID", `--rpc-url is not a URL: ${rpcUrl.slice(0, 200)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new TeezkError("CONFIG_INVALID", `--rpc-url must be http(s); got ${url.protocol}`);
  const chainId = await createPublicClient({ transport: http(rpcUrl, { retryCount: 0, timeout: 15_000 }) })
    .getChainId()
    .catch((cause: unknown) => {
      throw chainCallError("Asking the node its chain id", cause);
    });
  const key = env[privateKeyEnv];
  if (key) {
    if (!isHex(key, { strict: true }) || key.length !== 66) throw new TeezkError("CONFIG_INVALID", `${privateKeyEnv} must hold a 0x-prefixed 32-byte hex private key`);
    return { rpcUrl, privateKey: key, chainId, usingDevKey: false };
  }
  if (chainId !== DEV_CHAIN_ID) {
    throw new TeezkError("CONFIG_INVALID", `No key to pay with on chain ${chainId}: set ${privateKeyEnv} to the 0x-prefixed private key of a funded account`, {
      metaMessages: [`Only a development node (chain ${DEV_CHAIN_ID}: anvil, Hardhat) has a well-known funded account the demo can use without one.`],
    });
  }
  return { rpcUrl, privateKey: DEV_NODE_KEY, chainId, usingDevKey: true };
}
