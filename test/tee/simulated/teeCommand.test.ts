import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../../src/cli/main.js";
import type { CliIo } from "../../../src/cli/io.js";
import { verifyEvidence } from "../../../src/evidence/verifyEvidence.js";
import { isTeezkError } from "../../../src/errors/index.js";

/** `teezk tee attest --simulate` then verification, through `main` with a capturing io. */
let dir: string;
const nonce = "7e".repeat(32);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "teezk-tee-cli-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: CliIo = { out: (text) => void (out += text), err: (text) => void (err += text) };
  const code = await main(argv, io);
  return { code, out, err };
}

describe("teezk tee attest --simulate", () => {
  it("nitro: writes hex evidence and prints the dev root; the evidence verifies with that root pinned and only then", async () => {
    const out = join(dir, "nitro.hex");
    const result = await run("tee", "attest", "--simulate", "nitro", "--nonce", nonce, "--out", out, "--dev-roots", join(dir, "roots"), "--json");
    expect(result.code).toBe(0);
    const report = JSON.parse(result.out) as { ok: boolean; devRootSha256: string; devRootName: string; evidenceFile: string };
    expect(report.ok).toBe(true);
    expect(report.evidenceFile).toBe(out);
    const evidence = new Uint8Array(readFileSync(out));
    expect(/^[0-9a-f]+\n$/.test(Buffer.from(evidence).toString("latin1"))).toBe(true);
    const pin = { name: report.devRootName, sha256: report.devRootSha256.slice(2) };
    const verified = verifyEvidence({ evidence, now: new Date(), extraTrustedRoots: [pin] });
    expect(verified.kind).toBe("nitro");
    expect(verified.evidence.claims.reportData).toBe(`0x${nonce}`);
    expect(verified.evidence.claims.rootHash).toBe(report.devRootSha256);
    try {
      verifyEvidence({ evidence, now: new Date() });
      expect.unreachable();
    } catch (error) {
      expect(isTeezkError(error, "ROOT_NOT_TRUSTED")).toBe(true);
    }
    // `teezk verify` knows only production roots: it rejects the simulated document.
    const rejected = await run("verify", out, "--json");
    expect(rejected.code).toBe(1);
    expect(JSON.parse(rejected.out).code).toBe("ROOT_NOT_TRUSTED");
  });

  it("sevsnp and nvidia: the collateral folder written beside the evidence is what verification needs", async () => {
    for (const vendor of ["sevsnp", "nvidia"] as const) {
      const out = join(dir, `${vendor}.hex`);
      const result = await run("tee", "attest", "--simulate", vendor, "--nonce", `0x${nonce}`, "--out", out, "--dev-roots", join(dir, "roots"));
      expect(result.code).toBe(0);
      const fingerprint = /dev root\s+0x([0-9a-f]{64})/.exec(result.out)?.[1];
      expect(fingerprint).toBeDefined();
      const verified = verifyEvidence({
        evidence: new Uint8Array(readFileSync(out)),
        now: new Date(),
        collateralDir: `${out}.collateral`,
        extraTrustedRoots: [{ name: "dev", sha256: fingerprint! }],
        // The GPU report alone is inspected here, only for its collateral folder: no service takes it alone.
        inspectStandaloneGpu: vendor === "nvidia",
      });
      expect(verified.kind).toBe(vendor);
      expect(verified.evidence.claims.reportData).toBe(`0x${nonce}`);
    }
  });

  it("prints the hex on stdout without --out, and --debug yields a debug TDX quote", async () => {
    const result = await run("tee", "attest", "--simulate", "tdx", "--debug", "--nonce", nonce, "--dev-roots", join(dir, "roots"));
    expect(result.code).toBe(0);
    const hexLine = result.out.trim().split("\n").at(-1)!;
    expect(hexLine.startsWith("0x04000200")).toBe(true);
    const fingerprint = /dev root\s+0x([0-9a-f]{64})/.exec(result.out)![1]!;
    writeFileSync(join(dir, "tdx.hex"), hexLine);
    const verified = verifyEvidence({ evidence: new Uint8Array(readFileSync(join(dir, "tdx.hex"))), now: new Date(), extraTrustedRoots: [{ name: "dev", sha256: fingerprint }] });
    expect(verified.evidence.claims.debug).toBe(true);
  });

  it("usage errors exit 2: bad nonce, unknown vendor, missing nonce", async () => {
    expect((await run("tee", "attest", "--simulate", "nitro", "--nonce", "abcd")).code).toBe(2);
    expect((await run("tee", "attest", "--simulate", "arm-cca", "--nonce", nonce)).code).toBe(2);
    expect((await run("tee", "attest", "--simulate", "nitro")).code).toBe(2);
  });
});

describe("teezk tee attest on hardware, tee detect", () => {
  it("without --simulate on a machine with no TEE: TEE_UNAVAILABLE, exit 1", async () => {
    const result = await run("tee", "attest", "--kind", "tdx", "--nonce", nonce, "--json");
    expect(result.code).toBe(1);
    expect(JSON.parse(result.out).code).toBe("TEE_UNAVAILABLE");
  });

  it("detect prints detectTee() as JSON or text", async () => {
    const json = await run("tee", "detect", "--json");
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.out) as { collectable: string[]; configfsTsm: { available: boolean } };
    expect(Array.isArray(parsed.collectable)).toBe(true);
    expect(typeof parsed.configfsTsm.available).toBe("boolean");
    const text = await run("tee", "detect");
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/Intel TDX guest\s+(yes|no)/);
    expect(text.out).toMatch(/collectable/);
  });
});
