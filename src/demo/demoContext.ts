import type { Archive } from "../store/index.js";
import type { StepRecorder } from "./createStepRecorder.js";
import type { DelegatedProof } from "./delegateMembershipProof.js";
import type { DemoNetwork } from "./startDemoNetwork.js";

/** Everything the flow built, for the summary and for tests that continue on the same chain. */
export type DemoContext = DemoNetwork & {
  archive: Archive;
  archivePath: string;
  /** Set by the delegate step; later steps submit and check it. */
  delegated?: DelegatedProof;
  /** Stops the nodes and the chain, then closes the archive. Idempotent. */
  close: () => Promise<void>;
};

/**
 * One recorded step (or a few that belong together) of the main job after the network is up. Steps run in list
 * order (src/demo/steps/index.ts) and may read what earlier ones left in the context.
 */
export type DemoFlowStep = (recorder: StepRecorder, context: DemoContext) => Promise<void>;
