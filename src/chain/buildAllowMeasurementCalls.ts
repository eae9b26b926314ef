import { encodeFunctionData, isHex, type Address, type Hex } from "viem";
import { TeezkError } from "../errors/index.js";
import { measurementRegistryAbi } from "./contractAbis.js";

/** One call a TimelockController executes. */
export type TimelockCall = { target: Address; value: bigint; data: Hex };

/** MeasurementRegistry's per-TEE-type evidence policy (IMeasurementRegistry.TeePolicy). */
export type TeePolicy = {
  /** Bit s accepts Claims.tcbStatus s (see tcbStatusBitmap). */
  acceptedTcbStatuses: bigint;
  minSvn: number;
  /** Seconds; nonzero. */
  maxEvidenceAge: bigint;
};

export type BuildAllowMeasurementCallsParameters = {
  measurementRegistry: Address;
  programId: Hex;
  teeType: number;
  measurement: Hex;
  /** 0 (default): from the execution time. */
  validFrom?: bigint;
  /** 0 (default): no end. */
  validUntil?: bigint;
  /** Also set the TEE type's policy (replaces the current one). */
  policy?: TeePolicy;
  /** Also allow these root certificate hashes (sha256 of the DER) for the TEE type. */
  allowRootHashes?: readonly Hex[];
  /**
   * First mark the program as requiring a GPU (setProgramRequiresGpu): its enclaves then register only as
   * composites (registerComposite). Only before the program's first measurement (ProgramHasMeasurements after).
   */
  requireGpu?: boolean;
};
export type BuildAllowMeasurementCallsErrorType = TeezkError;

/**
 * The MeasurementRegistry calls that let enclaves of `measurement` register for `programId`: optionally the TEE
 * type's policy and root hashes, then the measurement. They run as one timelock batch (scheduleTimelockCalls,
 * executeTimelockCalls), because the registry's governor is the timelock.
 */
export function buildAllowMeasurementCalls(parameters: BuildAllowMeasurementCallsParameters): TimelockCall[] {
  const { measurementRegistry, programId, teeType, measurement } = parameters;
  for (const [name, value] of [["programId", programId], ["measurement", measurement], ...(parameters.allowRootHashes ?? []).map((h) => ["rootHash", h])] as const) {
    if (!isHex(value) || value.length !== 66) throw new TeezkError("CONFIG_INVALID", `${name} must be 32-byte hex`);
  }
  if (!Number.isInteger(teeType) || teeType < 1 || teeType > 5) throw new TeezkError("CONFIG_INVALID", `teeType ${teeType} is not 1..5`);
  const call = (data: Hex): TimelockCall => ({ target: measurementRegistry, value: 0n, data });
  const calls: TimelockCall[] = [];
  if (parameters.requireGpu) {
    calls.push(call(encodeFunctionData({ abi: measurementRegistryAbi, functionName: "setProgramRequiresGpu", args: [programId, true] })));
  }
  if (parameters.policy) {
    calls.push(call(encodeFunctionData({ abi: measurementRegistryAbi, functionName: "setTeePolicy", args: [teeType, parameters.policy] })));
  }
  for (const rootHash of parameters.allowRootHashes ?? []) {
    calls.push(call(encodeFunctionData({ abi: measurementRegistryAbi, functionName: "setRootHashAllowed", args: [teeType, rootHash, true] })));
  }
  calls.push(
    call(
      encodeFunctionData({
        abi: measurementRegistryAbi,
        functionName: "addMeasurement",
        args: [programId, teeType, measurement, parameters.validFrom ?? 0n, parameters.validUntil ?? 0n],
      }),
    ),
  );
  return calls;
}
