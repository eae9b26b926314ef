export { COMMITTEE_PATH, DCAP_PATH, type TeezkClients, type TeezkAddresses, type TransactionResult } from "./types.js";
export { ROLE_IDS, ROLE_NAMES, ROUTE_IDS, DEFAULT_ADMIN_ROLE, roleNameOf, type RoleName } from "./roleAndRouteIds.js";
export {
  timelockAbi,
  measurementRegistryAbi,
  enclaveRegistryAbi,
  committeeAttestationVerifierAbi,
  receiptVerifierAbi,
  batchReceiptsAbi,
  multiProverRootsAbi,
  privateProofVerifierAbi,
} from "./contractAbis.js";
export { revertReason, chainCallError, nodeFailure } from "./chainCallError.js";
export { revertHint } from "./revertHints.js";
export { advanceChainTime, type AdvanceChainTimeParameters, type AdvanceChainTimeReturnType, type AdvanceChainTimeErrorType } from "./advanceChainTime.js";
export {
  VERDICT_TYPE,
  ROOT_TYPE,
  COMMITTEE_DOMAIN,
  MULTI_PROVER_ROOTS_DOMAIN,
  verdictTypes,
  rootTypes,
  committeeDomain,
  multiProverRootsDomain,
} from "./typedData.js";
export { signVerdict, hashVerdict, type Verdict, type SignVerdictParameters, type SignVerdictErrorType } from "./signVerdict.js";
export { encodeCommitteeProof, sortBySigner, type EncodeCommitteeProofErrorType } from "./encodeCommitteeProof.js";
export { issueChallenge, type IssueChallengeParameters, type IssueChallengeReturnType, type IssueChallengeErrorType } from "./issueChallenge.js";
export {
  refreshLiveness,
  type RefreshLivenessParameters,
  type RefreshLivenessReturnType,
  type RefreshLivenessErrorType,
} from "./refreshLiveness.js";
export {
  registerEnclave,
  type RegisterEnclaveParameters,
  type RegisterEnclaveReturnType,
  type RegisterEnclaveErrorType,
} from "./registerEnclave.js";
export {
  attestForRegistration,
  type EnclaveAttestation,
  type AttestForRegistrationParameters,
  type AttestForRegistrationReturnType,
  type AttestForRegistrationErrorType,
} from "./attestForRegistration.js";
export {
  registerThroughCommittee,
  type CommitteeVerdict,
  type CollectVerdictsRequest,
  type RegisterThroughCommitteeParameters,
  type RegisterThroughCommitteeReturnType,
  type RegisterThroughCommitteeErrorType,
} from "./registerThroughCommittee.js";
export {
  registerThroughRoute,
  type RouteAttestation,
  type RegisterThroughRouteParameters,
  type RegisterThroughRouteReturnType,
  type RegisterThroughRouteErrorType,
} from "./registerThroughRoute.js";
export { checkClaimsBinding, type CheckClaimsBindingParameters, type CheckClaimsBindingErrorType } from "./checkClaimsBinding.js";
export {
  registerWithVerdicts,
  type RegisterWithVerdictsParameters,
  type RegisterWithVerdictsReturnType,
  type RegisterWithVerdictsErrorType,
} from "./registerWithVerdicts.js";
export {
  checkCommitteeVerdicts,
  type CheckCommitteeVerdictsParameters,
  type CheckCommitteeVerdictsReturnType,
  type CheckCommitteeVerdictsErrorType,
} from "./checkCommitteeVerdicts.js";
export {
  readProgramRequiresGpu,
  gpuEvidenceRequired,
  type ReadProgramRequiresGpuParameters,
  type ReadProgramRequiresGpuErrorType,
} from "./readProgramRequiresGpu.js";
export {
  registerComposite,
  type RegisterCompositeParameters,
  type RegisterCompositeReturnType,
  type RegisterCompositeErrorType,
} from "./registerComposite.js";
export { verifyReceipt, type VerifyReceiptParameters, type VerifyReceiptReturnType, type VerifyReceiptErrorType } from "./verifyReceipt.js";
export {
  consumeReceipt,
  type ConsumeReceiptParameters,
  type ConsumeReceiptReturnType,
  type ConsumeReceiptErrorType,
} from "./consumeReceipt.js";
export {
  verifyPrivateProof,
  type VerifyPrivateProofParameters,
  type VerifyPrivateProofReturnType,
  type VerifyPrivateProofErrorType,
} from "./verifyPrivateProof.js";
export {
  consumePrivateProof,
  type ConsumePrivateProofParameters,
  type ConsumePrivateProofReturnType,
  type ConsumePrivateProofErrorType,
} from "./consumePrivateProof.js";
export {
  getPrivateProofVerifierContext,
  type GetPrivateProofVerifierContextParameters,
  type GetPrivateProofVerifierContextReturnType,
  type GetPrivateProofVerifierContextErrorType,
} from "./getPrivateProofVerifierContext.js";
export {
  submitPrivateProof,
  type PrivatelyProvedStatement,
  type SubmitPrivateProofParameters,
  type SubmitPrivateProofReturnType,
  type SubmitPrivateProofErrorType,
} from "./submitPrivateProof.js";
export { checkBatchSigner, type CheckBatchSignerParameters, type CheckBatchSignerReturnType, type CheckBatchSignerErrorType } from "./checkBatchSigner.js";
export { submitBatch, type SubmitBatchParameters, type SubmitBatchReturnType, type SubmitBatchErrorType } from "./submitBatch.js";
export {
  refreshBatchLiveness,
  type RefreshBatchLivenessParameters,
  type RefreshBatchLivenessReturnType,
  type RefreshBatchLivenessErrorType,
} from "./refreshBatchLiveness.js";
export { verifyInclusion, type VerifyInclusionParameters, type VerifyInclusionErrorType } from "./verifyInclusion.js";
export { signRoot, type RootSignature, type SignRootParameters, type SignRootErrorType } from "./signRoot.js";
export { proposeRoot, type ProposeRootParameters, type ProposeRootReturnType, type ProposeRootErrorType } from "./proposeRoot.js";
export {
  reportConflict,
  type ReportConflictParameters,
  type ReportConflictReturnType,
  type ReportConflictErrorType,
} from "./reportConflict.js";
export { submitZkRoot, type SubmitZkRootParameters, type SubmitZkRootErrorType } from "./submitZkRoot.js";
export {
  buildAllowMeasurementCalls,
  type TimelockCall,
  type TeePolicy,
  type BuildAllowMeasurementCallsParameters,
  type BuildAllowMeasurementCallsErrorType,
} from "./buildAllowMeasurementCalls.js";
export { tcbStatusBitmap } from "./tcbStatusBitmap.js";
export {
  scheduleTimelockCalls,
  timelockOperationId,
  type TimelockOperation,
  type ScheduleTimelockCallsParameters,
  type ScheduleTimelockCallsReturnType,
  type ScheduleTimelockCallsErrorType,
} from "./scheduleTimelockCalls.js";
export { executeTimelockCalls, type ExecuteTimelockCallsParameters, type ExecuteTimelockCallsErrorType } from "./executeTimelockCalls.js";
export {
  pushDcapCollateral,
  type DcapUpload,
  type PushDcapCollateralParameters,
  type PushDcapCollateralReturnType,
} from "./pushDcapCollateral.js";
export { registerViaDcap, type RegisterViaDcapParameters, type RegisterViaDcapReturnType } from "./registerViaDcap.js";
