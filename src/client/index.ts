export {
  delegateProof,
  type DelegateProofParameters,
  type DelegateProofReturnType,
  type DelegateProofErrorType,
  type DelegateProgress,
  type DelegateStep,
} from "./delegate.js";
export {
  verifyAttestation,
  type VerifiedAttestation,
  type VerifyAttestationParameters,
  type VerifyAttestationReturnType,
  type VerifyAttestationErrorType,
} from "./verifyAttestation.js";
export {
  checkProveResponse,
  type CheckedProof,
  type CheckProveResponseParameters,
  type CheckProveResponseReturnType,
  type CheckProveResponseErrorType,
} from "./checkProveResponse.js";
export { prepareOwnCollateral, type ClientCollateralSources, type OwnCollateral } from "./ownCollateral.js";
