export { serveApp, type ServeAppParameters, type ServeAppReturnType, type ServeAppErrorType } from "./serveApp.js";
export { errorResponse, type ServiceErrorBody } from "./errorResponse.js";
export { requestService, type RequestServiceParameters, type RequestServiceErrorType } from "./requestService.js";
