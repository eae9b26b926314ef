import { createPublicClient, createWalletClient, http, isHex, type Chain } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { chainCallError, type TeezkClients } from "../../chain/index.js";
import { TeezkError } from "../../errors/index.js";
import { DEFAULT_PRIVATE_KEY_ENV, RPC_URL_ENV } from "./chainOptions.js";

const RPC_TIMEOUT_MS = 30_000;
/** How often a receipt is polled for: viem's 4 s default is a block on mainnet but minutes of waiting on a local node. */
const POLLING_INTERVAL_MS = 500;

export type ConnectChainParameters = {
  /** --rpc-url; falls back to TEEZK_RPC_URL. */
  rpcUrl?: string;
  /** Name of the environment variable holding the key (--private-key-env). */
  privateKeyEnv?: string;
  /** Only commands that send transactions need a key; views run without one. */
  signer: boolean;
  env?: NodeJS.ProcessEnv;
};
export type ConnectChainReturnType = Pick<TeezkClients, "publicClient"> & Partial<Pick<TeezkClients, "walletClient">> & { chainId: number };
export type ConnectChainErrorType = TeezkError;

/**
 * Viem clients for the CLI. The key is read only from an environment variable, never from argv: argv is visible
 * to every user of the machine (ps, /proc) and lands in shell history. The RPC's chain id is asked first, so an
 * unreachable URL fails here with one clear message instead of inside the first contract call.
 */
export async function connectChain(parameters: ConnectChainParameters): Promise<ConnectChainReturnType> {
  const env = parameters.env ?? process.env;
  const rpcUrl = parameters.rpcUrl ?? env[RPC_URL_ENV];
  if (!rpcUrl) {
    throw new TeezkError("CONFIG_INVALID", `No RPC URL: pass --rpc-url <url> or set ${RPC_URL_ENV}`);
  }
  let url: URL;
  try {
    url = new URL(rpcUrl);
  } catch {
    throw new TeezkError("CONFIG_INVALID", `--rpc-url is not a URL: ${rpcUrl.slice(0, 200)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TeezkError("CONFIG_INVALID", `--rpc-url must be http(s); got ${url.protocol}`);
  }
  // Read the key before any network round trip, so a missing key is reported without waiting on the RPC.
  const account = parameters.signer ? readAccount(parameters.privateKeyEnv ?? DEFAULT_PRIVATE_KEY_ENV, env) : undefined;
  const transport = http(rpcUrl, { timeout: RPC_TIMEOUT_MS, retryCount: 1 });
  let chainId: number;
  try {
    chainId = await createPublicClient({ transport }).getChainId();
  } catch (cause) {
    // CHAIN_UNREACHABLE (or the node's own refusal) in one line, naming the URL's origin only: a path may hold an API key.
    throw chainCallError("Asking the node its chain id", cause);
  }
  const chain: Chain = {
    id: chainId,
    name: `chain-${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  };
  const publicClient = createPublicClient({ chain, transport, pollingInterval: POLLING_INTERVAL_MS });
  if (!account) return { publicClient, chainId };
  return { publicClient, walletClient: createWalletClient({ account, chain, transport, pollingInterval: POLLING_INTERVAL_MS }), chainId };
}

function readAccount(name: string, env: NodeJS.ProcessEnv) {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new TeezkError("CONFIG_INVALID", `--private-key-env must name an environment variable; got "${name.slice(0, 80)}"`);
  }
  const key = env[name];
  if (!key) {
    throw new TeezkError("CONFIG_INVALID", `No signing key: set ${name} to the 0x-prefixed private key of the account that sends`, {
      metaMessages: ["The key is read only from the environment (--private-key-env names the variable), never from the command line."],
    });
  }
  // The value itself never appears in a message: error output ends up in logs.
  if (!isHex(key, { strict: true }) || key.length !== 66) {
    throw new TeezkError("CONFIG_INVALID", `${name} must hold a 0x-prefixed 32-byte hex private key`);
  }
  try {
    return privateKeyToAccount(key);
  } catch {
    throw new TeezkError("CONFIG_INVALID", `${name} does not hold a valid secp256k1 private key`);
  }
}
