export * from "./types.js";
export {
  encodeClaims,
  decodeClaims,
  claimsHash,
  claimsAbiParameter,
  encodeCompositeClaims,
  decodeCompositeClaims,
  decodeVerdictClaims,
  encodeVerdictClaims,
  ENCODED_CLAIMS_BYTES,
  type CompositeClaims,
} from "./encodeClaims.js";
export { claimsToJson, type ClaimsJson } from "./claimsJson.js";
export { measurementDigest, sha256Hex } from "./measurementDigest.js";
export { computeBinding, computeBindingFromKeyHash, type ComputeBindingParameters, type ComputeBindingFromKeyHashParameters } from "./computeBinding.js";
export { TeeVendor, teeVendorOf, enclaveVendorsOf, type TeeVendorName } from "./teeVendorOf.js";
export { teeTypesOfBitmap } from "./teeTypesOfBitmap.js";
export { svnLanes, packSvnLanes, svnAtLeast, snpSvn, MAX_SVN, SVN_LANE_COUNT, type SnpTcbComponents } from "./svnLanes.js";
