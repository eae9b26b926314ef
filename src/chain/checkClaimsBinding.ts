import type { Hex } from "viem";
import { TeeType, type Claims } from "../claims/index.js";
import { TeezkError } from "../errors/index.js";
import { gpuEvidenceRequired } from "./readProgramRequiresGpu.js";

export type CheckClaimsBindingParameters = {
  /** The CPU claims a route vouches for. */
  claims: Claims;
  /** The GPUs' claims of a composite; empty for CPU-only evidence. */
  gpuClaims: readonly Claims[];
  /** The DESIGN §3 binding of (enclave, HPKE key hash, nonce) the registration will name (computeBinding). */
  binding: Hex;
  /** The program, when it requires a GPU (readProgramRequiresGpu): CPU-only claims are GPU_EVIDENCE_REQUIRED. */
  gpuRequiredBy?: Hex;
};
export type CheckClaimsBindingErrorType = TeezkError;

/**
 * What a registration's claims must be, whichever route vouches for them, checked before any transaction: an
 * enclave's, not a GPU's (GPU_NOT_AN_ENCLAVE); with GPU claims when the program requires them
 * (GPU_EVIDENCE_REQUIRED); each GPU part NVIDIA claims (MALFORMED) whose nonce is the binding (BORROWED_GPU_REPORT);
 * and the CPU claims' reportData the binding (BINDING_MISMATCH).
 */
export function checkClaimsBinding(parameters: CheckClaimsBindingParameters): void {
  const { claims, gpuClaims } = parameters;
  const binding = parameters.binding.toLowerCase();
  if (claims.teeType === TeeType.NVIDIA_GPU) {
    throw new TeezkError("GPU_NOT_AN_ENCLAVE", "The claims are an NVIDIA GPU's: no enclave stands behind a GPU report (its nonce is chosen by whoever drives the GPU)", {
      metaMessages: ["Have the CPU TEE's evidence, carrying the binding, vouched for, with the GPU report as its GPU half."],
    });
  }
  if (parameters.gpuRequiredBy !== undefined && gpuClaims.length === 0) throw gpuEvidenceRequired(parameters.gpuRequiredBy);
  for (const [i, gpu] of gpuClaims.entries()) {
    if (gpu.teeType !== TeeType.NVIDIA_GPU) throw new TeezkError("MALFORMED", `GPU claims ${i} have TEE type ${gpu.teeType}, not NVIDIA_GPU (${TeeType.NVIDIA_GPU})`);
    if (gpu.reportData.toLowerCase() !== binding) {
      throw new TeezkError("BORROWED_GPU_REPORT", `GPU ${i}'s nonce is not the binding of the enclave, its HPKE key hash and the nonce`, {
        details: `GPU nonce ${gpu.reportData}, expected ${binding}`,
      });
    }
  }
  if (claims.reportData.toLowerCase() !== binding) {
    throw new TeezkError("BINDING_MISMATCH", "The verified claims' reportData is not the binding of the enclave, its HPKE key hash and the nonce", {
      details: `reportData ${claims.reportData}, expected ${binding}`,
      metaMessages: ["The enclave must attest with binding = keccak256(abi.encode(\"teezk/v1\", enclave, keccak256(hpkePublicKey), nonce)) (DESIGN §3)."],
    });
  }
}
