import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./support/runCli.js";
import { createGroth16Prover, type Groth16Proof } from "../../src/prover/index.js";
import { openArchive } from "../../src/store/index.js";
import { membershipFixture } from "../prover/membershipFixture.js";

const bin = fileURLToPath(new URL("../../bin/teezk.js", import.meta.url));
const fixture = membershipFixture();

/** `teezk serve prover …` as a real child process; resolves with its listening line. */
function spawnProver(args: string[]): Promise<{ child: ChildProcess; line: Record<string, unknown>; stderr: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, "serve", "prover", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString("utf8")));
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
      const newline = out.indexOf("\n");
      if (newline >= 0) resolve({ child, line: JSON.parse(out.slice(0, newline)) as Record<string, unknown>, stderr: () => err });
    });
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`serve prover exited with ${code} before listening: ${err}`)));
  });
}

describe("teezk serve prover + teezk delegate", () => {
  const verifier = createGroth16Prover();
  const dir = mkdtempSync(join(tmpdir(), "teezk-delegate-cli-"));
  const witnessFile = join(dir, "witness.json");
  const archiveFile = join(dir, "prover.sqlite");
  let prover: Awaited<ReturnType<typeof spawnProver>>;
  // Delegations the primary node acknowledged; the SIGTERM case checks that each left its proof and receipt.
  let acknowledged = 0;

  beforeAll(async () => {
    writeFileSync(witnessFile, JSON.stringify(fixture.witnessInput, (_key, value) => (typeof value === "bigint" ? value.toString() : value)));
    prover = await spawnProver(["--simulate", "tdx", "--port", "0", "--json", "--archive", archiveFile]);
  });
  afterAll(async () => {
    if (prover?.child.exitCode === null) prover.child.kill("SIGKILL");
    await verifier.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("delegates a proof from a witness file and prints the checked result as JSON", async () => {
    expect(prover.line).toMatchObject({ service: "prover", tee: "simulated tdx", simulated: true });
    const result = await runCli(["delegate", "--circuit", "membership", "--witness", witnessFile, "--prover", String(prover.line.url), "--allow-dev-roots", "--json"]);
    expect(result.code, result.out + result.err).toBe(0);
    acknowledged += 1;
    const body = JSON.parse(result.out) as { ok: boolean; enclaveAddress: string; proof: Groth16Proof; publicSignals: string[]; receipt: { nonce: string }; nonce: string };
    expect(body.ok).toBe(true);
    expect(body.enclaveAddress).toBe(prover.line.enclaveAddress);
    expect(body.receipt.nonce).toBe(body.nonce);
    expect(body.publicSignals).toEqual(fixture.expectedPublicSignals.map(String));
    expect(await verifier.verify({ circuit: "membership", proof: body.proof, publicSignals: body.publicSignals })).toBe(true);
    expect(result.err).toContain("no --policy");
  });

  it("refuses with a stable code and exit 1 when the policy does not allow the node, and exit 2 on usage errors", async () => {
    const policy = join(dir, "policy.json");
    writeFileSync(policy, JSON.stringify({ version: 1, tee: { TDX: { allowedMeasurements: [`0x${"11".repeat(32)}`] } } }));
    const refused = await runCli(["delegate", "--circuit", "membership", "--witness", witnessFile, "--prover", String(prover.line.url), "--policy", policy, "--allow-dev-roots", "--json"]);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.out)).toMatchObject({ ok: false, code: "MEASUREMENT_NOT_ALLOWED" });

    const base = ["delegate", "--circuit", "membership", "--witness", witnessFile, "--prover", String(prover.line.url)];
    expect((await runCli(base)).code).toBe(2);
    expect((await runCli([...base, "--allow-dev-roots", "--submit"])).code).toBe(2);
    expect((await runCli([...base.slice(0, 4), join(dir, "missing.json"), ...base.slice(5), "--allow-dev-roots"])).code).toBe(2);
    expect((await runCli(["serve", "prover", "--port", "0"])).code).toBe(2);
  });

  it("--offline verifies with the client's own cache first (empty here, so the node's collateral fills in); flags without a source are usage errors", async () => {
    const cacheDir = mkdtempSync(join(dir, "cache-"));
    const args = ["delegate", "--circuit", "membership", "--witness", witnessFile, "--prover", String(prover.line.url), "--allow-dev-roots", "--json"];
    const result = await runCli([...args, "--offline", "--cache-dir", cacheDir]);
    expect(result.code, result.out + result.err).toBe(0);
    acknowledged += 1;
    expect((await runCli([...args, "--pcs-url", "http://127.0.0.1:1"])).code).toBe(2);
    expect((await runCli([...args, "--offline", "--pcs-url", "http://127.0.0.1:1"])).code).toBe(2);
  });

  it("a composite prover (--simulate tdx --gpu): the default dev policy refuses its GPU half, --gpu requires and appraises it", async () => {
    const composite = await spawnProver(["--simulate", "tdx", "--gpu", "--port", "0", "--json"]);
    try {
      const base = ["delegate", "--circuit", "membership", "--witness", witnessFile, "--prover", String(composite.line.url), "--allow-dev-roots", "--json"];
      const refused = await runCli(base);
      expect(refused.code).toBe(1);
      expect(JSON.parse(refused.out)).toMatchObject({ ok: false, code: "TEE_TYPE_NOT_ALLOWED" });
      expect(JSON.parse(refused.out).details).toContain("gpu[0].teeType");
      const delegated = await runCli([...base, "--gpu"]);
      expect(delegated.code, delegated.out + delegated.err).toBe(0);
      // The CPU-only node does not satisfy a policy that names the GPU.
      const cpuOnly = await runCli(["delegate", "--circuit", "membership", "--witness", witnessFile, "--prover", String(prover.line.url), "--allow-dev-roots", "--gpu", "--json"]);
      expect(JSON.parse(cpuOnly.out)).toMatchObject({ ok: false, code: "GPU_EVIDENCE_REQUIRED" });
    } finally {
      composite.child.kill("SIGKILL");
    }
  });

  it("killed with SIGKILL while proving, loses nothing it acknowledged", async () => {
    const killedArchive = join(dir, "killed.sqlite");
    const node = await spawnProver(["--simulate", "tdx", "--port", "0", "--json", "--archive", killedArchive]);
    const args = ["delegate", "--circuit", "membership", "--witness", witnessFile, "--prover", String(node.line.url), "--allow-dev-roots", "--json"];
    const acknowledged = await runCli(args);
    expect(acknowledged.code, acknowledged.out + acknowledged.err).toBe(0);
    const { receipt } = JSON.parse(acknowledged.out) as { receipt: { nonce: string; proofDigest: string } };

    // A second job is attested, sealed and being proved (~1 s) when the node dies without any chance to clean up.
    const inFlight = runCli(args);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => node.child.once("exit", (_code, signal) => resolve(signal)));
    node.child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    expect((await inFlight).code).not.toBe(0);

    const archive = openArchive(killedArchive);
    try {
      const receipts = archive.list("receipts");
      // The in-flight job was never acknowledged, so whether it reached the archive does not matter; the first must.
      const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
      expect(receipts.some((r) => same(r.nonce, receipt.nonce) && same(r.proofDigest, receipt.proofDigest))).toBe(true);
      expect(archive.count("proofs")).toBeGreaterThanOrEqual(1);
    } finally {
      archive.close();
    }
  });

  it("stops on SIGTERM and leaves every acknowledged proof and receipt in its archive", async () => {
    const exited = new Promise<number | null>((resolve) => prover.child.once("exit", (code) => resolve(code)));
    prover.child.kill("SIGTERM");
    expect(await exited).toBe(0);
    const archive = openArchive(archiveFile);
    try {
      expect(acknowledged).toBeGreaterThan(0);
      expect(archive.count("proofs")).toBe(acknowledged);
      expect(archive.count("receipts")).toBe(acknowledged);
      for (const receipt of archive.list("receipts")) {
        expect(receipt.signer.toLowerCase()).toBe(String(prover.line.enclaveAddress).toLowerCase());
      }
    } finally {
      archive.close();
    }
  });
});
