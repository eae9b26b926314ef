export type {
  CircuitArtifacts,
  CircuitReference,
  Groth16Proof,
  ProveParameters,
  ProveProgress,
  ProveReturnType,
  ProveStage,
  Prover,
  Sp1Proof,
  VerifyParameters,
} from "./types.js";
export {
  createGroth16Prover,
  type CreateGroth16ProverParameters,
  type CreateGroth16ProverReturnType,
  type CreateGroth16ProverErrorType,
} from "./createGroth16Prover.js";
export {
  resolveGroth16Engine,
  groth16Engines,
  defaultNativeGroth16Binary,
  nativeGroth16BuildHint,
  type Groth16Engine,
  type ResolveGroth16EngineParameters,
  type ResolveGroth16EngineReturnType,
} from "./resolveGroth16Engine.js";
export {
  createSp1Prover,
  defaultSp1HostBinary,
  sp1InstallHint,
  sp1HostArguments,
  sp1ProgramInputSchema,
  type Sp1ProgramInput,
  type CreateSp1ProverParameters,
  type CreateSp1ProverReturnType,
  type CreateSp1ProverErrorType,
} from "./createSp1Prover.js";
export {
  resolveCircuitArtifacts,
  defaultCircuitsBuildDir,
  type ResolveCircuitArtifactsParameters,
  type ResolveCircuitArtifactsReturnType,
  type ResolveCircuitArtifactsErrorType,
} from "./resolveCircuitArtifacts.js";
export { formatGroth16Calldata, type Groth16Calldata, type FormatGroth16CalldataErrorType } from "./formatGroth16Calldata.js";
export { proofDigest } from "./proofDigest.js";
export { parseGroth16Proof, bn254BaseField, type ParseGroth16ProofReturnType } from "./parseGroth16Proof.js";
export { normalizeWitnessInput, bn254ScalarField, maxWitnessLeaves } from "./normalizeWitnessInput.js";
export * from "./membership/index.js";
