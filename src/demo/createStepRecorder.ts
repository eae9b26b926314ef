import type { Hex } from "viem";
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
  /** The chain the recorder measures gas on; set once it exists (the deploy step creates it). */
  attachChain: (chain: { clients: TeezkClients; chainId: number }) => void;
  /**
   * Runs one step: measures wall time and the gas of every block mined meanwhile, records each transaction in
   * the archive under the step's id, and reports it. A failure is recorded (✗ with its code) and rethrown, since
   * later steps build on earlier ones.
   */
  run: <T>(id: string, title: string, body: () => Promise<T>, describe?: (result: T) => string | undefined) => Promise<T>;
};
export type CreateStepRecorderParameters = {
  archive?: Archive;
  /** Called as each step ends, so progress shows while the demo runs. */
  onStep?: (step: DemoStep) => void;
};

/**
 * Gas per step is read from the blocks, not from what helpers return: a step is whatever its body sends (a
 * challenge and a registration, a schedule and an execute), and the in-process chain mines one block per
 * transaction, so the sum over the step's blocks is exactly what the step cost.
 */
export function createStepRecorder(parameters: CreateStepRecorderParameters = {}): StepRecorder {
  const steps: DemoStep[] = [];
  let chain: { clients: TeezkClients; chainId: number } | undefined;

  const account = async (id: string, fromBlock: bigint): Promise<{ gasUsed: bigint; transactions: number }> => {
    if (!chain) return { gasUsed: 0n, transactions: 0 };
    const { publicClient } = chain.clients;
    const head = await publicClient.getBlockNumber();
    let gasUsed = 0n;
    let transactions = 0;
    for (let number = fromBlock + 1n; number <= head; number++) {
      const block = await publicClient.getBlock({ blockNumber: number });
      gasUsed += block.gasUsed;
      transactions += block.transactions.length;
      if (parameters.archive) {
        for (const hash of block.transactions as Hex[]) {
          const receipt = await publicClient.getTransactionReceipt({ hash });
          parameters.archive.recordTransaction({
            chainId: chain.chainId,
            txHash: hash,
            kind: id,
            status: receipt.status === "success" ? "confirmed" : "reverted",
            blockNumber: number,
          });
        }
      }
    }
    return { gasUsed, transactions };
  };

  return {
    steps,
    attachChain: ({ clients, chainId }) => {
      chain = { clients, chainId };
    },
    run: async (id, title, body, describe) => {
      const started = performance.now();
      // A step that creates the chain counts from its genesis block.
      const from = chain ? await chain.clients.publicClient.getBlockNumber() : 0n;
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

/** A TeezkError's code, message and decoded revert; anything else by its message. */
export function describeError(error: unknown): string {
  if (isTeezkError(error)) return `${error.code}: ${error.shortMessage}${error.details ? ` (${error.details.slice(0, 200)})` : ""}`;
  return error instanceof Error ? error.message.split("\n")[0]! : String(error);
}
