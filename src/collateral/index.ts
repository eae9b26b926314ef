export { fetchCollateral, fetchCollateralFiles, fetchCollateralTemporarily, collateralRequests, type FetchCollateralParameters, type FetchCollateralFilesParameters, type FetchCollateralReturnType, type CollateralRequestOptions, type ServiceCollateralOptions } from "./fetchCollateral.js";
export { CollateralCache, defaultCacheDir } from "./collateralCache.js";
export { fetchBounded, type FetchBoundedParameters, type FetchedResponse, type FetchLike } from "./fetchBounded.js";
export { intelPcsRequests, DEFAULT_PCS_URL, INTEL_ROOT_CA_CRL_URL } from "./intelPcs.js";
export { amdKdsRequests, DEFAULT_KDS_URL, type AmdKdsOptions } from "./amdKds.js";
export { resolveItems, refreshMargin, DEFAULT_TIMEOUT_MS, DEFAULT_MAX_BYTES } from "./resolveItems.js";
export type * from "./types.js";
export { createCollateralRefresher, DEFAULT_REFRESH_CHECK_MS, type CollateralRefresher, type CollateralRefreshReport, type CreateCollateralRefresherParameters } from "./createCollateralRefresher.js";
export { nvidiaRimRequests, nvidiaOcspRequests, DEFAULT_NVIDIA_RIM_URL, DEFAULT_NVIDIA_OCSP_URL, rimFileName } from "./nvidiaRim.js";
