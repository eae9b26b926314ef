/**
 * Rust ↔ TypeScript parity: the zkVM program's native run (`teezk-zk execute`) must commit exactly the bytes
 * TypeScript's `encodeClaims` produces for the same real evidence, collateral and verification time, and must
 * reject what TypeScript rejects with the same stable code.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { encodeClaims } from "../../src/claims/index.js";
import { TeezkError } from "../../src/errors/index.js";
import { parseNitroDocument, verifyNitroDocument } from "../../src/evidence/nitro/index.js";
import { loadNvidiaCollateral, verifyGpuEvidence } from "../../src/evidence/nvidia/index.js";
import { loadSnpCollateral, verifySnpReport } from "../../src/evidence/sevsnp/index.js";
import { loadDcapCollateral } from "../../src/evidence/tdx/collateral/index.js";
import { verifyDcapQuote } from "../../src/evidence/tdx/index.js";
import { fixturePath } from "../../src/fixtures/fixturesDir.js";
import { decodeEvidenceInput } from "../../src/util/bytes.js";

const workspace = join(dirname(fileURLToPath(import.meta.url)), "../../zkprogram");
// TEEZK_ZK_BIN points at an already built teezk-zk (e.g. target/debug) and skips the release build.
const binary = process.env.TEEZK_ZK_BIN ?? join(workspace, "target/release/teezk-zk");
const MAX_BYTES = 256 * 1024;

type Run = { ok: true; journal: string } | { ok: false; code: string };

function execute(args: string[]): Run {
  const result = spawnSync(binary, ["execute", "--mode", "attest", ...args], { encoding: "utf8" });
  if (result.status === 0) return { ok: true, journal: result.stdout.trim() };
  const parsed = JSON.parse(result.stderr.trim().split("\n").pop() ?? "{}") as { code?: string };
  return { ok: false, code: parsed.code ?? `exit ${result.status}` };
}

function tsRun(verify: () => { claims: Parameters<typeof encodeClaims>[0] }): Run {
  try {
    return { ok: true, journal: encodeClaims(verify().claims) };
  } catch (error) {
    if (error instanceof TeezkError) return { ok: false, code: error.code };
    throw error;
  }
}

function evidence(relative: string): Uint8Array {
  return decodeEvidenceInput(readFileSync(fixturePath(relative)), MAX_BYTES).bytes;
}

beforeAll(() => {
  if (process.env.TEEZK_ZK_BIN) return;
  // Reuses zkprogram/target: a no-op when the binary is current. CARGO_BUILD_JOBS=1 keeps the shared box usable.
  execFileSync("cargo", ["build", "--release", "--locked", "-p", "teezk-zk-host"], {
    cwd: workspace,
    stdio: "inherit",
    env: { ...process.env, CARGO_BUILD_JOBS: process.env.CARGO_BUILD_JOBS ?? "1" },
  });
}, 30 * 60_000);

describe("zkprogram parity - Nitro", () => {
  const samples = [
    "nitro/evervault-ga-2023-09/attestation-doc.b64",
    "nitro/evervault-beta-2022-10/attestation-doc.cbor",
    "nitro/eternis-2024-09/attestation-doc.b64",
    "nitro/blocky-debug-2024-09/attestation-doc.b64",
  ];
  for (const sample of samples) {
    it(`${sample}: same journal as encodeClaims at the document time`, () => {
      const bytes = evidence(sample);
      const now = new Date(parseNitroDocument(bytes).timestamp);
      const expected = tsRun(() => verifyNitroDocument({ evidence: bytes, now }));
      expect(expected.ok).toBe(true);
      expect(execute(["--type", "nitro", "--evidence", fixturePath(sample), "--at", now.toISOString()])).toEqual(expected);
    });
  }

  it("rejects what TypeScript rejects, with the same code (NEGATIVE sample, today's date, flipped signature)", () => {
    const sample = "nitro/eternis-2024-09/attestation-doc.b64";
    const bytes = evidence(sample);
    const docTime = new Date(parseNitroDocument(bytes).timestamp);
    const negative = "nitro/eternis-2024-09/NEGATIVE-invalid-attestation-doc.b64";
    const cases: [string, Uint8Array, Date][] = [
      [fixturePath(negative), evidence(negative), docTime],
      [fixturePath(sample), bytes, new Date("2026-01-01T00:00:00Z")],
    ];
    const flipped = bytes.slice();
    flipped[flipped.length - 5]! ^= 0x01;
    const flippedPath = join(workspace, "target", "parity-flipped-nitro.bin");
    spawnSync("mkdir", ["-p", join(workspace, "target")]);
    execFileSync("tee", [flippedPath], { input: flipped, stdio: ["pipe", "ignore", "inherit"] });
    cases.push([flippedPath, flipped, docTime]);
    for (const [path, input, now] of cases) {
      const expected = tsRun(() => verifyNitroDocument({ evidence: input, now }));
      expect(expected.ok).toBe(false);
      expect(execute(["--type", "nitro", "--evidence", path, "--at", now.toISOString()])).toEqual(expected);
    }
  });
});

describe("zkprogram parity - SEV-SNP", () => {
  const roots = fixturePath("roots/amd-sev-snp");
  const samples: [string, string, string][] = [
    ["sev-snp/gosevguest-milan-vcek", "report.bin", "2025-01-01T00:00:00Z"],
    ["sev-snp/trustee-milan-vcek", "report.bin", "2025-01-01T00:00:00Z"],
    ["sev-snp/trustee-milan-vlek", "report.bin", "2025-06-01T00:00:00Z"],
    ["sev-snp/trustee-azure-genoa-hcl", "evidence.json", "2025-06-01T00:00:00Z"],
  ];
  for (const [folder, file, at] of samples) {
    it(`${folder}: same journal as encodeClaims`, () => {
      const now = new Date(at);
      const dirs = [fixturePath(folder), roots];
      const expected = tsRun(() => verifySnpReport({ evidence: evidence(`${folder}/${file}`), now, collateral: loadSnpCollateral(dirs) }));
      expect(expected.ok).toBe(true);
      const args = ["--type", "sevsnp", "--evidence", fixturePath(`${folder}/${file}`), "--at", at, ...dirs.flatMap((dir) => ["--collateral", dir])];
      expect(execute(args)).toEqual(expected);
    });
  }
});

describe("zkprogram parity - TDX and SGX", () => {
  // [folder, evidence file, verification time inside the PCK (and, with collateral, the collateral) window, complete collateral]
  const samples: [string, string, string, boolean][] = [
    ["tdx/dcapqvl-v4-b0c06f", "quote.bin", "2025-06-20T12:00:00Z", true],
    ["tdx/dcapqvl-near-v4-20a06f", "quote.hex", "2025-09-03T00:00:00Z", true],
    ["tdx/automata-v4-00806f05", "quote.bin", "2025-07-08T00:00:00Z", true],
    ["tdx/automata-v5-90c06f", "quote.bin", "2025-06-10T00:00:00Z", false],
    ["tdx/gotdx-spr-e4-v4-50806f", "quote.bin", "2023-06-20T00:00:00Z", false],
    ["tdx/gotdx-cos113-v4-00806f05", "quote.bin", "2024-08-01T00:00:00Z", false],
    ["tdx/trustee-v4-00a06d08", "quote.bin", "2025-10-28T00:00:00Z", false],
    ["sgx/dcapqvl-v3-00a06711", "quote.bin", "2025-06-20T12:00:00Z", true],
    ["sgx/automata-v3-00606a", "quote.hex", "2025-08-16T00:00:00Z", false],
    ["sgx/trustee-occlum-v3-00606a", "quote.bin", "2023-06-01T00:00:00Z", false],
  ];
  for (const [folder, file, at, complete] of samples) {
    const type = folder.split("/")[0]!;
    const path = fixturePath(`${folder}/${file}`);
    it(`${folder}: same journal as encodeClaims without collateral (tcbStatus UNKNOWN)`, () => {
      const expected = tsRun(() => verifyDcapQuote({ evidence: evidence(`${folder}/${file}`), now: new Date(at) }));
      expect(expected.ok).toBe(true);
      expect(execute(["--type", type, "--evidence", path, "--at", at])).toEqual(expected);
    });
    if (complete) {
      it(`${folder}: same journal as encodeClaims with its collateral (TCB status from the collateral)`, () => {
        const collateral = loadDcapCollateral(fixturePath(folder));
        const expected = tsRun(() => verifyDcapQuote({ evidence: evidence(`${folder}/${file}`), now: new Date(at), collateral }));
        expect(expected.ok).toBe(true);
        expect(execute(["--type", type, "--evidence", path, "--at", at, "--collateral", fixturePath(folder)])).toEqual(expected);
      });
    }
  }

  it("both reject a quote with a flipped report-body byte (SIGNATURE_INVALID) and the PCK chain at today's date", () => {
    const folder = "tdx/dcapqvl-v4-b0c06f";
    const bytes = evidence(`${folder}/quote.bin`);
    const flipped = bytes.slice();
    flipped[48 + 520]! ^= 0x01;
    const flippedPath = join(workspace, "target", "parity-flipped-quote.bin");
    execFileSync("tee", [flippedPath], { input: flipped, stdio: ["pipe", "ignore", "inherit"] });
    const at = "2025-06-20T12:00:00Z";
    const expected = tsRun(() => verifyDcapQuote({ evidence: flipped, now: new Date(at) }));
    expect(expected).toEqual({ ok: false, code: "SIGNATURE_INVALID" });
    expect(execute(["--type", "tdx", "--evidence", flippedPath, "--at", at])).toEqual(expected);
    const late = "2033-06-01T00:00:00Z";
    const expectedLate = tsRun(() => verifyDcapQuote({ evidence: bytes, now: new Date(late) }));
    expect(expectedLate.ok).toBe(false);
    expect(execute(["--type", "tdx", "--evidence", fixturePath(`${folder}/quote.bin`), "--at", late])).toEqual(expectedLate);
  });
});

describe("zkprogram parity - NVIDIA", () => {
  const folder = "nvidia-gpu/nvtrust-hopper-sample";
  const at = "2025-01-01T00:00:00Z";
  const args = ["--type", "nvidia", "--evidence", fixturePath(`${folder}/attestation-report.hex`), "--at", at, "--collateral", fixturePath(folder)];

  it(`${folder}: same journal as encodeClaims`, () => {
    const expected = tsRun(() => verifyGpuEvidence({ evidence: evidence(`${folder}/attestation-report.hex`), now: new Date(at), collateral: loadNvidiaCollateral(fixturePath(folder)) }));
    expect(expected.ok).toBe(true);
    expect(execute(args)).toEqual(expected);
  });

  it("both reject another session's nonce with GPU_NONCE_MISMATCH", () => {
    const nonce = `0x${"ab".repeat(32)}` as const;
    const expected = tsRun(() =>
      verifyGpuEvidence({ evidence: evidence(`${folder}/attestation-report.hex`), now: new Date(at), collateral: loadNvidiaCollateral(fixturePath(folder)), expectedNonce: nonce }),
    );
    expect(expected).toEqual({ ok: false, code: "GPU_NONCE_MISMATCH" });
    expect(execute([...args, "--nonce", nonce])).toEqual(expected);
  });
});
