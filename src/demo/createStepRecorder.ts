import { isAddressEqual, type Hex } from "viem";
import type { TeezkClients } from "../chain/index.js";
import { isTeezkError } from "../errors/index.js";
import type { Archive } from "../store/index.js";

/** One line of the demo's summary. */
export type DemoStep = {
  id: string;
  title: string;
  ok: boolean;
  /** Gas of every transaction mined while the step ran (what the step cost on-chain). */
  gasUsed: bigint;
  transactions: number;
  ms: number;
  /** What the step established (an address, a root, the rejection it expected). */
  detail?: string;
  /** Why it failed: the TeezkError code and message. */
  error?: string;
};

export type StepRecorder = {
  readonly steps: readonly DemoStep[];
  /** The chain the recorder measures gas on; set once it exists (the deploy step creates it or connects to it). */
  attachChain: (chain: RecordedChain) => void;
  /**
   * Runs one step: measures wall time and the gas of every block mined meanwhile, records each transaction in
   * the archive under the step's id, and reports it. A failure is recorded (✗ with its code) and rethrown, since
   * later steps build on earlier ones.
   */
  run: <T>(id: string, title: string, body: () => Promise<T>, describe?: (result: T) => string | undefined) => Promise<T>;
};
export type RecordedChain = {
  clients: TeezkClients;
  chainId: number;
  /** The block before the run's first: where the step that created or connected to the chain counts from (default genesis). */
  startBlock?: bigint;
};
export type CreateStepRecorderParameters = {
  archive?: Archive;
  /** Called as each step ends, so progress shows while the demo runs. */
  onStep?: (step: DemoStep) => void;
};

/**
 * Gas per step is read from the receipts of the blocks mined while it ran, not from what helpers return: a step
 * is whatever its body sends (a challenge and a registration, a schedule and an execute). Only transactions sent
 * by the run's own account count, so on a node others also use (anvil, a testnet) their transactions in the same
 * blocks are not charged to the step.
 */
export function createStepRecorder(parameters: CreateStepRecorderParameters = {}): StepRecorder {
  const steps: DemoStep[] = [];
  let chain: RecordedChain | undefined;

  const account = async (id: string, fromBlock: bigint | undefined): Promise<{ gasUsed: bigint; transactions: number }> => {
    if (!chain) return { gasUsed: 0n, transactions: 0 };
    const { publicClient, walletClient } = chain.clients;
    // Uncached: viem reuses a block number for a polling interval, which on a node that mines at once would
    // charge one step's transactions to the next.
    const head = await publicClient.getBlockNumber({ cacheTime: 0 });
    let gasUsed = 0n;
    let transactions = 0;
    for (let number = (fromBlock ?? chain.startBlock ?? 0n) + 1n; number <= head; number++) {
      const block = await publicClient.getBlock({ blockNumber: number });
      for (const hash of block.transactions as Hex[]) {
        const receipt = await publicClient.getTransactionReceipt({ hash });
        if (!isAddressEqual(receipt.from, walletClient.account.address)) continue;
        gasUsed += receipt.gasUsed;
        transactions++;
        parameters.archive?.recordTransaction({
          chainId: chain.chainId,
          txHash: hash,
          kind: id,
          status: receipt.status === "success" ? "confirmed" : "reverted",
          blockNumber: number,
        });
      }
    }
    return { gasUsed, transactions };
  };

  return {
    steps,
    attachChain: (attached) => {
      chain = attached;
    },
    run: async (id, title, body, describe) => {
      const started = performance.now();
      // A step that creates or connects to the chain counts from the chain's startBlock.
      const from = chain ? await chain.clients.publicClient.getBlockNumber({ cacheTime: 0 }) : undefined;
      try {
        const result = await body();
        const { gasUsed, transactions } = await account(id, from);
        const detail = describe?.(result);
        const step: DemoStep = { id, title, ok: true, gasUsed, transactions, ms: performance.now() - started, ...(detail ? { detail } : {}) };
        steps.push(step);
        parameters.onStep?.(step);
        return result;
      } catch (error) {
        const { gasUsed, transactions } = await account(id, from).catch(() => ({ gasUsed: 0n, transactions: 0 }));
        const step: DemoStep = { id, title, ok: false, gasUsed, transactions, ms: performance.now() - started, error: describeError(error) };
        steps.push(step);
        parameters.onStep?.(step);
        throw error;
      }
    },
  };
}

/** A TeezkError's code, message, decoded revert and the first hint (what to do); anything else by its first line. */
export function describeError(error: unknown): string {
  if (isTeezkError(error)) {
    const hint = error.metaMessages[0] ? ` — ${error.metaMessages[0]}` : "";
    const details = error.details && !error.shortMessage.includes(error.details) ? ` (${error.details.slice(0, 200)})` : "";
    return `${error.code}: ${error.shortMessage}${details}${hint}`;
  }
  return error instanceof Error ? error.message.split("\n")[0]! : String(error);
}
