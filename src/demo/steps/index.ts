import type { DemoFlowStep } from "../demoContext.js";
import { dcapRegisterStep } from "./dcapRouteSteps.js";
import { delegateStep, expiredEnclaveStep, privateProofStep, tamperedProofStep } from "./delegationSteps.js";
import { receiptBatchStep } from "./receiptBatchStep.js";
import { rollupRootSteps } from "./rootSteps.js";
import { teeAndZkRootStep } from "./teeAndZkRootStep.js";

/**
 * The main job after the network is up (startDemoNetwork), in order; the flow stops at the first failure, since
 * each step builds on the ones before it. A new step is a DemoFlowStep in its own function and one line here.
 */
export const DEMO_STEPS: readonly DemoFlowStep[] = [
  delegateStep,
  privateProofStep,
  tamperedProofStep,
  receiptBatchStep,
  // Before the roots steps: their escape hatch moves the chain past the sequencers' registrations.
  teeAndZkRootStep,
  rollupRootSteps,
  expiredEnclaveStep,
  dcapRegisterStep,
];
