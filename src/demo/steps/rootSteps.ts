import { encodeAbiParameters, keccak256, type Hex } from "viem";
import type { DemoFlowStep } from "../demoContext.js";
import { runRollupRootSteps } from "../runRollupRootSteps.js";

/** The RootProofVerifierTestDouble's valid proof: abi.encode(keccak256(abi.encode(programId, epoch, root))). */
const testDoubleRootProof = (programId: Hex, epoch: bigint, root: Hex): Hex =>
  encodeAbiParameters([{ type: "bytes32" }], [keccak256(encodeAbiParameters([{ type: "bytes32" }, { type: "uint64" }, { type: "bytes32" }], [programId, epoch, root]))]);

/**
 * The multi-prover roots part on the demo rollup (root-finalized, conflict-halts, zk-while-halted, resume,
 * escape-hatch): one step in the list because each of its parts builds on the rollup state of the one before.
 */
export const rollupRootSteps: DemoFlowStep = async (recorder, { devnet, rollupSigners }) =>
  runRollupRootSteps({
    recorder,
    devnet,
    rollupSigners,
    zkProofFor: async (epoch, root) => testDoubleRootProof(devnet.programId, epoch, root),
    zkVerifierLabel: "RootProofVerifierTestDouble (the rollup circuit's keys are not built yet)",
  });
