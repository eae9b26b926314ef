import { createWalletClient, custom, type Address, type EIP1193Provider, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { BrowserContext } from "playwright-core";

/** Hardhat's default development accounts 0 and 1: on a devnet, the timelock's proposer and the guardian. */
export const DEV_KEYS = {
  proposer: "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  guardian: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
} as const satisfies Record<string, Hex>;

export type TestWallet = {
  /** Switches the key the page's wallet signs with (proposer, guardian). */
  use: (key: Hex) => void;
  /** Makes the wallet report another chain, as a wallet left on the wrong network does. */
  reportChainId: (chainId: number | undefined) => void;
  address: () => Address;
  sent: Hex[];
};

/**
 * Injects `window.ethereum` into every page of `context`: an EIP-1193 provider whose accounts and signatures
 * come from a dev key held by the test (signed here with viem, sent to the devnet), and whose reads go to the
 * devnet. What a browser wallet does, without an extension.
 */
export async function installTestWallet(context: BrowserContext, parameters: { provider: EIP1193Provider; chainId: number; key: Hex }): Promise<TestWallet> {
  let account = privateKeyToAccount(parameters.key);
  let reportedChainId: number | undefined;
  const sent: Hex[] = [];
  const chain = { id: parameters.chainId, name: "devnet", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [] } } } as const;
  await context.exposeBinding("__teezkTestWallet", async (_source, method: string, params: unknown[] | undefined) => {
    switch (method) {
      case "eth_requestAccounts":
      case "eth_accounts":
        return [account.address];
      case "eth_chainId":
        return `0x${(reportedChainId ?? parameters.chainId).toString(16)}`;
      case "eth_sendTransaction": {
        const [tx] = params as [{ to: Address; data: Hex; value?: Hex }];
        const wallet = createWalletClient({ account, chain, transport: custom(parameters.provider) });
        const hash = await wallet.sendTransaction({ to: tx.to, data: tx.data, ...(tx.value ? { value: BigInt(tx.value) } : {}) });
        sent.push(hash);
        return hash;
      }
      default:
        return await parameters.provider.request({ method: method as never, params: params as never });
    }
  });
  await context.addInitScript(() => {
    const call = (window as unknown as { __teezkTestWallet: (method: string, params?: unknown[]) => Promise<unknown> }).__teezkTestWallet;
    (window as unknown as { ethereum: unknown }).ethereum = {
      request: ({ method, params }: { method: string; params?: unknown[] }) => call(method, params),
      on: () => undefined,
      removeListener: () => undefined,
    };
  });
  return {
    use: (key) => {
      account = privateKeyToAccount(key);
    },
    reportChainId: (chainId) => {
      reportedChainId = chainId;
    },
    address: () => account.address,
    sent,
  };
}
