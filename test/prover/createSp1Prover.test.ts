import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isTeezkError, type TeezkError } from "../../src/errors/index.js";
import { createSp1Prover, sp1InstallHint } from "../../src/prover/index.js";

const dir = mkdtempSync(path.join(tmpdir(), "teezk-sp1-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A shell script standing in for cargo or the host CLI: process plumbing only, no proof is checked here. */
function script(name: string, body: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

async function rejection(promise: Promise<unknown>): Promise<TeezkError> {
  try {
    await promise;
  } catch (error) {
    if (isTeezkError(error)) return error;
    throw error;
  }
  throw new Error("expected a rejection");
}

const cargoWithProve = script("cargo-ok", 'echo "cargo-prove sp1 (test)"');
const cargoWithoutProve = script("cargo-no-prove", 'echo "error: no such command: `prove`" >&2; exit 101');

describe("createSp1Prover", () => {
  it("fails with SP1_UNAVAILABLE and the install command when cargo is missing or has no prove", async () => {
    for (const cargo of [path.join(dir, "no-cargo-here"), cargoWithoutProve]) {
      const prover = createSp1Prover({ cargo, binary: script("host-unused", "exit 0") });
      const error = await rejection(prover.prove({ circuit: "attest", witnessInput: {} }));
      expect(error.code).toBe("SP1_UNAVAILABLE");
      expect(error.message).toContain("curl -L https://sp1up.succinct.xyz | bash && sp1up");
      expect(error.metaMessages).toContain(sp1InstallHint);
    }
  });

  it("fails with SP1_UNAVAILABLE when the host binary is not built", async () => {
    const prover = createSp1Prover({ cargo: cargoWithProve, binary: path.join(dir, "teezk-zk-missing") });
    const error = await rejection(prover.prove({ circuit: "attest", witnessInput: {} }));
    expect(error.code).toBe("SP1_UNAVAILABLE");
    expect(error.message).toContain("cargo build --release");
  });

  it("passes the input on stdin and parses the host's JSON answer", async () => {
    // The fake host echoes a digest of its arguments and stdin into the proof so the test sees both arrived.
    const host = script(
      "host-ok",
      `input=$(cat); case "$input" in *'"n":"12345678901234567890"'*) ok=aa;; *) ok=00;; esac
echo "log line" >&2
if [ "$1" = prove ] && [ "$3" = attest ]; then echo "{\\"proof\\":\\"0x$ok\\",\\"publicValues\\":\\"0x0102\\",\\"vkey\\":\\"0x03\\"}"; fi
if [ "$1" = verify ]; then echo '{"valid":true}'; fi`,
    );
    const prover = createSp1Prover({ cargo: cargoWithProve, binary: host });
    const stages: string[] = [];
    const result = await prover.prove({
      circuit: "attest",
      witnessInput: { n: 12345678901234567890n },
      onProgress: (p) => stages.push(p.stage),
    });
    expect(result.proof).toEqual({ proof: "0xaa", vkey: "0x03" });
    expect(result.publicSignals).toEqual(["0x0102"]);
    expect(stages).toEqual(["prove", "done"]);
    expect(await prover.verify({ circuit: "attest", proof: result.proof, publicSignals: result.publicSignals })).toBe(true);
  });

  it("turns host failures into PROVER_FAILED with the host's stderr", async () => {
    const cases = [
      { body: 'echo "guest panicked: bad quote" >&2; exit 3', expect: "guest panicked" },
      { body: "echo not-json", expect: "not JSON" },
      { body: 'echo \'{"proof":"0x1","publicValues":"0x","vkey":"0x"}\'', expect: "wrong shape" },
      { body: "kill -9 $$", expect: "signal SIGKILL" },
    ];
    for (const [i, c] of cases.entries()) {
      const prover = createSp1Prover({ cargo: cargoWithProve, binary: script(`host-bad-${i}`, c.body) });
      const error = await rejection(prover.prove({ circuit: "attest", witnessInput: {} }));
      expect(error.code).toBe("PROVER_FAILED");
      expect(error.message).toContain(c.expect);
    }
  });

  it("bounds the host in time and output", async () => {
    const slow = createSp1Prover({ cargo: cargoWithProve, binary: script("host-slow", "sleep 30"), timeoutMs: 300 });
    expect((await rejection(slow.prove({ circuit: "attest", witnessInput: {} }))).message).toContain("did not finish");
    const chatty = createSp1Prover({
      cargo: cargoWithProve,
      binary: script("host-chatty", "head -c 200000 /dev/zero"),
      maxOutputBytes: 1000,
    });
    expect((await rejection(chatty.prove({ circuit: "attest", witnessInput: {} }))).message).toContain("more than 1000 bytes");
  });

  it("refuses a program name that is not one and a malformed proof", async () => {
    const prover = createSp1Prover({ cargo: cargoWithProve, binary: script("host-never", "exit 9") });
    expect((await rejection(prover.prove({ circuit: "../x", witnessInput: {} }))).code).toBe("CONFIG_INVALID");
    const malformed = prover.verify({ circuit: "attest", proof: { proof: "0xzz", vkey: "0x" } as never, publicSignals: ["0x"] });
    expect((await rejection(malformed)).code).toBe("PROOF_MALFORMED");
  });
});
