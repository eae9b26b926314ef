export { parseDcapQuote, type ParseDcapQuoteOptions, type ParseDcapQuoteReturnType, type ParseDcapQuoteErrorType } from "./parseDcapQuote.js";
export { verifyDcapQuote, type VerifyDcapQuoteParameters, type VerifyDcapQuoteReturnType, type VerifyDcapQuoteErrorType } from "./verifyDcapQuote.js";
export { INTEL_PINNED_ROOTS, INTEL_SGX_ROOT_CA_SHA256, MAX_DCAP_QUOTE_BYTES, DEFAULT_MAX_DCAP_TRAILING_BYTES } from "./constants.js";
export type { DcapQuoteBody, DcapQuoteHeader, ParsedDcapQuote, SgxEnclaveReport, TdReport } from "./types.js";
