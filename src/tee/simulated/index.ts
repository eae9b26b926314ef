export { getDevRoots, devRootPin, devRootFamily, SIMULATED_SNP_PRODUCT, type GetDevRootsParameters, type GetDevRootsReturnType, type GetDevRootsErrorType } from "./getDevRoots.js";
export {
  simulateEvidence,
  type SimulateEvidenceParameters,
  type SimulateEvidenceReturnType,
  type SimulateEvidenceErrorType,
} from "./simulateEvidence.js";
export {
  writeCollateralFolder,
  type WriteCollateralFolderParameters,
  type WriteCollateralFolderReturnType,
  type WriteCollateralFolderErrorType,
} from "./writeCollateralFolder.js";
export { simulateNitroDocument, NITRO_REGISTERS, type SimulateNitroDocumentParameters } from "./simulateNitroDocument.js";
export { simulateDcapCollateral, type SimulateDcapCollateralParameters } from "./simulateDcapCollateral.js";
export { simulateDcapQuote, TDX_REGISTERS, SGX_REGISTERS, type SimulateDcapQuoteParameters } from "./simulateDcapQuote.js";
export { simulateSnpReport, SNP_REGISTERS, type SimulateSnpReportParameters, type SimulateSnpReportReturnType } from "./simulateSnpReport.js";
export { simulateGpuReport, GPU_REGISTERS, type SimulateGpuReportParameters, type SimulateGpuReportReturnType } from "./simulateGpuReport.js";
export { simulateGpuRim, simulateGpuRims, type SimulateGpuRimParameters } from "./simulateGpuRim.js";
export { simulatedRegister, SIMULATED_PLATFORM, SIMULATED_GPU_BLOCK_COUNT } from "./simulatedDefaults.js";
export { DEV_ROOT_LABEL, issueDevCertificate, type IssueDevCertificateParameters, type DevIssuer } from "./issueDevCertificate.js";
export { simulatedVendors, type SimulatedVendor, type DevRoots, type DevKeyPair, type DevRootFamily } from "./types.js";
export type { AmdTcbValues } from "./vendorExtensions.js";
