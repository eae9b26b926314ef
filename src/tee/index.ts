export { detectTee, CONFIGFS_TSM_REPORT, type DetectTeeParameters, type DetectTeeReturnType } from "./detectTee.js";
export { collectConfigfsTsm, type CollectConfigfsTsmParameters, type CollectConfigfsTsmReturnType, type ConfigfsOperations } from "./collectConfigfsTsm.js";
export { collectEvidence, type CollectEvidenceParameters, type CollectEvidenceReturnType } from "./collectEvidence.js";
export * from "./simulated/index.js";
