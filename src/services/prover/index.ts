export {
  createProverNode,
  type CreateProverNodeParameters,
  type CreateProverNodeReturnType,
  type CreateProverNodeErrorType,
  type ProverNode,
} from "./createProverNode.js";
export {
  createSimulatedEvidenceSource,
  type CreateSimulatedEvidenceSourceParameters,
  type CreateSimulatedEvidenceSourceReturnType,
  type CreateSimulatedEvidenceSourceErrorType,
} from "./createSimulatedEvidenceSource.js";
export { simulatedProverVendors, type SimulatedProverVendor } from "./types.js";
export {
  createTeeEvidenceSource,
  type CreateTeeEvidenceSourceParameters,
  type CreateTeeEvidenceSourceReturnType,
  type CreateTeeEvidenceSourceErrorType,
} from "./createTeeEvidenceSource.js";
export {
  computeReceiptDigests,
  publicSignalsDigest,
  type ComputeReceiptDigestsParameters,
  type ComputeReceiptDigestsReturnType,
} from "../../protocol/index.js";
export { circuitProgramId, type CircuitProgramIdParameters, type CircuitProgramIdErrorType } from "../../protocol/index.js";
export { createNonceTable, type NonceTable, type CreateNonceTableParameters } from "./createNonceTable.js";
export * from "./constants.js";
export type * from "./types.js";
