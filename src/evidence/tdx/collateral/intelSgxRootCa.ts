import type { PinnedRoot } from "../../../util/x509.js";

/** Intel SGX Root CA (CN=Intel SGX Root CA, O=Intel Corporation), pinned by the SHA-256 of its DER. */
export const INTEL_SGX_ROOT_CA: PinnedRoot = {
  name: "Intel SGX Root CA",
  sha256: "44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3",
};
