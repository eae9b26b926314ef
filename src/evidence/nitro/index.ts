export { parseNitroDocument, type ParseNitroDocumentReturnType, type ParseNitroDocumentErrorType } from "./parseNitroDocument.js";
export {
  verifyNitroDocument,
  type VerifyNitroDocumentParameters,
  type VerifyNitroDocumentReturnType,
  type VerifyNitroDocumentErrorType,
} from "./verifyNitroDocument.js";
export { NITRO_PINNED_ROOTS, MAX_NITRO_DOCUMENT_BYTES, NITRO_CLOCK_SKEW_MS } from "./constants.js";
export type { NitroDocument, NitroCoseSign1 } from "./types.js";
