export { parseSnpReport, type ParseSnpReportOptions, type ParseSnpReportReturnType, type ParseSnpReportErrorType } from "./parseSnpReport.js";
export { verifySnpReport, type VerifySnpReportParameters, type VerifySnpReportReturnType, type VerifySnpReportErrorType } from "./verifySnpReport.js";
export { loadSnpCollateral, loadSnpCollateralFiles, type LoadSnpCollateralReturnType } from "./loadSnpCollateral.js";
export { createSnpCollateral, type CreateSnpCollateralParameters } from "./createSnpCollateral.js";
export { unwrapSnpEvidence, type UnwrapSnpEvidenceReturnType } from "./unwrapSnpEvidence.js";
export { SNP_PINNED_ROOTS } from "./pinnedRoots.js";
export { MAX_SNP_EVIDENCE_BYTES } from "./constants.js";
export { packTcbSvn } from "./decodeTcbVersion.js";
export type * from "./types.js";
