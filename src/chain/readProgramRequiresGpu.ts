import type { Address, Hex } from "viem";
import { TeezkError } from "../errors/index.js";
import { measurementRegistryAbi } from "./contractAbis.js";
import { chainCallError } from "./chainCallError.js";
import type { TeezkClients } from "./types.js";

export type ReadProgramRequiresGpuParameters = Pick<TeezkClients, "publicClient"> & {
  /** Without one the answer is false and the contract alone refuses (GpuEvidenceRequired). */
  measurementRegistry?: Address;
  programId: Hex;
};
export type ReadProgramRequiresGpuErrorType = TeezkError;

/**
 * Whether the program's enclaves must come with GPU claims (MeasurementRegistry.programRequiresGpu): read before
 * any evidence or verdict is asked for, so a missing GPU half is said plainly (gpuEvidenceRequired) rather than
 * as the contract's GpuEvidenceRequired after the committee's work.
 */
export async function readProgramRequiresGpu({ publicClient, measurementRegistry, programId }: ReadProgramRequiresGpuParameters): Promise<boolean> {
  if (!measurementRegistry) return false;
  return publicClient.readContract({ address: measurementRegistry, abi: measurementRegistryAbi, functionName: "programRequiresGpu", args: [programId] }).catch((error: unknown) => {
    throw chainCallError(`programRequiresGpu on ${measurementRegistry}`, error);
  });
}

/** GPU_EVIDENCE_REQUIRED for a program that registers enclaves only with composite CPU+GPU evidence. */
export function gpuEvidenceRequired(programId: Hex): TeezkError {
  return new TeezkError("GPU_EVIDENCE_REQUIRED", `Program ${programId} requires a GPU: its enclaves register only with composite CPU+GPU evidence`, {
    metaMessages: ["Pass the GPU half with --gpu <file> (verifier nodes then sign over the whole composite), or verdicts collected over composite evidence."],
  });
}
