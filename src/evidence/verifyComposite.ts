import type { VerifiedEvidence } from "../claims/types.js";
import { TeeType } from "../claims/types.js";
import { TeezkError } from "../errors/index.js";

export type VerifyCompositeParameters = {
  /** Verified CPU evidence (TDX, SNP, SGX or Nitro): its reportData is the binding (DESIGN §3). */
  cpu: VerifiedEvidence;
  /** Verified GPU evidence, one entry per GPU. */
  gpus: readonly VerifiedEvidence[];
};

/**
 * Composite CPU+GPU attestation: each GPU must have signed the CPU's binding as its SPDM nonce. A genuine GPU
 * report from another session ("borrowed") carries another nonce and is refused with its own code.
 */
export function verifyComposite({ cpu, gpus }: VerifyCompositeParameters): void {
  if (cpu.claims.teeType === TeeType.NVIDIA_GPU) {
    throw new TeezkError("CONFIG_INVALID", "Composite attestation needs CPU evidence first, GPU evidence second");
  }
  if (gpus.length === 0) throw new TeezkError("CONFIG_INVALID", "Composite attestation needs at least one GPU report");
  for (const [index, gpu] of gpus.entries()) {
    if (gpu.claims.teeType !== TeeType.NVIDIA_GPU) {
      throw new TeezkError("CONFIG_INVALID", `Composite entry ${index} is not GPU evidence`);
    }
    if (gpu.claims.reportData.toLowerCase() !== cpu.claims.reportData.toLowerCase()) {
      throw new TeezkError("BORROWED_GPU_REPORT", `GPU ${index} signed nonce ${gpu.claims.reportData}, not this CPU's binding`, {
        details: `CPU binding ${cpu.claims.reportData}`,
        metaMessages: ["Ask the GPU for fresh evidence with the CPU binding as its SPDM nonce."],
      });
    }
  }
}
