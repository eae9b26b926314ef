import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { MAX_NITRO_DOCUMENT_BYTES, parseNitroDocument } from "../src/evidence/nitro/index.js";
import { TeezkError } from "../src/errors/index.js";
import { fixturePath } from "../src/fixtures/fixturesDir.js";
import { decodeEvidenceInput } from "../src/util/bytes.js";
import type { BenchRow, BenchSuite } from "./types.js";

const workspace = join(dirname(fileURLToPath(import.meta.url)), "../zkprogram");

/** One `teezk-zk bench` input: the `execute` flags of a real sample. */
type Sample = { type: string; evidence: string; at: string; collateral?: string[] };

const ITERATIONS = 40;
const WARMUP = 4;

/** Every real Nitro sample (upstream NEGATIVE- fixtures excluded) at its own document time, as bench/nitro.ts. */
function nitroSamples(): Sample[] {
  const root = fixturePath("nitro");
  const samples: Sample[] = [];
  for (const dir of readdirSync(root).sort()) {
    if (!statSync(join(root, dir)).isDirectory()) continue;
    for (const file of readdirSync(join(root, dir)).sort()) {
      if (file === "PROVENANCE.md" || file.startsWith("NEGATIVE-")) continue;
      const path = join(root, dir, file);
      const { bytes } = decodeEvidenceInput(readFileSync(path), MAX_NITRO_DOCUMENT_BYTES);
      samples.push({ type: "nitro", evidence: path, at: new Date(parseNitroDocument(bytes).timestamp).toISOString() });
    }
  }
  return samples;
}

/** The quotes with complete collateral (dcap-qvl layout) that bench/tdx.ts times, at the same dates. */
const dcap = (type: "tdx" | "sgx", dir: string, file: string, at: string): Sample => ({
  type,
  evidence: fixturePath(`${dir}/${file}`),
  at,
  collateral: [fixturePath(dir)],
});

/** The SEV-SNP samples of bench/sevsnp.ts, with the AMD roots folder. */
const snp = (dir: string, file: string, at: string): Sample => ({
  type: "sevsnp",
  evidence: fixturePath(`sev-snp/${dir}/${file}`),
  at,
  collateral: [fixturePath(`sev-snp/${dir}`), fixturePath("roots/amd-sev-snp")],
});

function hostBinary(): string {
  if (process.env.TEEZK_ZK_BIN) return process.env.TEEZK_ZK_BIN;
  execFileSync("cargo", ["build", "--release", "--locked", "-p", "teezk-zk-host"], {
    cwd: workspace,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, CARGO_BUILD_JOBS: process.env.CARGO_BUILD_JOBS ?? "1" },
  });
  return join(workspace, "target/release/teezk-zk");
}

/** Timed runs of every sample (each one process: input loaded once, then warmup + timed calls), pooled. */
function measure(binary: string, samples: readonly Sample[]): number[] {
  const pooled: number[] = [];
  for (const sample of samples) {
    const args = ["bench", "--mode", "attest", "--type", sample.type, "--evidence", sample.evidence, "--at", sample.at];
    for (const dir of sample.collateral ?? []) args.push("--collateral", dir);
    args.push("--iterations", String(ITERATIONS), "--warmup", String(WARMUP));
    const output = execFileSync(binary, args, { encoding: "utf8", timeout: 120_000 });
    const parsed = JSON.parse(output.trim().split("\n").pop() ?? "{}") as { samplesMs?: number[] };
    if (!Array.isArray(parsed.samplesMs) || parsed.samplesMs.length !== ITERATIONS) {
      throw new TeezkError("INTERNAL", `teezk-zk bench answered without ${ITERATIONS} samples for ${sample.evidence}`);
    }
    pooled.push(...parsed.samplesMs);
  }
  return pooled;
}

function p50(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)]! * 1000) / 1000;
}

/**
 * Native Rust verification time (zkprogram/core, release build), beside the TypeScript `verify.*` rows: the
 * program's whole run (verification + ABI journal) on the same real samples, each timed inside one
 * `teezk-zk bench` process with its evidence and collateral loaded once, pooled over the samples. This is the
 * work the SP1 guest proves; the zkVM's own cost (cycles, proving time) is not measured here.
 */
export const zkCoreBench: BenchSuite = {
  name: "zkCore",
  run: async (): Promise<BenchRow[]> => {
    const binary = hostBinary();
    const nitro = nitroSamples();
    const tdx = [
      dcap("tdx", "tdx/dcapqvl-v4-b0c06f", "quote.bin", "2025-06-20T12:00:00Z"),
      dcap("tdx", "tdx/dcapqvl-near-v4-20a06f", "quote.hex", "2025-09-03T12:00:00Z"),
    ];
    const sgx = [dcap("sgx", "sgx/dcapqvl-v3-00a06711", "quote.bin", "2025-06-20T12:00:00Z")];
    const sevsnp = [
      snp("gosevguest-milan-vcek", "report.bin", "2024-01-01T00:00:00Z"),
      snp("trustee-milan-vcek", "report.bin", "2024-01-01T00:00:00Z"),
      snp("trustee-milan-vlek", "report.bin", "2025-06-01T00:00:00Z"),
      snp("trustee-azure-genoa-hcl", "evidence.json", "2025-06-01T00:00:00Z"),
    ];
    const hopper = "nvidia-gpu/nvtrust-hopper-sample";
    const nvidia: Sample[] = [
      { type: "nvidia", evidence: fixturePath(`${hopper}/attestation-report.hex`), at: "2025-01-01T00:00:00Z", collateral: [fixturePath(hopper)] },
    ];
    const set: Sample[] = [{ type: "nvidia", evidence: fixturePath("nvidia-gpu/nvtrust-ppcie-8xh100/gpu_evidence.json"), at: "2025-01-01T00:00:00Z" }];
    const rust = "native Rust (RustCrypto), release, warm";
    return [
      { name: "zk.core.nitro.p50", value: p50(measure(binary, nitro)), unit: "ms", anchor: `${rust}; ${nitro.length} real samples as verify.nitro.p50` },
      {
        name: "zk.core.tdx.p50",
        value: p50(measure(binary, tdx)),
        unit: "ms",
        anchor: `${rust}; 2 real TDX quotes with full collateral, appraised by dcap-qvl (Rust), which re-verifies every chain, CRL and signature per call: compare verify.tdx.cold.p50`,
      },
      { name: "zk.core.sgx.p50", value: p50(measure(binary, sgx)), unit: "ms", anchor: `${rust}; the real SGX v3 quote with full collateral (dcap-qvl), as in verify.tdx` },
      { name: "zk.core.sevsnp.p50", value: p50(measure(binary, sevsnp)), unit: "ms", anchor: `${rust}; the 4 real samples of verify.sevsnp.p50 (RSA-4096 PSS chain)` },
      { name: "zk.core.nvidia.p50", value: p50(measure(binary, nvidia)), unit: "ms", anchor: `${rust}; H100 report as verify.nvidia.p50 (6 × P-384), inspected: the program refuses a GPU alone` },
      { name: "zk.core.nvidia.8gpu.p50", value: p50(measure(binary, set)), unit: "ms", anchor: `${rust}; the 8-GPU JSON set as verify.nvidia.8gpu.p50, inspected as above` },
    ];
  },
};
