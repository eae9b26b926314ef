import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeClaims } from "../../src/claims/index.js";
import { parseNitroDocument, verifyNitroDocument } from "../../src/evidence/nitro/index.js";
import { fixturePath } from "../../src/fixtures/fixturesDir.js";
import { createSp1Prover, sp1HostArguments, sp1InstallHint, type Sp1ProgramInput } from "../../src/prover/index.js";
import { decodeEvidenceInput } from "../../src/util/bytes.js";
import { ensureHostBinary } from "../zkprogram/hostBinary.js";
import { rejection } from "../support/rejection.js";

const dir = mkdtempSync(path.join(tmpdir(), "teezk-sp1-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A shell script standing in for cargo or the host CLI: process plumbing only, no proof is checked here. */
function script(name: string, body: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

const cargoWithProve = script("cargo-ok", 'echo "cargo-prove sp1 (test)"');
const nitroSample = "nitro/evervault-beta-2022-10/attestation-doc.cbor";
const input: Sp1ProgramInput = { type: "nitro", evidence: "/evidence/doc.cbor", at: new Date("2022-10-01T00:00:00Z") };
const cargoWithoutProve = script("cargo-no-prove", 'echo "error: no such command: `prove`" >&2; exit 101');

describe("createSp1Prover", () => {
  it("fails with SP1_UNAVAILABLE and the install command when cargo is missing or has no prove", async () => {
    for (const cargo of [path.join(dir, "no-cargo-here"), cargoWithoutProve]) {
      const prover = createSp1Prover({ cargo, binary: script("host-unused", "exit 0") });
      const error = await rejection(prover.prove({ circuit: "attest", witnessInput: input }));
      expect(error.code).toBe("SP1_UNAVAILABLE");
      expect(error.message).toContain("curl -L https://sp1up.succinct.xyz | bash && sp1up");
      expect(error.metaMessages).toContain(sp1InstallHint);
    }
  });

  it("fails with SP1_UNAVAILABLE when the host binary is not built", async () => {
    const prover = createSp1Prover({ cargo: cargoWithProve, binary: path.join(dir, "teezk-zk-missing") });
    const error = await rejection(prover.prove({ circuit: "attest", witnessInput: input }));
    expect(error.code).toBe("SP1_UNAVAILABLE");
    expect(error.message).toContain("cargo build --release");
  });

  it("speaks the documented protocol: prove --groth16 with execute's flags, verify --groth16, JSON answers", async () => {
    // The fake host records its argv and stdin, then answers like teezk-zk built with the sp1 feature.
    const log = path.join(dir, "argv.log");
    const host = script(
      "host-ok",
      `printf '%s\\n' "$@" > ${log}; stdin=$(cat); [ -z "$stdin" ] || exit 7
echo "log line" >&2
case "$1 $2" in
  "prove --groth16") echo '{"programVKey":"0x${"11".repeat(32)}","publicValues":"0x0102","proof":"0xaabb"}';;
  "verify --groth16") echo '{"valid":true}';;
  *) echo '{"code":"CONFIG_INVALID","message":"unexpected"}' >&2; exit 1;;
esac`,
    );
    const prover = createSp1Prover({ cargo: cargoWithProve, binary: host });
    const stages: string[] = [];
    const receiptInput: Sp1ProgramInput = {
      ...input,
      collateral: ["/c1", "-dash-dir"],
      witness: "/w.bin",
      output: "/o.bin",
      receipt: "/r.json",
      nonce: `0x${"ab".repeat(32)}`,
      extraTrustedRoots: [`0x${"cd".repeat(32)}`],
    };
    const result = await prover.prove({ circuit: "receipt", witnessInput: receiptInput, onProgress: (p) => stages.push(p.stage) });
    expect(readFileSync(log, "utf8").trim().split("\n")).toEqual([
      "prove",
      "--groth16",
      "--mode=receipt",
      "--type=nitro",
      "--evidence=/evidence/doc.cbor",
      "--at=2022-10-01T00:00:00.000Z",
      "--collateral=/c1",
      "--collateral=-dash-dir",
      "--witness=/w.bin",
      "--output=/o.bin",
      "--receipt=/r.json",
      `--nonce=0x${"ab".repeat(32)}`,
      `--extra-trusted-root=0x${"cd".repeat(32)}`,
    ]);
    expect(result.proof).toEqual({ proof: "0xaabb", vkey: `0x${"11".repeat(32)}` });
    expect(result.publicSignals).toEqual(["0x0102"]);
    expect(stages).toEqual(["prove", "done"]);
    expect(await prover.verify({ circuit: "receipt", proof: result.proof, publicSignals: result.publicSignals })).toBe(true);
    expect(readFileSync(log, "utf8").trim().split("\n")).toEqual([
      "verify",
      "--groth16",
      "--proof=0xaabb",
      "--public-values=0x0102",
      `--vkey=0x${"11".repeat(32)}`,
    ]);
  });

  it("rethrows the host's typed error code (stderr {code,message})", async () => {
    const host = script("host-typed", 'echo progress >&2; echo \'{"code":"SIGNATURE_INVALID","message":"The quote signature does not verify"}\' >&2; exit 1');
    const error = await rejection(createSp1Prover({ cargo: cargoWithProve, binary: host }).prove({ circuit: "attest", witnessInput: input }));
    expect(error.code).toBe("SIGNATURE_INVALID");
    expect(error.message).toContain("quote signature");
  });

  it("refuses an input that is not execute's flags", async () => {
    const prover = createSp1Prover({ cargo: cargoWithProve, binary: script("host-unused-2", "exit 0") });
    for (const bad of [{}, { ...input, type: "sev" }, { ...input, extra: 1 }, { ...input, nonce: "0x12" }, { ...input, collateral: "/one" }]) {
      expect((await rejection(prover.prove({ circuit: "attest", witnessInput: bad }))).code).toBe("CONFIG_INVALID");
    }
  });

  it("turns host failures into PROVER_FAILED with the host's stderr", async () => {
    const cases = [
      { body: 'echo "guest panicked: bad quote" >&2; exit 3', expect: "guest panicked" },
      { body: "echo not-json", expect: "not JSON" },
      { body: 'echo \'{"proof":"0x1","publicValues":"0x","programVKey":"0x01"}\'', expect: "wrong shape" },
      { body: 'echo \'{"code":"NOT_A_CODE","message":"x"}\' >&2; exit 1', expect: "exited with code 1" },
      { body: "kill -9 $$", expect: "signal SIGKILL" },
    ];
    for (const [i, c] of cases.entries()) {
      const prover = createSp1Prover({ cargo: cargoWithProve, binary: script(`host-bad-${i}`, c.body) });
      const error = await rejection(prover.prove({ circuit: "attest", witnessInput: input }));
      expect(error.code).toBe("PROVER_FAILED");
      expect(error.message).toContain(c.expect);
    }
  });

  it("bounds the host in time and output", async () => {
    const slow = createSp1Prover({ cargo: cargoWithProve, binary: script("host-slow", "sleep 30"), timeoutMs: 300 });
    expect((await rejection(slow.prove({ circuit: "attest", witnessInput: input }))).message).toContain("did not finish");
    const chatty = createSp1Prover({
      cargo: cargoWithProve,
      binary: script("host-chatty", "head -c 200000 /dev/zero"),
      maxOutputBytes: 1000,
    });
    expect((await rejection(chatty.prove({ circuit: "attest", witnessInput: input }))).message).toContain("more than 1000 bytes");
  });

  it("refuses a program name that is not one and a malformed proof", async () => {
    const prover = createSp1Prover({ cargo: cargoWithProve, binary: script("host-never", "exit 9") });
    expect((await rejection(prover.prove({ circuit: "../x", witnessInput: input }))).code).toBe("CONFIG_INVALID");
    const malformed = prover.verify({ circuit: "attest", proof: { proof: "0xzz", vkey: "0x" } as never, publicSignals: ["0x"] });
    expect((await rejection(malformed)).code).toBe("PROOF_MALFORMED");
    const shortKey = prover.verify({ circuit: "attest", proof: { proof: "0x01", vkey: "0x01" }, publicSignals: ["0x"] });
    expect((await rejection(shortKey)).code).toBe("PROOF_MALFORMED");
  });
});

describe("createSp1Prover with the real teezk-zk (built without the sp1 feature)", () => {
  let binary: string;
  beforeAll(() => {
    binary = ensureHostBinary();
  }, 30 * 60_000);

  it("the arguments the backend sends are the ones `teezk-zk execute` parses: same journal as encodeClaims", () => {
    const bytes = decodeEvidenceInput(readFileSync(fixturePath(nitroSample)), 256 * 1024).bytes;
    const at = new Date(parseNitroDocument(bytes).timestamp);
    const args = sp1HostArguments("attest", { type: "nitro", evidence: fixturePath(nitroSample), at });
    const run = spawnSync(binary, ["execute", ...args], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.stdout.trim()).toBe(encodeClaims(verifyNitroDocument({ evidence: bytes, now: at }).claims));
  });

  it("prove, verify and vkey answer SP1_UNAVAILABLE with the rebuild steps", async () => {
    const prover = createSp1Prover({ cargo: cargoWithProve, binary });
    const proving = await rejection(prover.prove({ circuit: "attest", witnessInput: { type: "nitro", evidence: fixturePath(nitroSample), at: "2022-10-01T00:00:00Z" } }));
    expect(proving.code).toBe("SP1_UNAVAILABLE");
    expect(proving.message).toContain("--features sp1");
    const verifying = await rejection(prover.verify({ circuit: "attest", proof: { proof: "0x01", vkey: `0x${"00".repeat(32)}` }, publicSignals: ["0x"] }));
    expect(verifying.code).toBe("SP1_UNAVAILABLE");
    const vkey = spawnSync(binary, ["vkey"], { encoding: "utf8" });
    expect(vkey.status).toBe(1);
    expect(JSON.parse(vkey.stderr.trim()).code).toBe("SP1_UNAVAILABLE");
  });
});
