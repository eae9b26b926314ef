export { appraise, type Appraisal, type AppraisalFailure, type AppraiseOptions } from "./appraise.js";
export {
  parseReferenceValues,
  loadReferenceValues,
  referenceValuesSchema,
  teeReferenceValuesSchema,
  type ReferenceValues,
  type ReferenceValuesInput,
  type TeeReferenceValues,
} from "./referenceValues.js";
