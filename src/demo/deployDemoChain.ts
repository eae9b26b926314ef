import type { Address, Hex } from "viem";
import { deployDevnetToNode, startDevnet, type Devnet } from "../devnet/index.js";
import type { StepRecorder } from "./createStepRecorder.js";

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
    `deploy teezk on ${where}: core + TeeQuorumRoots + membership PrivateProofVerifier; timelock governs)`,
    async () => {
      const started = node ? await deployDevnetToNode({ ...node, committee, programId }) : await startDevnet({ committee, programId });
      closers.push(started.close);
      recorder.attachChain({ clients: started.clients, chainId: started.chainId, ...("startBlock" in started ? { startBlock: started.startBlock } : {}) });
      return started;
    },
    (started) => `chain ${started.chainId}, timelock ${started.addresses.timelock}, ${started.committee.length}-of-${started.committee.length} committee`,
  );
}
