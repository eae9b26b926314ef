import { getAddress, type Address, type Hex } from "viem";
import { enclaveRegistryAbi, measurementRegistryAbi } from "../../chain/contractAbis.js";
import { routeName, teeLabel, vendorLabel } from "./labels.js";
import { readChainClock } from "./readChainClock.js";
import type { ChainClock, ConsoleReadParameters } from "./types.js";

export type EnclaveStatus = "live" | "expired" | "revoked" | "removed" | "stale";

export type EnclaveRow = {
  enclave: Address;
  programId: Hex;
  teeType: number;
  tee: string;
  vendor: string;
  measurement: Hex;
  path: number;
  route: string;
  hpkeKeyHash: Hex;
  platformId: Hex;
  expiresAt: bigint;
  gpuMeasurements: Hex[];
  status: EnclaveStatus;
  /** Why it is not live, in words (empty when live). */
  reason: string;
  registeredInBlock: bigint;
  registeredTx: Hex;
  /** How many times this key registered or re-attested for the program. */
  registrations: number;
};

export type Enclaves = { clock: ChainClock; enclaves: EnclaveRow[] };

type Removal = { by: Address; blockNumber: bigint };

/**
 * The registry events a key's status depends on, as one topic0 OR-list: challenges and liveness refreshes (one or
 * more per registration on a live chain) are left on the node.
 */
const REGISTRY_EVENTS = enclaveRegistryAbi.filter(
  (item): item is Extract<(typeof enclaveRegistryAbi)[number], { type: "event"; name: "EnclaveRegistered" | "GpuClaimsRegistered" | "EnclaveRemoved" }> =>
    item.type === "event" && ["EnclaveRegistered", "GpuClaimsRegistered", "EnclaveRemoved"].includes(item.name),
);

/**
 * Every enclave key ever registered, with its status judged from events at the chain's time: two indexed log
 * queries (the enclave registry's and the measurement registry's events) whatever the number of enclaves, never
 * one call per key. The status mirrors EnclaveRegistry._fullLiveness: removed keys and revoked measurements are
 * permanent, a tightened TEE policy ends every key of that type admitted at or before it, a rotation ends the old
 * measurement's keys at its grace end, and registrations lapse at `expiresAt`.
 */
