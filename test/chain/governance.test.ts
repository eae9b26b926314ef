import { keccak256, toHex } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import {
  batchReceiptsAbi,
  buildAllowMeasurementCalls,
  executeTimelockCalls,
  measurementRegistryAbi,
  revertReason,
  scheduleTimelockCalls,
  tcbStatusBitmap,
  timelockAbi,
} from "../../src/chain/index.js";
import { PROGRAM_ID, TIMELOCK_DELAY, deployTeezkSystem, revertOf, type TeezkSystem } from "./support/system.js";


describe("allowing a measurement through the TimelockController", () => {
  let system: TeezkSystem;
  beforeAll(async () => {
    system = await deployTeezkSystem();
  });

  it("the Ignition deployment wires BatchReceipts as the liveness sink, mirroring the current epoch", async () => {
    const { publicClient } = system.clients;
    const registry = system.addresses.measurementRegistry;
    expect(await publicClient.readContract({ address: registry, abi: measurementRegistryAbi, functionName: "livenessSinks" })).toEqual([system.addresses.batchReceipts]);
    expect(await publicClient.readContract({ address: system.addresses.batchReceipts, abi: batchReceiptsAbi, functionName: "mirroredLivenessEpoch" })).toBe(
      await publicClient.readContract({ address: registry, abi: measurementRegistryAbi, functionName: "livenessEpoch" }),
    );
  });

  it("the deployer no longer governs: a direct call reverts, a scheduled batch executes only after the delay", async () => {
    const measurement = keccak256(toHex("governed measurement"));
    const rootHash = keccak256(toHex("governed root"));
    const calls = buildAllowMeasurementCalls({
      measurementRegistry: system.addresses.measurementRegistry,
      programId: PROGRAM_ID,
      teeType: 2,
      measurement,
      policy: { acceptedTcbStatuses: tcbStatusBitmap(["UP_TO_DATE"]), minSvn: 3, maxEvidenceAge: 600n },
      allowRootHashes: [rootHash],
    });
    expect(calls).toHaveLength(3);
    const { publicClient, walletClient } = system.clients;
    const direct = await publicClient
      .simulateContract({ address: system.addresses.measurementRegistry, abi: measurementRegistryAbi, functionName: "addMeasurement", args: [PROGRAM_ID, 2, measurement, 0n, 0n], account: walletClient.account })
      .then(
        () => "no revert",
        (error: unknown) => revertReason(error) ?? "undecoded",
      );
    expect(direct).toMatch(new RegExp(`^AccessControlUnauthorizedAccount\\(${walletClient.account.address}, `, "i"));

    const scheduled = await scheduleTimelockCalls({ ...system.clients, timelock: system.addresses.timelock, calls });
    const block = await publicClient.getBlock();
    expect(scheduled.readyAt).toBe(block.timestamp + TIMELOCK_DELAY);
    expect(await publicClient.readContract({ address: system.addresses.timelock, abi: timelockAbi, functionName: "isOperationPending", args: [scheduled.id] })).toBe(true);
    expect(await revertOf(executeTimelockCalls({ ...system.clients, timelock: system.addresses.timelock, operation: scheduled.operation }))).toMatch(
      /^TimelockUnexpectedOperationState\(/,
    );
    await system.connection.networkHelpers.time.increaseTo(scheduled.readyAt);
    await executeTimelockCalls({ ...system.clients, timelock: system.addresses.timelock, operation: scheduled.operation });
    const read = (functionName: string, args: readonly unknown[]) =>
      publicClient.readContract({ address: system.addresses.measurementRegistry, abi: measurementRegistryAbi, functionName: functionName as never, args: args as never });
    expect(await read("isAllowed", [PROGRAM_ID, 2, measurement])).toBe(true);
    expect(await read("isRootHashAllowed", [2, rootHash])).toBe(true);
    expect(await read("teePolicy", [2])).toEqual({ acceptedTcbStatuses: 1n, minSvn: 3, maxEvidenceAge: 600n });
  });
});
