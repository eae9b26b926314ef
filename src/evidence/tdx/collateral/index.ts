export { loadDcapCollateral, loadDcapCollateralFiles, PCS_FILES, DCAP_QVL_FILE, MAX_COLLATERAL_FILE_BYTES, type LoadDcapCollateralErrorType } from "./loadDcapCollateral.js";
export { parseDcapQvlCollateral, type ParseDcapQvlCollateralErrorType } from "./parseDcapQvlCollateral.js";
export {
  appraiseDcapCollateral,
  type AppraiseDcapCollateralParameters,
  type AppraiseDcapCollateralReturnType,
  type AppraiseDcapCollateralErrorType,
  type DcapQeReportFields,
} from "./appraiseDcapCollateral.js";
export { parsePckExtensions, SGX_EXTENSION_OID, type PckExtensions, type ParsePckExtensionsErrorType } from "./parsePckExtensions.js";
export { parseTcbInfo, type ParseTcbInfoErrorType } from "./parseTcbInfo.js";
export { parseEnclaveIdentity, type ParseEnclaveIdentityErrorType } from "./parseEnclaveIdentity.js";
export { parseDcapCrl, MAX_CRL_BYTES, type ParseDcapCrlErrorType } from "./parseDcapCrl.js";
export { verifyDcapCrl, type VerifyDcapCrlParameters, type VerifyDcapCrlErrorType } from "./verifyDcapCrl.js";
export { isCertificateRevoked } from "./isCertificateRevoked.js";
export { isCrlIssuedBy } from "./isCrlIssuedBy.js";
export { evaluateDcapTcb, type EvaluateDcapTcbParameters, type EvaluateDcapTcbReturnType } from "./evaluateDcapTcb.js";
export { extractJsonMember } from "./extractJsonMember.js";
export { INTEL_SGX_ROOT_CA, INTEL_SGX_ROOT_CA_DER_BASE64 } from "./intelSgxRootCa.js";
export { clearDcapCaches } from "./clearDcapCaches.js";
export type {
  DcapCollateral,
  DcapCrl,
  EnclaveIdentity,
  EnclaveTcbLevel,
  IntelTcbStatus,
  SignedCollateral,
  TcbInfo,
  TcbLevel,
  TdxModuleIdentity,
} from "./types.js";
