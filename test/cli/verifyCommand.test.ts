import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeClaims } from "../../src/claims/index.js";
import { loadNvidiaCollateral, verifyGpuEvidence } from "../../src/evidence/nvidia/index.js";
import { decodeEvidenceInput } from "../../src/util/bytes.js";
import { runCli } from "./support/runCli.js";
import { fixturePath } from "../../src/fixtures/fixturesDir.js";

const tdxQuote = fixturePath("tdx/dcapqvl-v4-b0c06f/quote.bin");
const tdxCollateral = fixturePath("tdx/dcapqvl-v4-b0c06f");

describe("teezk verify", () => {
  it("verifies a real TDX quote with collateral as of its time and prints DESIGN §2 claims with their ABI encoding", async () => {
    const { code, out } = await runCli(["verify", tdxQuote, "--collateral", tdxCollateral, "--at", "2025-06-20T12:00:00Z", "--json"]);
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report.ok).toBe(true);
    expect(report.type).toBe("tdx");
    expect(report.claims.teeType).toBe(1);
    expect(report.claims.timestamp).toBe(Date.parse("2025-06-20T12:00:00Z") / 1000);
    expect(report.claims.rootHash).toBe("0x44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3");
    expect(report.checks.tcbInfo).toBe("passed");
    const decoded = decodeClaims(report.claimsAbi);
    expect(decoded.measurement).toBe(report.claims.measurement);
    expect(decoded.tcbStatus).toBe(report.claims.tcbStatus);
    expect(report.appraisal).toBeNull();
  });

  it("rejects the same collateral at today's date with its own code and exit 1", async () => {
    const { code, out } = await runCli(["verify", tdxQuote, "--collateral", tdxCollateral, "--at", "2026-11-23T00:00:00Z", "--json"]);
    expect(code).toBe(1);
    expect(JSON.parse(out)).toMatchObject({ ok: false, code: "COLLATERAL_EXPIRED" });
  });

  it("rejects a real Nitro document verified now (its chain expired in 2023)", async () => {
    const { code, out } = await runCli(["verify", fixturePath("nitro/evervault-ga-2023-09/attestation-doc.b64"), "--json"]);
    expect(code).toBe(1);
    expect(JSON.parse(out)).toMatchObject({ ok: false, code: "CERT_EXPIRED" });
  });

  it("appraises against a policy file and reports every failed rule, exiting 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "teezk-cli-"));
    const policy = join(dir, "policy.json");
    writeFileSync(policy, JSON.stringify({ version: 1, maxAgeSeconds: 60, tee: { TDX: { allowedMeasurements: [`0x${"00".repeat(32)}`] } } }));
    const { code, out } = await runCli(["verify", tdxQuote, "--no-fetch", "--at", "2025-06-20T12:00:00Z", "--policy", policy, "--json"]);
    expect(code).toBe(1);
    const report = JSON.parse(out);
    expect(report.ok).toBe(false);
    expect(report.code).toBe("MEASUREMENT_NOT_ALLOWED");
    expect(report.appraisal.failures.map((failure: { code: string }) => failure.code)).toEqual([
      "MEASUREMENT_NOT_ALLOWED",
      "TCB_STATUS_UNKNOWN",
      // No collateral: each check complete collateral allows is missing, and the default policy names it.
      "CHECK_NOT_PERFORMED",
      "CHECK_NOT_PERFORMED",
      "CHECK_NOT_PERFORMED",
      "CHECK_NOT_PERFORMED",
    ]);
  });

  it("prints a readable summary without --json; --no-fetch verifies the quote alone, as before issue 15", async () => {
    const { code, out } = await runCli(["verify", tdxQuote, "--no-fetch", "--at", "2025-06-20T12:00:00Z"]);
    expect(code).toBe(0);
    expect(out).toContain("verified tdx evidence");
    expect(out).toContain("tcbStatus    254 (UNKNOWN)");
    expect(out).toContain("not checked  tcbInfo");
  });

  it("exits 2 on usage errors", async () => {
    expect((await runCli(["verify", tdxQuote, "--at", "yesterday"])).code).toBe(2);
    expect((await runCli(["verify", tdxQuote, "--type", "sparc"])).code).toBe(2);
    expect((await runCli(["verify", "/no/such/file"])).code).toBe(2);
    expect((await runCli(["verify"])).code).toBe(2);
    expect((await runCli(["frobnicate"])).code).toBe(2);
  });

  it("refuses an oversized file before reading it, and garbage with a typed error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "teezk-cli-"));
    const big = join(dir, "big.bin");
    writeFileSync(big, Buffer.alloc(5 * 1024 * 1024));
    expect(JSON.parse((await runCli(["verify", big, "--json"])).out)).toMatchObject({ ok: false, code: "INPUT_TOO_LARGE" });
    const junk = join(dir, "junk.bin");
    writeFileSync(junk, Buffer.from([0xff, 0x00, 0x13, 0x37, 0x42]));
    expect(JSON.parse((await runCli(["verify", junk, "--json"])).out)).toMatchObject({ ok: false, code: "UNKNOWN_EVIDENCE_TYPE" });
  });

  it("runs as the installed bin (what `npx teezk` executes)", () => {
    const out = execFileSync(process.execPath, ["bin/teezk.js", "verify", tdxQuote, "--collateral", tdxCollateral, "--at", "2025-06-20T12:00:00Z", "--json"], { encoding: "utf8" });
    expect(JSON.parse(out)).toMatchObject({ ok: true, type: "tdx" });
  });
});

