import { toHex, type Hex } from "viem";
import { buildAllowMeasurementCalls, scheduleTimelockCalls, tcbStatusBitmap, type TeezkClients } from "../../../chain/index.js";
import { teeTypeName, type TcbStatusName } from "../../../claims/index.js";
import { TeezkError } from "../../../errors/index.js";
import { isoTime, transactionOutput, type ChainCommandOutput } from "../../support/chainCommandOutput.js";
import { explainChainError } from "../../support/explainChainError.js";
import { requireAddress, type ChainDeployment } from "../../support/resolveDeployment.js";
import { checkOperationFilePath, writeTimelockOperationFile } from "./timelockOperationFile.js";

export type RegistryScheduleAllowParameters = TeezkClients & {
  deployment: ChainDeployment;
  programId: Hex;
  teeType: number;
  measurement: Hex;
  validFrom?: bigint;
  validUntil?: bigint;
  /** Sets the TEE type's policy too (replacing the current one) when given. */
  acceptTcb?: readonly TcbStatusName[];
  minSvn?: number;
  maxEvidenceAge?: bigint;
  allowRoots?: readonly Hex[];
  /** Also mark the program as requiring a GPU (before its first measurement): it then registers composites only. */
  requireGpu?: boolean;
  /** Default: the timelock's minimum delay. */
  delay?: bigint;
  /** Default: random, so two equal proposals are two operations. */
  salt?: Hex;
  /** Where to write the operation for `registry execute` (refused if the file exists). */
  save?: string;
};
export type RegistryScheduleAllowErrorType = TeezkError;

/**
 * `teezk registry schedule-allow`: proposes the MeasurementRegistry calls that allow a measurement (and optionally
 * its TEE type's policy and root hashes) as one timelock batch. The registry's governor is the timelock, so
 * nothing changes until `registry execute` runs the same batch after the delay: the window in which users and
 * the guardian see the change coming.
 */
export async function registryScheduleAllow(parameters: RegistryScheduleAllowParameters): Promise<ChainCommandOutput> {
  const { deployment, publicClient, walletClient } = parameters;
  const timelock = requireAddress(deployment, "timelock");
  const measurementRegistry = requireAddress(deployment, "measurementRegistry");
  const policyFlags = [parameters.acceptTcb, parameters.maxEvidenceAge, parameters.minSvn].filter((v) => v !== undefined).length;
  if (policyFlags > 0 && (parameters.acceptTcb === undefined || parameters.maxEvidenceAge === undefined)) {
    throw new TeezkError("CONFIG_INVALID", "A TEE policy needs --accept-tcb and --max-evidence-age together (--min-svn defaults to 0)");
  }
  if (parameters.maxEvidenceAge === 0n) throw new TeezkError("CONFIG_INVALID", "--max-evidence-age must be at least 1 second");
  const calls = buildAllowMeasurementCalls({
    measurementRegistry,
    programId: parameters.programId,
    teeType: parameters.teeType,
    measurement: parameters.measurement,
    ...(parameters.validFrom !== undefined ? { validFrom: parameters.validFrom } : {}),
    ...(parameters.validUntil !== undefined ? { validUntil: parameters.validUntil } : {}),
    ...(parameters.acceptTcb && parameters.maxEvidenceAge !== undefined
      ? { policy: { acceptedTcbStatuses: tcbStatusBitmap(parameters.acceptTcb), minSvn: parameters.minSvn ?? 0, maxEvidenceAge: parameters.maxEvidenceAge } }
      : {}),
    ...(parameters.allowRoots?.length ? { allowRootHashes: parameters.allowRoots } : {}),
    ...(parameters.requireGpu ? { requireGpu: true } : {}),
  });
  if (parameters.save) checkOperationFilePath(parameters.save);
  const salt = parameters.salt ?? toHex(crypto.getRandomValues(new Uint8Array(32)));
  let scheduled;
  try {
    scheduled = await scheduleTimelockCalls({ publicClient, walletClient, timelock, calls, salt, ...(parameters.delay !== undefined ? { delay: parameters.delay } : {}) });
  } catch (error) {
    throw explainChainError(error, "registry schedule-allow");
  }
  const file = { timelock, id: scheduled.id, readyAt: scheduled.readyAt, operation: scheduled.operation };
  if (parameters.save) writeTimelockOperationFile(parameters.save, file);
  const tee = teeTypeName(parameters.teeType) ?? String(parameters.teeType);
  const summary =
    `scheduled timelock operation ${scheduled.id}: allow ${tee} measurement ${parameters.measurement} for program ${parameters.programId}` +
    ` (${calls.length} call${calls.length === 1 ? "" : "s"}), executable from ${isoTime(scheduled.readyAt)}` +
    (parameters.save ? `; then run: teezk registry execute --operation ${parameters.save}` : "; the operation to execute is in the JSON output");
  return transactionOutput("registry schedule-allow", summary, scheduled, deployment, { ...file, readyAtIso: isoTime(scheduled.readyAt), saved: parameters.save ?? null });
}
