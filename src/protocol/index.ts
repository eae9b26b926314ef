export type * from "./proverTypes.js";
export type * from "./keyReleaseTypes.js";
export { computeReceiptDigests, publicSignalsDigest, type ComputeReceiptDigestsParameters, type ComputeReceiptDigestsReturnType } from "./computeReceiptDigests.js";
export { circuitProgramId, type CircuitProgramIdParameters, type CircuitProgramIdErrorType } from "./circuitProgramId.js";
export { requestService, type RequestServiceParameters, type RequestServiceErrorType } from "./requestService.js";
export { encodeAttestationResponse, type EncodeAttestationResponseParameters } from "./encodeAttestationResponse.js";
export { parseAttestationResponse, type AttestationResponse } from "./parseAttestationResponse.js";
export { encodeProveResponse, encodeContractDomain, type EncodeProveResponseParameters } from "./encodeProveResponse.js";
export { parseProveResponse, type ProveResponse } from "./parseProveResponse.js";
