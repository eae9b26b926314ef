export { parseGpuReport, type ParseGpuReportReturnType, type ParseGpuReportErrorType } from "./parseGpuReport.js";
export { parseGpuOpaqueData, GPU_OPAQUE_FIELD_NAMES } from "./parseGpuOpaqueData.js";
export { parseGpuEvidenceJson, type ParseGpuEvidenceJsonReturnType, type ParseGpuEvidenceJsonErrorType } from "./parseGpuEvidenceJson.js";
export {
  verifyGpuEvidence,
  type VerifyGpuEvidenceParameters,
  type VerifyGpuEvidenceReturnType,
  type VerifyGpuEvidenceErrorType,
} from "./verifyGpuEvidence.js";
export {
  verifyGpuEvidenceSet,
  type VerifyGpuEvidenceSetParameters,
  type VerifyGpuEvidenceSetReturnType,
  type VerifyGpuEvidenceSetErrorType,
} from "./verifyGpuEvidenceSet.js";
export { loadNvidiaCollateral, loadNvidiaCollateralFiles, type LoadNvidiaCollateralReturnType, type LoadNvidiaCollateralErrorType } from "./loadNvidiaCollateral.js";
export {
  appraiseGpuMeasurements,
  type GpuGoldenMeasurement,
  type GpuMeasurementMismatch,
  type AppraiseGpuMeasurementsParameters,
} from "./appraiseGpuMeasurements.js";
export { NVIDIA_PINNED_ROOTS, NVIDIA_RIM_PINNED_ROOTS } from "./pinnedRoots.js";
export { verifyGpuRim, MAX_GPU_RIM_BYTES, type VerifyGpuRimParameters, type VerifiedGpuRim, type VerifyGpuRimErrorType } from "./verifyGpuRim.js";
export type { GpuRimMeasurement } from "./parseSignedRim.js";
export { appraiseGpuRims, gpuRimIds, type AppraiseGpuRimsParameters, type AppraiseGpuRimsReturnType } from "./appraiseGpuRims.js";
export {
  MAX_GPU_EVIDENCE_BYTES,
  MAX_GPU_REPORT_BYTES,
  MAX_GPU_EVIDENCE_ENTRIES,
  MAX_GPU_CHAIN_CERTIFICATES,
  MAX_GPU_TRAILING_ZERO_BYTES,
  type GpuReport,
  type GpuMeasurementBlock,
  type GpuOpaqueData,
  type GpuOpaqueField,
  type GpuEvidenceEntry,
  type NvidiaCollateral,
} from "./types.js";
