import { createWalletClient, custom, getAddress, type Address, type EIP1193Provider, type Hex } from "viem";
import { TeezkError } from "../../errors/TeezkError.js";
import type { ConsoleClient } from "../read/types.js";

declare global {
  interface Window {
    ethereum?: EIP1193Provider;
  }
}

export type SentTransaction = { hash: Hex; status: "success" | "reverted"; blockNumber: bigint };

/**
 * Sends one transaction with the injected EIP-1193 wallet (reads never need one): asks for the account, refuses a
 * wallet on another chain than the deployment's (CONSOLE_WRONG_CHAIN) before it signs anything, then waits for
 * the receipt through the console's own RPC.
 */
export async function sendWithWallet(parameters: { client: ConsoleClient; chainId: number; to: Address; data: Hex }): Promise<SentTransaction> {
  const provider = window.ethereum;
  if (!provider) throw new TeezkError("CONFIG_INVALID", "No wallet: this browser has no injected EIP-1193 provider (window.ethereum). Copy the calldata to a multisig instead.");
  const [account] = (await provider.request({ method: "eth_requestAccounts" })) as Address[];
  if (!account) throw new TeezkError("CONFIG_INVALID", "The wallet gave no account");
  const walletChain = Number(await provider.request({ method: "eth_chainId" }));
  if (walletChain !== parameters.chainId) {
    throw new TeezkError("CONSOLE_WRONG_CHAIN", `The wallet is on chain ${walletChain}; the deployment is on chain ${parameters.chainId}. Switch the wallet's network and send again.`);
  }
  const wallet = createWalletClient({ account: getAddress(account), transport: custom(provider) });
  const chain = { id: parameters.chainId, name: `chain ${parameters.chainId}`, nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [] } } } as const;
  const hash = await wallet.sendTransaction({ to: parameters.to, data: parameters.data, chain });
  const receipt = await parameters.client.waitForTransactionReceipt({ hash, pollingInterval: 250, timeout: 60_000 });
  return { hash, status: receipt.status, blockNumber: receipt.blockNumber };
}
