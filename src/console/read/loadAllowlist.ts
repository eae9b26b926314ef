import type { Hex } from "viem";
import { measurementRegistryAbi } from "../../chain/contractAbis.js";
import { loadTimelockOperations, type TimelockOperationView } from "./loadTimelockOperations.js";
import type { ChainClock, ConsoleReadParameters } from "./types.js";

export type MeasurementStatus = "allowed" | "not yet valid" | "expired" | "revoked";

export type AllowedMeasurement = {
  programId: Hex;
  teeType: number;
  measurement: Hex;
  validFrom: bigint;
  validUntil: bigint;
  status: MeasurementStatus;
  /** Set when a rotation replaced it. */
  rotatedTo?: Hex;
};

export type TeePolicyView = {
  teeType: number;
  acceptedTcbStatuses: bigint;
  minSvn: bigint;
  maxEvidenceAge: bigint;
  allowedRoots: Hex[];
  /** Per-root SVN minimums (setRootMinSvn). */
  rootMinSvn: { rootHash: Hex; minSvn: bigint }[];
};

export type AllowlistHistoryEntry = { blockNumber: bigint; transactionHash: Hex; eventName: string; args: Record<string, unknown> };

export type Allowlist = {
  clock: ChainClock;
  measurements: AllowedMeasurement[];
  policies: TeePolicyView[];
  /** Open timelock operations that change the allowlist or a policy, decoded, with their readiness. */
  pending: TimelockOperationView[];
  history: AllowlistHistoryEntry[];
};

const key = (programId: Hex, teeType: number, measurement: Hex) => `${programId}/${teeType}/${measurement}`;

/**
 * The Allowlist page: the registry's state folded from its events (one indexed query over the registry), the
 * measurements' status judged at the chain's time, and the timelock operations still open that touch it.
 */
export async function loadAllowlist(parameters: ConsoleReadParameters): Promise<Allowlist> {
  const { client, config } = parameters;
  const [logs, timelock] = await Promise.all([
    client.getContractEvents({ address: config.deployment.measurementRegistry, abi: measurementRegistryAbi, fromBlock: BigInt(config.fromBlock) }),
    loadTimelockOperations(parameters),
  ]);
  const { clock } = timelock;
  const measurements = new Map<string, AllowedMeasurement>();
  const revoked = new Set<string>();
  const policies = new Map<number, TeePolicyView>();
  const policyOf = (teeType: number) => {
    const existing = policies.get(teeType);
    if (existing) return existing;
    const created: TeePolicyView = { teeType, acceptedTcbStatuses: 0n, minSvn: 0n, maxEvidenceAge: 0n, allowedRoots: [], rootMinSvn: [] };
    policies.set(teeType, created);
    return created;
  };
  const history: AllowlistHistoryEntry[] = [];
  for (const log of logs) {
    const args = log.args as Record<string, unknown>;
    const teeType = Number(args.teeType ?? 0);
    switch (log.eventName) {
      case "MeasurementAdded":
        measurements.set(key(args.programId as Hex, teeType, args.measurement as Hex), {
          programId: args.programId as Hex,
          teeType,
          measurement: args.measurement as Hex,
          validFrom: args.validFrom as bigint,
          validUntil: args.validUntil as bigint,
          status: "allowed",
        });
        break;
      case "MeasurementRotated": {
        const old = measurements.get(key(args.programId as Hex, teeType, args.oldMeasurement as Hex));
        if (old) {
          old.validUntil = args.oldExpiresAt as bigint;
          old.rotatedTo = args.newMeasurement as Hex;
        }
        break;
      }
      case "MeasurementRevoked":
        revoked.add(`${teeType}/${args.measurement as Hex}`);
        break;
      case "TeePolicySet":
        Object.assign(policyOf(teeType), { acceptedTcbStatuses: args.acceptedTcbStatuses as bigint, minSvn: BigInt(args.minSvn as number), maxEvidenceAge: args.maxEvidenceAge as bigint });
        break;
      case "RootHashSet": {
        const policy = policyOf(teeType);
        policy.allowedRoots = policy.allowedRoots.filter((root) => root !== args.rootHash);
        if (args.allowed) policy.allowedRoots.push(args.rootHash as Hex);
        break;
      }
      case "RootMinSvnSet": {
        const policy = policyOf(teeType);
        policy.rootMinSvn = [...policy.rootMinSvn.filter((entry) => entry.rootHash !== args.rootHash), { rootHash: args.rootHash as Hex, minSvn: BigInt(args.minSvn as number) }];
        break;
      }
      default:
        break;
    }
    history.push({ blockNumber: log.blockNumber ?? 0n, transactionHash: log.transactionHash ?? "0x", eventName: log.eventName ?? "?", args });
  }
  for (const entry of measurements.values()) entry.status = measurementStatus(entry, revoked, clock.timestamp);
  const touchesAllowlist = (op: TimelockOperationView) => op.calls.some((call) => call.contract === "measurementRegistry");
  return {
    clock,
    measurements: [...measurements.values()],
    policies: [...policies.values()].sort((a, b) => a.teeType - b.teeType),
    pending: timelock.operations.filter((op) => (op.state === "pending" || op.state === "ready") && touchesAllowlist(op)),
    history: history.reverse(),
  };
}

function measurementStatus(entry: AllowedMeasurement, revoked: ReadonlySet<string>, now: bigint): MeasurementStatus {
  if (revoked.has(`${entry.teeType}/${entry.measurement}`)) return "revoked";
  if (entry.validFrom > now) return "not yet valid";
  if (entry.validUntil !== 0n && entry.validUntil <= now) return "expired";
  return "allowed";
}
