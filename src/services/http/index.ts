export { serveApp, type ServeAppParameters, type ServeAppReturnType, type ServeAppErrorType } from "./serveApp.js";
export { errorResponse, type ServiceErrorBody } from "./errorResponse.js";
export { requestService, type RequestServiceParameters, type RequestServiceErrorType } from "../../protocol/index.js";
export { applyServiceLimits, serviceTimeout, type ApplyServiceLimitsParameters, type ServiceLimitOptions } from "./applyServiceLimits.js";
export { readJsonObject } from "./readJsonObject.js";
export { createAdmissionGate, type AdmissionGate, type CreateAdmissionGateParameters, type CreateAdmissionGateReturnType, type CreateAdmissionGateErrorType } from "./createAdmissionGate.js";
