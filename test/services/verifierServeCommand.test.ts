import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { toHex, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateHpkeKeyPair } from "../../src/channel/index.js";
import { runCli } from "../cli/support/runCli.js";
import { startServeKeys } from "../../src/cli/commands/serve/serveKeysCommand.js";
import { requestKeyRelease } from "../../src/services/keys/index.js";
import { requestVerdict } from "../../src/services/verifier/index.js";
import { openArchive } from "../../src/store/index.js";
import { getDevRoots, simulateEvidence } from "../../src/tee/simulated/index.js";
import { tdxExpected, sample, sampleCollateral, sampleFile } from "./support/realEvidence.js";

const repo = join(import.meta.dirname, "..", "..");
const tdxSample = sample("tdx/dcapqvl-v4-b0c06f");
const tdxQuote = sampleFile(tdxSample);
const committee = { chainId: 31337, verifyingContract: "0x00000000000000000000000000000000c0ffee02" as Hex };

describe("teezk serve verifier | keys", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "teezk-serve-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("serve verifier in a child process: listens, signs with the --key-env key, archives, and exits 0 on SIGTERM", async () => {
    const policy = join(dir, "policy.json");
    writeFileSync(policy, JSON.stringify({ version: 1, tee: { TDX: { allowedMeasurements: [tdxExpected(tdxQuote).measurement] } } }));
    const archivePath = join(dir, "verifier.sqlite");
    const key = generatePrivateKey();
    const child = spawn(
      process.execPath,
      [
        join(repo, "bin", "teezk.js"),
        "serve", "verifier", "--json", "--port", "0",
        "--policy", policy,
        "--committee", committee.verifyingContract,
        "--chain-id", String(committee.chainId),
        "--key-env", "TEST_VERIFIER_KEY",
        "--archive", archivePath,
        "--collateral", `tdx=${sampleCollateral(tdxSample)[0]}`,
        "--allow-request-time",
      ],
      { cwd: repo, env: { ...process.env, TEST_VERIFIER_KEY: key }, stdio: ["ignore", "pipe", "pipe"] },
    );
    try {
      const [first] = (await once(createInterface({ input: child.stdout! }), "line")) as [string];
      const listening = JSON.parse(first) as { service: string; url: string; address: Hex };
      expect(listening).toMatchObject({ service: "verifier", address: privateKeyToAccount(key).address });
      const answer = await requestVerdict(listening.url, { evidence: tdxQuote, at: tdxSample.at, committee, expectedSigner: listening.address });
      expect(answer.claims.measurement).toBe(tdxExpected(tdxQuote).measurement);
      child.kill("SIGTERM");
      const [exitCode] = (await once(child, "exit")) as [number | null];
      expect(exitCode).toBe(0);
      const archive = openArchive(archivePath);
      try {
        expect(archive.count("verdicts", { accepted: true })).toBe(1);
      } finally {
        archive.close();
      }
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });

  it("serve verifier --workers 2: one listening line, every answer signed by the one node key and archived, SIGTERM stops all workers", async () => {
    const policy = join(dir, "policy-workers.json");
    writeFileSync(policy, JSON.stringify({ version: 1, tee: { TDX: { allowedMeasurements: [tdxExpected(tdxQuote).measurement] } } }));
    const child = spawn(
      process.execPath,
      [
        join(repo, "bin", "teezk.js"),
        "serve", "verifier", "--json", "--port", "0", "--workers", "2",
        "--policy", policy,
        "--committee", committee.verifyingContract,
        "--chain-id", String(committee.chainId),
        "--archive", join(dir, "workers.sqlite"),
        "--collateral", `tdx=${sampleCollateral(tdxSample)[0]}`,
        "--allow-request-time",
      ],
      { cwd: repo, stdio: ["ignore", "pipe", "pipe"] },
    );
    try {
      const [first] = (await once(createInterface({ input: child.stdout! }), "line")) as [string];
      const listening = JSON.parse(first) as { url: string; address: Hex; workers: number };
      expect(listening.workers).toBe(2);
      // Several concurrent connections spread over the workers; every verdict is from the one (ephemeral) key.
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => requestVerdict(listening.url, { evidence: tdxQuote, at: tdxSample.at, committee, expectedSigner: listening.address })),
      );
      expect(answers.every((answer) => answer.verdict.signer === listening.address)).toBe(true);
      child.kill("SIGTERM");
      const [exitCode] = (await once(child, "exit")) as [number | null];
      expect(exitCode).toBe(0);
      const archive = openArchive(join(dir, "workers.sqlite"));
      try {
        expect(archive.count("verdicts", { accepted: true })).toBe(6);
      } finally {
        archive.close();
      }
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });

  it("usage and configuration errors: no policy or committee (exit 2), an unset --key-env (exit 1)", async () => {
    expect((await runCli(["serve", "verifier", "--committee", committee.verifyingContract, "--chain-id", "1"])).code).toBe(2);
    const policy = join(dir, "empty-policy.json");
    writeFileSync(policy, JSON.stringify({ version: 1, tee: {} }));
    expect((await runCli(["serve", "verifier", "--policy", policy, "--chain-id", "1"])).code).toBe(2);
    expect((await runCli(["serve", "verifier", "--policy", policy, "--committee", "0x12", "--chain-id", "1"])).code).toBe(2);
    expect((await runCli(["serve", "verifier", "--policy", policy, "--committee", committee.verifyingContract, "--chain-id", "1", "--collateral", "tpm=/x"])).code).toBe(2);
    const unset = await runCli(["serve", "verifier", "--policy", policy, "--committee", committee.verifyingContract, "--chain-id", "1", "--key-env", "TEEZK_TEST_UNSET_KEY"]);
    expect(unset.code).toBe(1);
    expect(unset.err).toContain("CONFIG_INVALID");
    expect((await runCli(["serve", "keys"])).code).toBe(2);
    expect((await runCli(["serve", "verifier", "--policy", policy, "--committee", committee.verifyingContract, "--chain-id", "1", "--workers", "0"])).code).toBe(2);
    for (const skew of ["-5", "1.5", "3601"]) {
      expect((await runCli(["serve", "verifier", "--policy", policy, "--committee", committee.verifyingContract, "--chain-id", "1", "--request-time-skew", skew])).code).toBe(2);
    }
  });

  it("serve keys from a keys.json (material from the environment, policy file beside it) releases to a simulated enclave", async () => {
    const devRootsDir = join(dir, "dev-roots");
    const devRoots = getDevRoots({ dir: devRootsDir });
    // The simulated enclave's measurement, read from one verification of its evidence (the policy is data here).
    const probe = simulateEvidence({ vendor: "nitro", binding: `0x${"00".repeat(32)}`, devRoots });
    const { verifyEvidence } = await import("../../src/evidence/verifyEvidence.js");
    const measurement = verifyEvidence({ evidence: probe.evidence, now: new Date(), extraTrustedRoots: [probe.trustedRoot] }).evidence.claims.measurement;
    writeFileSync(join(dir, "key-policy.json"), JSON.stringify({ version: 1, tee: { NITRO: { allowedMeasurements: [measurement] } } }));
    const keysFile = join(dir, "keys.json");
    writeFileSync(keysFile, JSON.stringify({ version: 1, keys: [{ id: "witness-store", material: { env: "TEEZK_TEST_KEY_MATERIAL" }, policy: "key-policy.json" }] }));
    const material = toHex(new Uint8Array(32).fill(7));
    process.env.TEEZK_TEST_KEY_MATERIAL = material;
    let out = "";
    const running = await startServeKeys(
      { keys: keysFile, port: "0", json: true, simulateRoots: true, devRoots: devRootsDir, archive: join(dir, "keys.sqlite") },
      { out: (text) => (out += text), err: () => {} },
    );
    try {
      expect(JSON.parse(out)).toMatchObject({ service: "keys", keys: ["witness-store"] });
      expect(out).not.toContain(material.slice(2));
      const enclave = { address: privateKeyToAccount(generatePrivateKey()).address, keyPair: await generateHpkeKeyPair() };
      const { key } = await requestKeyRelease(running.url, {
        keyId: "witness-store",
        enclaveAddress: enclave.address,
        keyPair: enclave.keyPair,
        attest: (binding) => ({ evidence: simulateEvidence({ vendor: "nitro", binding, devRoots }).evidence }),
      });
      expect(toHex(key)).toBe(material);
    } finally {
      delete process.env.TEEZK_TEST_KEY_MATERIAL;
      await running.close();
    }
  });
});