export async function loadEnclaves({ client, config, enclave }: ConsoleReadParameters & { enclave?: Address }): Promise<Enclaves> {
  const fromBlock = BigInt(config.fromBlock);
  const address = config.deployment.enclaveRegistry;
  // One key's page filters on the indexed enclave topic: its own events, however many keys the registry holds.
  const readRegistry = async () =>
    enclave
      ? (
          await Promise.all(
            (["EnclaveRegistered", "GpuClaimsRegistered", "EnclaveRemoved"] as const).map((eventName) =>
              client.getContractEvents({ address, abi: enclaveRegistryAbi, eventName, args: { enclave }, fromBlock }),
            ),
          )
        )
          .flat()
          .sort((a, b) => Number((a.blockNumber ?? 0n) - (b.blockNumber ?? 0n)) || (a.logIndex ?? 0) - (b.logIndex ?? 0))
      : await client.getLogs({ address, events: REGISTRY_EVENTS, fromBlock });
  const [clock, registryLogs, measurementLogs] = await Promise.all([
    readChainClock(client),
    readRegistry(),
    client.getContractEvents({ address: config.deployment.measurementRegistry, abi: measurementRegistryAbi, fromBlock }),
  ]);
  const revoked = new Map<string, Address>();
  const tightened = new Map<number, bigint>();
  const windowEnds = new Map<string, bigint>();
  for (const log of measurementLogs) {
    const args = log.args as Record<string, unknown>;
    if (log.eventName === "MeasurementRevoked") revoked.set(`${Number(args.teeType)}/${args.measurement as Hex}`, args.guardian as Address);
    if (log.eventName === "TeePolicyTightened") tightened.set(Number(args.teeType), log.blockNumber ?? 0n);
    if (log.eventName === "MeasurementAdded") windowEnds.set(`${args.programId as Hex}/${Number(args.teeType)}/${args.measurement as Hex}`, args.validUntil as bigint);
    if (log.eventName === "MeasurementRotated") windowEnds.set(`${args.programId as Hex}/${Number(args.teeType)}/${args.oldMeasurement as Hex}`, args.oldExpiresAt as bigint);
  }
  const rows = new Map<string, EnclaveRow>();
  const removed = new Map<Address, Removal>();
  const gpus = new Map<string, Hex[]>();
  for (const log of registryLogs) {
    const args = log.args as Record<string, unknown>;
    if (log.eventName === "EnclaveRegistered") {
      const enclave = getAddress(args.enclave as Address);
      const id = `${enclave}/${args.programId as Hex}`;
      const teeType = Number(args.teeType);
      const path = Number(args.path);
      rows.set(id, {
        enclave,
        programId: args.programId as Hex,
        teeType,
        tee: teeLabel(teeType),
        vendor: vendorLabel(teeType),
        measurement: args.measurement as Hex,
        path,
        route: routeName(path),
        hpkeKeyHash: args.hpkeKeyHash as Hex,
        platformId: args.platformId as Hex,
        expiresAt: args.expiresAt as bigint,
        gpuMeasurements: [],
        status: "live",
        reason: "",
        registeredInBlock: log.blockNumber ?? 0n,
        registeredTx: log.transactionHash ?? "0x",
        registrations: (rows.get(id)?.registrations ?? 0) + 1,
      });
      gpus.delete(id);
    } else if (log.eventName === "GpuClaimsRegistered") {
      gpus.set(`${getAddress(args.enclave as Address)}/${args.programId as Hex}`, [...(args.gpuMeasurements as Hex[])]);
    } else if (log.eventName === "EnclaveRemoved") {
      removed.set(getAddress(args.enclave as Address), { by: args.by as Address, blockNumber: log.blockNumber ?? 0n });
    }
  }
  const rootsContract = config.deployment.multiProverRoots ? getAddress(config.deployment.multiProverRoots) : undefined;
  for (const [id, row] of rows) {
    row.gpuMeasurements = gpus.get(id) ?? [];
    const judged = judge(row, {
      removal: removed.get(row.enclave),
      revokedBy: revoked.get(`${row.teeType}/${row.measurement}`),
      tightenedInBlock: tightened.get(row.teeType),
      windowEnd: windowEnds.get(`${row.programId}/${row.teeType}/${row.measurement}`),
      now: clock.timestamp,
      rootsContract,
    });
    row.status = judged.status;
    row.reason = judged.reason;
  }
  return { clock, enclaves: [...rows.values()].reverse() };
}

type Facts = { removal?: Removal | undefined; revokedBy?: Address | undefined; tightenedInBlock?: bigint | undefined; windowEnd?: bigint | undefined; now: bigint; rootsContract?: Address | undefined };

function judge(row: EnclaveRow, facts: Facts): { status: EnclaveStatus; reason: string } {
  if (facts.removal) {
    const why = facts.rootsContract && getAddress(facts.removal.by) === facts.rootsContract ? "it signed a conflicting root" : `removed by ${facts.removal.by}`;
    return { status: "removed", reason: `key removed for every program in block ${facts.removal.blockNumber}: ${why}` };
  }
  if (facts.revokedBy) return { status: "revoked", reason: `measurement ${row.measurement.slice(0, 10)}… revoked by guardian ${facts.revokedBy}` };
  if (row.expiresAt <= facts.now) return { status: "expired", reason: `registration expired at ${isoSeconds(row.expiresAt)}; re-attest to extend` };
  if (facts.windowEnd !== undefined && facts.windowEnd <= facts.now) return { status: "expired", reason: `measurement's allowlist window ended at ${isoSeconds(facts.windowEnd)} (rotated out)` };
  if (facts.tightenedInBlock !== undefined && facts.tightenedInBlock >= row.registeredInBlock) {
    return { status: "stale", reason: `${row.tee} policy tightened in block ${facts.tightenedInBlock}, after this admission: re-attest` };
  }
  return { status: "live", reason: "" };
}

export function isoSeconds(seconds: bigint): string {
  return new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");
}
