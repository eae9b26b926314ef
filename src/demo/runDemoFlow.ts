import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { TeezkError } from "../errors/index.js";
import { openArchive, type Archive } from "../store/index.js";
import { getDevRoots, type DevRoots } from "../tee/simulated/index.js";
import { createStepRecorder, type DemoStep, type StepRecorder } from "./createStepRecorder.js";
import type { DemoContext, DemoFlowStep } from "./demoContext.js";
import type { DemoNode } from "./deployDemoChain.js";
import { startDemoNetwork } from "./startDemoNetwork.js";
import { DEMO_STEPS } from "./steps/index.js";

export type { DemoContext, DemoFlowStep } from "./demoContext.js";
export { DEMO_STEPS } from "./steps/index.js";
export type { DemoNode } from "./deployDemoChain.js";

export type RunDemoFlowParameters = {
  /** The SQLite archive the nodes and the demo write; its folder is created. */
  archivePath: string;
  /** Folder for the run's collateral files; default the archive's folder. */
  workDir?: string;
  /** Called as each step ends. */
  onStep?: (step: DemoStep) => void;
  /** Dev PKI of the simulated TEEs; default `getDevRoots()` (.teezk/dev-roots). */
  devRoots?: DevRoots;
  /** Keep the chain and nodes running after the flow (tests continue on them); default false. */
  keepOpen?: boolean;
  /** Run on this separate Ethereum node over JSON-RPC instead of an in-process chain. */
  node?: DemoNode;
  /** The steps after the network is up; default DEMO_STEPS (a test may add its own checks in between). */
  steps?: readonly DemoFlowStep[];
};

export type RunDemoFlowReturnType = {
  ok: boolean;
  steps: readonly DemoStep[];
  /** Present (with keepOpen) when the flow got past registration. */
  context?: DemoContext;
  archivePath: string;
};
export type RunDemoFlowErrorType = TeezkError;

/**
 * `npm run demo`'s main job, end to end on one machine: an in-process chain with teezk deployed by its Ignition
 * modules (or, with `node`, a separate Ethereum node with teezk deployed by deploy/deployTeezk.ts and every step
 * over JSON-RPC), governed by the timelock; three verifier nodes and three prover nodes (simulated TDX, SEV-SNP and
 * Nitro TEEs) on loopback HTTP; every enclave registered through the committee path; a private membership
 * proof delegated over the attested HPKE channel and accepted by PrivateProofVerifier; a batch of receipts with
 * an inclusion check; roots finalized by two vendors and a Groth16 proof together (TeeAndZkQuorumRoots); a root
 * finalized by two vendors; a conflicting root that halts the roots contract; the ZK escape hatch. Each step
 * reports ✓/✗ and its gas; the flow stops at the first failure (later steps build on earlier ones). Everything the nodes decided and every transaction is in the archive afterwards.
 */
export async function runDemoFlow(parameters: RunDemoFlowParameters): Promise<RunDemoFlowReturnType> {
  const archivePath = parameters.archivePath;
  const workDir = parameters.workDir ?? dirname(archivePath);
  mkdirSync(workDir, { recursive: true });
  mkdirSync(dirname(archivePath), { recursive: true });
  const archive = openArchive(archivePath);
  const recorder = createStepRecorder({ archive, ...(parameters.onStep ? { onStep: parameters.onStep } : {}) });
  const closers: (() => Promise<void>)[] = [];
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
    archive.close();
  };
  let context: DemoContext | undefined;
  let finished = false;
  try {
    const setup: Setup = {
      archive,
      archivePath,
      workDir,
      devRoots: parameters.devRoots ?? getDevRoots(),
      closers,
      close,
      onContext: (built) => (context = built),
      steps: parameters.steps ?? DEMO_STEPS,
      ...(parameters.node ? { node: parameters.node } : {}),
    };
    await runSteps(recorder, setup);
    finished = true;
  } catch (error) {
    // A failed step is already recorded with its reason; anything else failed outside every step.
    if (recorder.steps.every((step) => step.ok)) {
      await close();
      throw error;
    }
  }
  const ok = finished && recorder.steps.every((step) => step.ok);
  // Without a context the caller has nothing to close, so a run that stopped that early is closed here.
  if (!parameters.keepOpen || !context) await close();
  return { ok, steps: recorder.steps, archivePath, ...(context && parameters.keepOpen ? { context } : {}) };
}

type Setup = {
  archive: Archive;
  archivePath: string;
  workDir: string;
  devRoots: DevRoots;
  closers: (() => Promise<void>)[];
  close: () => Promise<void>;
  /** Hands the context out as soon as the network is up, so a caller can inspect or close it after a failure. */
  onContext: (context: DemoContext) => void;
  steps: readonly DemoFlowStep[];
  node?: DemoNode;
};

async function runSteps(recorder: StepRecorder, setup: Setup): Promise<void> {
  const { archive, workDir, devRoots, closers, node } = setup;
  const network = await startDemoNetwork({ recorder, archive, workDir, devRoots, closers, ...(node ? { node } : {}) });
  const context: DemoContext = { ...network, archive: setup.archive, archivePath: setup.archivePath, close: setup.close };
  setup.onContext(context);
  for (const step of setup.steps) await step(recorder, context);
}