describe("teezk verify --gpu (composite)", () => {
  it("rejects a real GPU report paired with a real CPU quote from another session: BORROWED_GPU_REPORT", async () => {
    const { code, out } = await runCli([
      "verify", tdxQuote, "--collateral", tdxCollateral, "--at", "2025-06-20T12:00:00Z", "--json",
      "--gpu", fixturePath("nvidia-gpu/nvtrust-hopper-sample/attestation-report.hex"),
      "--gpu-collateral", fixturePath("nvidia-gpu/nvtrust-hopper-sample"),
    ]);
    expect(code).toBe(1);
    expect(JSON.parse(out)).toMatchObject({ ok: false, code: "BORROWED_GPU_REPORT" });
  });

  it("refuses a malformed --trust-root as a usage error", async () => {
    expect((await runCli(["verify", tdxQuote, "--trust-root", "abc"])).code).toBe(2);
  });
});

describe("teezk verify of a GPU report on its own (issue 12 item 2)", () => {
  const folder = fixturePath("nvidia-gpu/nvtrust-hopper-sample");
  const report = fixturePath("nvidia-gpu/nvtrust-hopper-sample/attestation-report.hex");
  const at = "2025-01-01T00:00:00Z";

  it("with --policy, even one allowing the GPU's measurement, it is refused: GPU_NOT_AN_ENCLAVE, exit 1", async () => {
    const gpu = verifyGpuEvidence({ evidence: decodeEvidenceInput(readFileSync(report), 1 << 20).bytes, now: new Date(at), collateral: loadNvidiaCollateral(folder) });
    const dir = mkdtempSync(join(tmpdir(), "teezk-cli-gpu-"));
    const policy = join(dir, "policy.json");
    writeFileSync(policy, JSON.stringify({ version: 1, tee: { NVIDIA_GPU: { allowedMeasurements: [gpu.claims.measurement], acceptedTcbStatuses: ["NOT_APPLICABLE"] } } }));
    const { code, out } = await runCli(["verify", report, "--collateral", folder, "--at", at, "--policy", policy, "--json"]);
    expect(code).toBe(1);
    expect(JSON.parse(out)).toMatchObject({ ok: false, code: "GPU_NOT_AN_ENCLAVE" });
  });

  it("without --policy it is inspected: the report's authenticity, and a statement that it is no enclave", async () => {
    const json = await runCli(["verify", report, "--collateral", folder, "--at", at, "--json"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({ ok: true, type: "nvidia", enclave: false });
    const human = await runCli(["verify", report, "--collateral", folder, "--at", at]);
    expect(human.code).toBe(0);
    expect(human.out).toContain("not an enclave");
  });
});
