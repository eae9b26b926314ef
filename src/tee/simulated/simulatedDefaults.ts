import { createHash } from "node:crypto";

/**
 * Deterministic register values of simulated TEEs, so reference values and allowlists can name them. Every
 * default is `sha384("teezk simulated <vendor> <register>")` (or its first N bytes for shorter registers,
 * sha512 for the 64-byte chip id): anyone can recompute them without teezk. Registers a real TEE leaves zero
 * by default (TDX MRCONFIGID, MROWNER, MROWNERCONFIG; SNP HOST_DATA, ID key digests) are zero here too.
 */
export function simulatedRegister(vendor: string, register: string, length = 48): Uint8Array {
  const label = `teezk simulated ${vendor} ${register}`;
  const digest = createHash(length > 48 ? "sha512" : "sha384").update(label).digest();
  return new Uint8Array(digest.subarray(0, length));
}

/** Dev NVIDIA report: as many DMTF measurement blocks as a Hopper report carries. */
export const SIMULATED_GPU_BLOCK_COUNT = 64;

/** Fixed values of the simulated platforms (documented here so a policy can pin them). */
export const SIMULATED_PLATFORM = Object.freeze({
  nitroModuleId: "i-0teezk0simulated0-enc0000000000000",
  /** Intel: TEE_TCB_SVN bytes (module SVN minor, major, …) and the SGX extension values of the PCK leaf. */
  tdxTeeTcbSvn: "03010200000000000000000000000000",
  tdxXfam: "e71a060000000000",
  pckFmspc: "00dec0de0000",
  pckPceId: "0000",
  pckPceSvn: 13,
  pckCpuSvn: "03030202ffff01000000000000000000",
  /** AMD: a Genoa (family 19h model 11h) at bootloader 7, TEE 0, SNP 14, microcode 72. */
  snpCpuid: { family: 0x19, model: 0x11, stepping: 0x01 },
  snpTcb: { bootloader: 7, tee: 0, snp: 14, microcode: 72 },
  /** NVIDIA opaque data. */
  gpuDriverVersion: "550.54.15",
  /** Raw 8 bytes of VBIOS_VERSION; nvtrust renders them 96.00.A5.00.01. */
  gpuVbiosVersionBytes: "00a5009601000000",
  /** PROJECT and PROJECT_SKU as the real ppcie H100s state them: the VBIOS RIM id is NV_GPU_VBIOS_G520_0200_882_9600A50001. */
  gpuProject: "G520",
  gpuProjectSku: "0200",
  gpuChipSku: "882",
});
