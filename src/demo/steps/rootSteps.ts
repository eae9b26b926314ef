import type { DemoFlowStep } from "../demoContext.js";
import { runRollupRootSteps } from "../runRollupRootSteps.js";

/**
 * The multi-prover roots part on the demo rollup (root-finalized, conflict-halts, zk-while-halted, resume,
 * escape-hatch): one step in the list because each of its parts builds on the rollup state of the one before.
 * The ZK leg's proofs are real Groth16 proofs of each epoch's transition (circuits/rollup.circom), shared with the
 * TEE + ZK roots step (whichever asks first proves).
 */
export const rollupRootSteps: DemoFlowStep = async (recorder, { devnet, rollupSigners, rollupProofs }) =>
  runRollupRootSteps({
    recorder,
    devnet,
    rollupSigners,
    zkProofFor: rollupProofs,
    zkVerifierLabel: "RollupRootProofVerifier (Groth16, circuits/rollup.circom)",
  });
