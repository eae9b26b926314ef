export {
  createVerifierNode,
  type CreateVerifierNodeParameters,
  type CreateVerifierNodeReturnType,
  type CreateVerifierNodeErrorType,
  type VerifierNode,
} from "./createVerifierNode.js";
export { requestVerdict, type RequestVerdictParameters, type RequestVerdictReturnType, type RequestVerdictErrorType } from "./requestVerdict.js";
export {
  requestCommitteeVerdicts,
  type RequestCommitteeVerdictsParameters,
  type RequestCommitteeVerdictsReturnType,
  type RequestCommitteeVerdictsErrorType,
} from "./requestCommitteeVerdicts.js";
export { parseVerifyRequest, verifyRequestSchema } from "./parseVerifyRequest.js";
export { recordVerifierDecision, NO_CLAIMS_HASH, type RecordVerifierDecisionParameters } from "./recordVerifierDecision.js";
export { MAX_VERIFY_BODY_BYTES, DEFAULT_MAX_CONCURRENT_VERIFICATIONS, DEFAULT_VERIFY_TIMEOUT_MS, DEFAULT_REQUEST_TIME_SKEW_MS, VERIFIER_ARCHIVE_SOURCE } from "./constants.js";
export type { VerifyRequestBody, VerifyResponseBody, VerifierHealthBody, VerifierArchiveIds } from "./types.js";
export { createCollateralCache, type CollateralByKind, type CollateralCache, type CreateCollateralCacheParameters, type ResolvedEvidence } from "./createCollateralCache.js";
export { evidenceAsText } from "./evidenceAsText.js";
export { createArchiveBatcher, type ArchiveBatcher, type CreateArchiveBatcherParameters, type CreateArchiveBatcherReturnType } from "./createArchiveBatcher.js";
