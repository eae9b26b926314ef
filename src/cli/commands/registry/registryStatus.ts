import type { Address, Hex } from "viem";
import {
  committeeAttestationVerifierAbi,
  enclaveRegistryAbi,
  measurementRegistryAbi,
  timelockAbi,
  type TeezkClients,
} from "../../../chain/index.js";
import { TcbStatus, teeTypeName, type TcbStatusName } from "../../../claims/index.js";
import { TeezkError } from "../../../errors/index.js";
import { isoTime, viewOutput, type ChainCommandOutput } from "../../support/chainCommandOutput.js";
import { explainChainError } from "../../support/explainChainError.js";
import { requireAddress, type ChainDeployment } from "../../support/resolveDeployment.js";

export type RegistryStatusParameters = Pick<TeezkClients, "publicClient"> & {
  deployment: ChainDeployment;
  programId?: Hex;
  teeType?: number;
  measurement?: Hex;
  enclave?: Address;
  /** Root certificate hashes whose allowance for `teeType` to report. */
  rootHashes?: readonly Hex[];
};
export type RegistryStatusErrorType = TeezkError;

/**
 * `teezk registry status`: the registry views an operator checks before and after a change. What is reported
 * follows the flags given: a measurement (`--tee --measurement [--program-id]`), a TEE type's policy (`--tee`),
 * an enclave (`--enclave --program-id`), or, with none of them, the deployment's governance settings.
 */
