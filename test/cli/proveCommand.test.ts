import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./support/runCli.js";
import { createGroth16Prover } from "../../src/prover/index.js";
import { membershipFixture } from "../prover/membershipFixture.js";
import { ensureNativeGroth16Binary } from "../prover/nativeGroth16Binary.js";

const bin = fileURLToPath(new URL("../../bin/teezk.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "teezk-prove-"));
const fixture = membershipFixture();
const witnessFile = join(dir, "witness.json");
writeFileSync(witnessFile, JSON.stringify(fixture.witnessInput, (_key, value) => (typeof value === "bigint" ? value.toString() : value)));

function spawnCli(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    // stderr is a pipe here, not a terminal: the bar prints a line per stage instead of redrawing.
    const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, out, err }));
  });
}

describe("teezk prove", () => {
  const verifier = createGroth16Prover({ engine: "snarkjs" });
  afterAll(() => verifier.close());

  it("proves membership from a witness file: stage lines with elapsed time on stderr, time and memory, a proof that verifies", async () => {
    const out = join(dir, "proof.json");
    const result = await spawnCli(["prove", "--circuit", "membership", "--witness", witnessFile, "--out", out]);
    expect(result.code, result.err).toBe(0);

    const stages = [...result.err.matchAll(/^prove membership (witness|proving|done)\s+(\d+\.\d) s$/gm)];
    // Off a terminal the bar repeats the current stage every 5 s (a proof on a loaded machine can take longer).
    expect(stages.map((m) => m[1]).filter((stage, i, all) => stage !== all[i - 1])).toEqual(["witness", "proving", "done"]);
    const elapsed = stages.map((m) => Number(m[2]));
    expect(elapsed).toEqual([...elapsed].sort((a, b) => a - b));

    const summary = /^proved membership with snarkjs in ([\d,]+) ms \(witness ([\d,]+) ms, prove ([\d,]+) ms\); peak memory (\d+) MiB \(prover process\)$/m.exec(
      result.out,
    );
    expect(summary, result.out).not.toBeNull();
    expect(Number(summary![4])).toBeGreaterThan(10);
    expect(result.out).toContain(`proof written to ${out}`);

    const document = JSON.parse(readFileSync(out, "utf8"));
    expect(document.circuit).toBe("membership");
    expect(document.publicSignals).toEqual(fixture.expectedPublicSignals.map(String));
    expect(await verifier.verify({ circuit: "membership", proof: document.proof, publicSignals: document.publicSignals })).toBe(true);
    const tampered = [...document.publicSignals];
    tampered[2] = String(BigInt(tampered[2]) + 1n);
    expect(await verifier.verify({ circuit: "membership", proof: document.proof, publicSignals: tampered })).toBe(false);
  });

  it("proves with the native engine under --engine native: a proof snarkjs verifies, memory of both processes", async () => {
    ensureNativeGroth16Binary();
    const out = join(dir, "native-proof.json");
    const result = await spawnCli(["prove", "--circuit", "membership", "--witness", witnessFile, "--out", out, "--engine", "native"]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/^proved membership with native in [\d,]+ ms .*\(witness and native prover processes\)$/m);
    const document = JSON.parse(readFileSync(out, "utf8"));
    expect(document.publicSignals).toEqual(fixture.expectedPublicSignals.map(String));
    expect(await verifier.verify({ circuit: "membership", proof: document.proof, publicSignals: document.publicSignals })).toBe(true);
    expect((await runCli(["prove", "--circuit", "membership", "--witness", witnessFile, "--engine", "gpu"])).code).toBe(2);
  });

  it("fails with WITNESS_INVALID (exit 1, JSON) when the witness violates a constraint, before any proof", async () => {
    const indices = fixture.witnessInput["treePathIndices"] as bigint[];
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ ...fixture.witnessInput, treePathIndices: [2, ...indices.slice(1)] }, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
    const { code, out } = await runCli(["prove", "--circuit", "membership", "--witness", bad, "--json"]);
    expect(code).toBe(1);
    expect(JSON.parse(out)).toMatchObject({ ok: false, code: "WITNESS_INVALID" });
  });

  it("names a scaling member that is not built, and refuses a circuit name that is a path", async () => {
    const missing = await runCli(["prove", "--circuit", "sha256_999", "--witness", witnessFile, "--json"]);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.out)).toMatchObject({ ok: false, code: "CIRCUIT_NOT_BUILT" });
    const climbing = await runCli(["prove", "--circuit", "../membership", "--witness", witnessFile, "--json"]);
    expect(climbing.code).toBe(1);
    expect(JSON.parse(climbing.out)).toMatchObject({ ok: false, code: "CONFIG_INVALID" });
  });

  it("exits 2 for a missing or non-JSON witness file, a witness that is not an object, and a bad --timeout", async () => {
    expect((await runCli(["prove", "--circuit", "membership", "--witness", join(dir, "absent.json")])).code).toBe(2);
    const notJson = join(dir, "not.json");
    writeFileSync(notJson, "{ identityNullifier: 1");
    expect((await runCli(["prove", "--circuit", "membership", "--witness", notJson])).code).toBe(2);
    const array = join(dir, "array.json");
    writeFileSync(array, "[1, 2]");
    expect((await runCli(["prove", "--circuit", "membership", "--witness", array])).code).toBe(2);
    expect((await runCli(["prove", "--circuit", "membership", "--witness", witnessFile, "--timeout", "0"])).code).toBe(2);
    expect((await runCli(["prove", "--witness", witnessFile])).code).toBe(2);
  });
});
