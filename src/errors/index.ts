export { TeezkError, isTeezkError, wrapErrors, type TeezkErrorParameters } from "./TeezkError.js";
export { errorCodes, isErrorCode, type ErrorCode } from "./codes.js";