export async function registryStatus(parameters: RegistryStatusParameters): Promise<ChainCommandOutput> {
  const { publicClient, deployment, programId, teeType, measurement, enclave } = parameters;
  if (measurement !== undefined && teeType === undefined) throw new TeezkError("CONFIG_INVALID", "--measurement needs --tee (revocation is per TEE type)");
  if (enclave !== undefined && programId === undefined) throw new TeezkError("CONFIG_INVALID", "--enclave needs --program-id (an enclave registers per program)");
  if (parameters.rootHashes?.length && teeType === undefined) throw new TeezkError("CONFIG_INVALID", "--root-hash needs --tee");
  const lines: string[] = [];
  const fields: Record<string, unknown> = {};
  try {
    if (teeType !== undefined) {
      const registry = requireAddress(deployment, "measurementRegistry");
      const tee = teeTypeName(teeType) ?? String(teeType);
      const policy = await publicClient.readContract({ address: registry, abi: measurementRegistryAbi, functionName: "teePolicy", args: [teeType] });
      const accepted = acceptedNames(policy.acceptedTcbStatuses);
      const roots: Record<string, boolean> = {};
      for (const rootHash of parameters.rootHashes ?? []) {
        roots[rootHash] = await publicClient.readContract({ address: registry, abi: measurementRegistryAbi, functionName: "isRootHashAllowed", args: [teeType, rootHash] });
      }
      fields.policy = { teeType, set: policy.maxEvidenceAge !== 0n, acceptedTcbStatuses: accepted, minSvn: policy.minSvn, maxEvidenceAge: policy.maxEvidenceAge, rootHashes: roots };
      lines.push(
        policy.maxEvidenceAge === 0n
          ? `${tee} policy: not set (no ${tee} enclave can register)`
          : `${tee} policy: TCB ${accepted.join("|") || "none"}, min SVN ${policy.minSvn}, max evidence age ${policy.maxEvidenceAge} s`,
        ...Object.entries(roots).map(([hash, allowed]) => `  root ${hash}: ${allowed ? "allowed" : "not allowed"}`),
      );
      if (measurement !== undefined) {
        const revoked = await publicClient.readContract({ address: registry, abi: measurementRegistryAbi, functionName: "isRevoked", args: [teeType, measurement] });
        const entry: Record<string, unknown> = { teeType, measurement, revoked };
        let line = `${tee} measurement ${measurement}: ${revoked ? "REVOKED" : "not revoked"}`;
        if (programId !== undefined) {
          const [allowed, window] = await Promise.all([
            publicClient.readContract({ address: registry, abi: measurementRegistryAbi, functionName: "isAllowed", args: [programId, teeType, measurement] }),
            publicClient.readContract({ address: registry, abi: measurementRegistryAbi, functionName: "measurementEntry", args: [programId, teeType, measurement] }),
          ]);
          Object.assign(entry, { programId, allowed, validFrom: window.validFrom, validUntil: window.validUntil });
          line += `; for program ${programId}: ${allowed ? "ALLOWED" : "not allowed"} now` + (window.validFrom !== 0n ? ` (window ${isoTime(window.validFrom)} → ${isoTime(window.validUntil)})` : " (never added)");
        }
        fields.measurement = entry;
        lines.push(line);
      }
    }
    if (enclave !== undefined && programId !== undefined) {
      const registry = requireAddress(deployment, "enclaveRegistry");
      const [info, live, removed, gpuEntryIds] = await Promise.all([
        publicClient.readContract({ address: registry, abi: enclaveRegistryAbi, functionName: "enclaveInfo", args: [enclave, programId] }),
        publicClient.readContract({ address: registry, abi: enclaveRegistryAbi, functionName: "isLive", args: [enclave, programId] }),
        publicClient.readContract({ address: registry, abi: enclaveRegistryAbi, functionName: "isRemoved", args: [enclave] }),
        publicClient.readContract({ address: registry, abi: enclaveRegistryAbi, functionName: "gpuEntries", args: [enclave, programId] }),
      ]);
      fields.enclave = { enclave, programId, live, removed, ...info, gpuEntryIds: [...gpuEntryIds] };
      lines.push(
        info.registeredAt === 0n
          ? `enclave ${enclave}: never registered for program ${programId}${removed ? " (REMOVED)" : ""}`
          : `enclave ${enclave}: ${live ? "LIVE" : "not live"}${removed ? " (REMOVED)" : ""} for program ${programId}; ` +
              `${teeTypeName(info.teeType) ?? info.teeType} measurement ${info.measurement}` +
              (gpuEntryIds.length > 0 ? ` with ${gpuEntryIds.length} GPU(s) (MeasurementRegistry entries ${gpuEntryIds.join(", ")})` : "") +
              `, expires ${isoTime(info.expiresAt)}`,
      );
    }
    if (lines.length === 0) {
      const enclaveRegistry = requireAddress(deployment, "enclaveRegistry");
      const committee = requireAddress(deployment, "committee");
      const timelock = requireAddress(deployment, "timelock");
      const measurementRegistry = requireAddress(deployment, "measurementRegistry");
      const [minDelay, ttl, threshold, members, livenessEpoch, livenessSinks] = await Promise.all([
        publicClient.readContract({ address: timelock, abi: timelockAbi, functionName: "getMinDelay" }),
        publicClient.readContract({ address: enclaveRegistry, abi: enclaveRegistryAbi, functionName: "registrationTtl" }),
        publicClient.readContract({ address: committee, abi: committeeAttestationVerifierAbi, functionName: "threshold" }),
        publicClient.readContract({ address: committee, abi: committeeAttestationVerifierAbi, functionName: "memberCount" }),
        publicClient.readContract({ address: measurementRegistry, abi: measurementRegistryAbi, functionName: "livenessEpoch" }),
        publicClient.readContract({ address: measurementRegistry, abi: measurementRegistryAbi, functionName: "livenessSinks" }),
      ]);
      fields.governance = {
        timelockMinDelay: minDelay,
        registrationTtl: ttl,
        committeeThreshold: threshold,
        committeeMembers: members,
        livenessEpoch,
        livenessSinks,
      };
      lines.push(`timelock delay ${minDelay} s; registrations last ${ttl} s; committee ${threshold}-of-${members}`);
      // An unwired BatchReceipts is still correct, but every inclusion then pays the full check (~4x the gas).
      const batchReceipts = deployment.batchReceipts;
      const batchWired = batchReceipts ? livenessSinks.some((sink) => sink.toLowerCase() === batchReceipts.toLowerCase()) : undefined;
      lines.push(
        `liveness epoch ${livenessEpoch}; pushed to ${livenessSinks.length} sink(s)` +
          (batchWired === undefined ? "" : batchWired ? " including BatchReceipts (cached inclusions)" : "; BatchReceipts is NOT one: every inclusion takes the full check"),
      );
    }
  } catch (error) {
    throw explainChainError(error, "registry status");
  }
  return viewOutput("registry status", lines.join("\n"), fields);
}

function acceptedNames(bits: bigint): TcbStatusName[] {
  return (Object.keys(TcbStatus) as TcbStatusName[]).filter((name) => (bits >> BigInt(TcbStatus[name])) & 1n);
}
