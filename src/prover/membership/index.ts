export { poseidonHash, type PoseidonHashErrorType } from "./poseidonHash.js";
export {
  computeMerkleProof,
  membershipTreeDepth,
  type ComputeMerkleProofParameters,
  type ComputeMerkleProofReturnType,
  type ComputeMerkleProofErrorType,
} from "./computeMerkleProof.js";
export { identityCommitment, type MembershipIdentity } from "./identityCommitment.js";
export { hashSignal } from "./hashSignal.js";
export {
  createMembershipWitnessInput,
  type CreateMembershipWitnessInputParameters,
  type CreateMembershipWitnessInputReturnType,
  type CreateMembershipWitnessInputErrorType,
} from "./createMembershipWitnessInput.js";
