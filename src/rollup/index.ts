export { rollupAccountTag, rollupMaxBalance, rollupMaxNonce, encodeAccountLeaf, type RollupAccount } from "./accountLeaf.js";
export {
  rollupTreeDepth,
  createAccountTree,
  cloneAccountTree,
  accountTreeRoot,
  accountTreeLeaf,
  accountTreeSiblings,
  setAccountTreeLeaf,
  type AccountTree,
} from "./accountTree.js";
export { createRollupState, type RollupState, type CreateRollupStateParameters, type CreateRollupStateErrorType } from "./rollupState.js";
export {
  applyRollupBatch,
  rollupBatchSize,
  type RollupTransfer,
  type RollupWitnessInput,
  type ApplyRollupBatchParameters,
  type ApplyRollupBatchReturnType,
  type ApplyRollupBatchErrorType,
} from "./applyRollupBatch.js";
export { rootToHex } from "./rootHex.js";
export {
  createRollupSequencer,
  type CreateRollupSequencerParameters,
  type CreateRollupSequencerErrorType,
  type ExecuteEpochParameters,
  type RollupSequencer,
} from "./createRollupSequencer.js";
export {
  proveRollupBatch,
  rollupCircuitName,
  type ProveRollupBatchParameters,
  type ProveRollupBatchReturnType,
  type ProveRollupBatchErrorType,
} from "./proveRollupBatch.js";
