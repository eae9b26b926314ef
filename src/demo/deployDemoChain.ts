import type { Address, Hex } from "viem";
import { deployDevnetToNode, startDevnet, type Devnet } from "../devnet/index.js";
import { createRollupState, rootToHex } from "../rollup/index.js";
import type { StepRecorder } from "./createStepRecorder.js";
import { DEMO_ROLLUP_BALANCES } from "./demoRollup.js";

/** A separate Ethereum node the demo runs against instead of its in-process chain. */
export type DemoNode = {
  rpcUrl: string;
  /** Pays for every transaction and is the timelock's only proposer. */
  privateKey: Hex;
};

export type DeployDemoChainParameters = {
  committee: readonly Address[];
  programId: Hex;
  /** Absent: an in-process chain (Ignition). */
  node?: DemoNode;
  closers: (() => Promise<void>)[];
};

/**
 * The demo's first step: teezk on an in-process chain through its Ignition modules, or on a separate node through
 * deploy/deployTeezk.ts with every later step over JSON-RPC. Either way the step recorder then measures gas from
 * that chain's receipts.
 */
export async function deployDemoChain(recorder: StepRecorder, { committee, programId, node, closers }: DeployDemoChainParameters): Promise<Devnet> {
  const where = node ? `the node at ${new URL(node.rpcUrl).origin} over JSON-RPC (deploy/deployTeezk.ts` : "an in-process chain (Ignition";
  return await recorder.run(
    "deploy",
    `deploy teezk on ${where}: core + TeeQuorumRoots and TeeAndZkQuorumRoots, each with the rollup's ZK leg + membership PrivateProofVerifier; timelock governs)`,
    async () => {
      // The roots contract's ZK leg proves transitions from the demo rollup's opening state.
      const rollupGenesisRoot = rootToHex(createRollupState({ balances: DEMO_ROLLUP_BALANCES }).root);
      const chain = { committee, programId, rollupGenesisRoot };
      const started = node ? await deployDevnetToNode({ ...node, ...chain }) : await startDevnet(chain);
      closers.push(started.close);
      recorder.attachChain({ clients: started.clients, chainId: started.chainId, ...("startBlock" in started ? { startBlock: started.startBlock } : {}) });
      return started;
    },
    (started) => `chain ${started.chainId}, timelock ${started.addresses.timelock}, ${started.committee.length}-of-${started.committee.length} committee`,
  );
}
