export { assessEvidence, type AssessEvidenceParameters, type AssessEvidenceReturnType, type AssessEvidenceErrorType } from "./assessEvidence.js";
