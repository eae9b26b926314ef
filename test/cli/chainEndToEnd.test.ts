import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createPublicClient, http, keccak256, toHex, zeroAddress, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployTeezk } from "../../deploy/deployTeezk.js";
import { ANVIL_DEV_KEY, startAnvil } from "../support/startAnvil.js";
import { tempDir } from "./support/chainCli.js";

/** Account 0 of anvil's and Hardhat's default development mnemonic, funded on every development node. */
const DEV_KEY: Hex = ANVIL_DEV_KEY;
const bin = fileURLToPath(new URL("../../bin/teezk.js", import.meta.url));
const programId = keccak256(toHex("cli end-to-end program"));
const measurement = keccak256(toHex("cli end-to-end measurement"));

/**
 * The real path a user takes: deploy/deploy.ts's deployTeezk against an HTTP JSON-RPC, its JSON written to a
 * file, then the spawned `teezk` binary reading that file, the RPC URL and the key from the environment.
 */
describe("teezk registry … spawned against a separate node (anvil) with a deploy/deploy.ts deployment file", () => {
  const dir = tempDir();
  const deploymentFile = join(dir, "deployment.json");
  let rpcUrl: string;
  let close: () => Promise<void>;

  async function teezk(args: string[]): Promise<{ code: number; json: Record<string, unknown>; stderr: string }> {
    const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("TEEZK_"))), TEEZK_RPC_URL: rpcUrl, TEEZK_PRIVATE_KEY: DEV_KEY };
    const argv = [bin, ...args, "--deployment", deploymentFile, "--json"];
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, argv, { env, timeout: 60_000 });
      return { code: 0, json: JSON.parse(stdout), stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, json: e.stdout ? JSON.parse(e.stdout) : {}, stderr: e.stderr };
    }
  }

  beforeAll(async () => {
    // A separate node (anvil), not a Hardhat server in this process: what a user's RPC is.
    const anvil = await startAnvil();
    rpcUrl = anvil.rpcUrl;
    close = anvil.stop;
    const deployer = privateKeyToAccount(DEV_KEY).address;
    const deployment = await deployTeezk({
      rpcUrl,
      privateKey: DEV_KEY,
      minDelay: 60n,
      proposers: [deployer],
      executors: [zeroAddress],
      guardian: deployer,
      committeeNodes: [deployer],
      committeeThreshold: 1n,
    });
    writeFileSync(deploymentFile, JSON.stringify(deployment, null, 2));
  });

  afterAll(async () => {
    await close?.();
  });

  it("status, schedule-allow, execute after the delay, revoke: each a JSON line with hash, gas and decoded events", async () => {
    const status = await teezk(["registry", "status"]);
    expect(status.json).toMatchObject({ ok: true, governance: { timelockMinDelay: "60", committeeThreshold: "1", committeeMembers: "1", livenessEpoch: "0" } });
    // deploy/deploy.ts wired BatchReceipts as the measurement registry's liveness sink.
    expect((status.json.governance as { livenessSinks: string[] }).livenessSinks).toHaveLength(1);

    const save = join(dir, "op.json");
    const scheduled = await teezk(["registry", "schedule-allow", "--program-id", programId, "--tee", "nitro", "--measurement", measurement, "--accept-tcb", "up_to_date", "--max-evidence-age", "3600", "--save", save]);
    expect(scheduled.code).toBe(0);
    expect(scheduled.json).toMatchObject({ ok: true, command: "registry schedule-allow", saved: save });
    expect(scheduled.json.gasUsed).toBeGreaterThan(0);

    const early = await teezk(["registry", "execute", "--operation", save]);
    expect(early).toMatchObject({ code: 1, json: { ok: false, code: "TIMELOCK_NOT_READY" } });

    const client = createPublicClient({ transport: http(rpcUrl) });
    await client.request({ method: "evm_increaseTime" as never, params: [61] as never });
    await client.request({ method: "evm_mine" as never, params: [] as never });
    const executed = await teezk(["registry", "execute", "--operation", save]);
    expect(executed.code).toBe(0);
    const events = (executed.json.events as { contract: string; name: string }[]).map((e) => `${e.contract}.${e.name}`);
    expect(events).toEqual(expect.arrayContaining(["measurementRegistry.TeePolicySet", "measurementRegistry.MeasurementAdded", "timelock.CallExecuted"]));
    expect(JSON.parse(readFileSync(save, "utf8")).id).toBe(executed.json.id);

    const allowed = await teezk(["registry", "status", "--program-id", programId, "--tee", "nitro", "--measurement", measurement]);
    expect(allowed.json).toMatchObject({ measurement: { allowed: true, revoked: false }, policy: { acceptedTcbStatuses: ["UP_TO_DATE"], maxEvidenceAge: "3600" } });

    const revoked = await teezk(["registry", "revoke", "--tee", "nitro", "--measurement", measurement]);
    expect(revoked.code).toBe(0);
    // A revocation also advances the liveness epoch, so registries' cached liveness is checked in full again.
    // …and pushes the new epoch to the deployment's liveness sink, BatchReceipts.
    expect((revoked.json.events as { name: string }[]).map((e) => e.name)).toEqual(["MeasurementRevoked", "LivenessEpochAdvanced", "LivenessEpochMirrored"]);
    const after = await teezk(["registry", "status", "--program-id", programId, "--tee", "3", "--measurement", measurement]);
    expect(after.json).toMatchObject({ measurement: { allowed: false, revoked: true } });
  });

  it("a deployment file for another chain is refused before any call", async () => {
    const other = join(dir, "other-chain.json");
    writeFileSync(other, JSON.stringify({ ...JSON.parse(readFileSync(deploymentFile, "utf8")), chainId: 1 }));
    const { code, stdout } = await promisify(execFile)(process.execPath, [bin, "registry", "challenge", "--program-id", programId, "--deployment", other, "--rpc-url", rpcUrl, "--json"], {
      env: { ...process.env, TEEZK_PRIVATE_KEY: DEV_KEY },
    }).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
    );
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ code: "CHAIN_ID_MISMATCH" });
    expect(JSON.parse(stdout).message).toContain("deployment is for chain 1 but the RPC serves chain 31337");
  });
});
