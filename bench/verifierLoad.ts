import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { generatePrivateKey } from "viem/accounts";
import { verifyEvidence } from "../src/evidence/verifyEvidence.js";
import { TeezkError } from "../src/errors/index.js";
import { fixturePath } from "../src/fixtures/fixturesDir.js";
import { realSamples } from "../src/fixtures/realSamples.js";
import { openArchive } from "../src/store/index.js";
import type { BenchRow, BenchSuite } from "./types.js";

/**
 * Load on a verifier node from a second process, on loopback: `teezk serve verifier` runs in a child process (the
 * real CLI, its archive on) and this process drives `POST /v1/verify` with a bounded number of keep-alive
 * connections for a fixed time, with real evidence: the dcap-qvl TDX v4 quote with its full collateral (PCK
 * chain, QE report, TCB info, QE identity, CRLs), verified as of the collateral's own time. Every answer is
 * checked (HTTP 200, appraisal ok, signed by the node's address); anything else counts as an error.
 *
 * `npm run bench -- verifier` runs it for 60 s (TEEZK_BENCH_VERIFIER_SECONDS overrides) twice: `verifier.*` is the node
 * as deployed on this box, one worker per core (`--workers`, 8 connections per worker), `verifier.one_worker.*` a
 * single process with 8 connections (the configuration of the rows before issue 18). A single process cannot pass
 * ~1,000/s: each answer waits for its batch's fsync on the event loop and secp256k1 signing is JavaScript, so the
 * second core is what the cluster adds. `npx tsx bench/verifierLoad.ts --duration 10 [--concurrency 16] [--workers 2]`
 * prints the rows of a quick run.
 */
export const verifierLoadBench: BenchSuite = {
  name: "verifier",
  run: async () => {
    const seconds = Number(process.env.TEEZK_BENCH_VERIFIER_SECONDS ?? 60);
    const workers = Number(process.env.TEEZK_BENCH_VERIFIER_WORKERS ?? DEFAULT_WORKERS);
    const concurrency = Number(process.env.TEEZK_BENCH_VERIFIER_CONCURRENCY ?? CONNECTIONS_PER_WORKER * workers);
    const deployed = await runVerifierLoad({ seconds, concurrency, workers });
    const oneWorker = await runVerifierLoad({ seconds, concurrency: CONNECTIONS_PER_WORKER, workers: 1, prefix: "verifier.one_worker" });
    return [...deployed, ...oneWorker.filter((row) => /throughput|cpu_per_request|errors/.test(row.name))];
  },
};

const CONNECTIONS_PER_WORKER = 8;
const DEFAULT_CONCURRENCY = CONNECTIONS_PER_WORKER;
/** One worker per core, as `teezk serve verifier --workers` is meant to run. */
const DEFAULT_WORKERS = Math.max(1, cpus().length);
const WARMUP_SECONDS = 3;
const SAMPLE_ID = "tdx/dcapqvl-v4-b0c06f";
const repo = join(dirname(fileURLToPath(import.meta.url)), "..");

export type VerifierLoadParameters = { seconds: number; concurrency: number; workers: number; /** Row names; default "verifier". */ prefix?: string };

export async function runVerifierLoad({ seconds, concurrency, workers, prefix = "verifier" }: VerifierLoadParameters): Promise<BenchRow[]> {
  if (!(seconds > 0) || !Number.isInteger(concurrency) || concurrency < 1 || !Number.isInteger(workers) || workers < 1) {
    throw new TeezkError("CONFIG_INVALID", "verifier load: duration > 0, concurrency ≥ 1 and workers ≥ 1 are required");
  }
  const sample = realSamples.find((candidate) => candidate.id === SAMPLE_ID)!;
  const quote = new Uint8Array(readFileSync(fixturePath(sample.evidence)));
  const collateral = fixturePath(sample.collateral![0]!);
  // The policy names the quote's own measurement and requires the collateral checks to have run.
  const measurement = verifyEvidence({ evidence: quote, now: new Date(sample.at), collateralDir: collateral }).evidence.claims.measurement;
  const dir = mkdtempSync(join(tmpdir(), "teezk-bench-verifier-"));
  const policy = join(dir, "policy.json");
  writeFileSync(
    policy,
    JSON.stringify({ version: 1, tee: { TDX: { allowedMeasurements: [measurement], acceptedTcbStatuses: ["UP_TO_DATE"], requiredChecks: ["tcbInfo", "qeIdentity", "pckRevocation"] } } }),
  );
  const archivePath = join(dir, "verifier.sqlite");
  const node = await startNode({ policy, collateral, archivePath, workers });
  try {
    const body = Buffer.from(JSON.stringify({ evidence: Buffer.from(quote).toString("base64"), at: sample.at }));
    const target = new URL("/v1/verify", node.url);
    const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    const expectedSigner = `"signer":"${node.address}"`;

    const drive = (ms: number, record: boolean) => driveVerifyLoad({ agent, target, body, concurrency, expectedSigner, ms, record });

    const loadBefore = loadavg()[0]!.toFixed(1);
    await drive(WARMUP_SECONDS * 1000, false);
    const archivedBefore = countVerdicts(archivePath);
    const nodeCpuBefore = processTreeCpuMs(node.pid);
    const measured = await drive(seconds * 1000, true);
    const nodeCpuMs = processTreeCpuMs(node.pid) - nodeCpuBefore;
    const archived = countVerdicts(archivePath) - archivedBefore;
    agent.destroy();
    if (measured.firstError) process.stderr.write(`verifier load: first error: ${measured.firstError}\n`);

    const sorted = [...measured.latencies].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
    const completed = measured.latencies.length;
    // Every request, accepted or not, must have left exactly one verdict row in the node's archive.
    const unarchived = Math.abs(completed - archived);
    const throughput = (completed - measured.errors) / (measured.elapsedMs / 1000);
    const load = loadavg()[0]!.toFixed(1);
    const setup = `${seconds} s, ${concurrency} keep-alive connections from a second process, \`teezk serve verifier\`${workers > 1 ? ` with ${workers} workers` : ""} in a child process, archive on (each decision's evidence, appraisal and verdict committed with synchronous=FULL before its answer; group commit), ${cpus().length} cores shared by node, load generator and other work (1-min load average ${loadBefore} before, ${load} after)`;
    const anchor = `real TDX v4 quote (dcap-qvl sample) with full collateral, verified as of its collateral's time: ${setup}`;
    return [
      { name: `${prefix}.throughput`, value: round(throughput), unit: "ops/s", anchor, ...(prefix === "verifier" ? { target: "≥ 1000 on 2 cores" } : {}) },
      { name: `${prefix}.p50`, value: round(at(0.5)), unit: "ms", anchor: `latency per request, ${setup}` },
      { name: `${prefix}.p99`, value: round(at(0.99)), unit: "ms", anchor: `latency per request, ${setup}` },
      // CPU the node's processes spent per answered request (Linux /proc): unlike throughput, barely moved by what
      // else the machine runs, so runs on a shared box compare; 1000 / this is the ceiling on one free core.
      { name: `${prefix}.node_cpu_per_request`, value: round(nodeCpuMs / completed), unit: "ms", anchor: `user+system CPU of the node's processes over the measured window ÷ requests answered, ${setup}` },
      { name: `${prefix}.errors`, value: measured.errors + unarchived, unit: "count", anchor: `answers not 200 / not appraised ok / not signed by the node, plus requests without their archived verdict (${completed} requests, ${archived} verdicts archived)`, target: "0" },
    ];
  } finally {
    await node.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export type DriveVerifyLoadParameters = { agent: Agent; target: URL; body: Buffer; concurrency: number; expectedSigner: string; ms: number; record: boolean };
export type DriveVerifyLoadReturnType = { latencies: number[]; errors: number; firstError: string | undefined; elapsedMs: number };

/**
 * `concurrency` loops posting `body` to `target` until `ms` have passed; an answer counts only when it is HTTP 200,
 * appraised ok and signed by `expectedSigner` (`"signer":"0x…"`). Latencies are kept when `record`.
 */
export async function driveVerifyLoad({ agent, target, body, concurrency, expectedSigner, ms, record }: DriveVerifyLoadParameters): Promise<DriveVerifyLoadReturnType> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const deadline = performance.now() + ms;
  const loop = async () => {
    while (performance.now() < deadline) {
      const start = performance.now();
      try {
        const { status, text } = await post(agent, target, body);
        const ok = status === 200 && text.includes(expectedSigner) && (JSON.parse(text) as { appraisal?: { ok?: boolean } }).appraisal?.ok === true;
        if (!ok) {
          errors += 1;
          firstError ??= `HTTP ${status}: ${text.slice(0, 200)}`;
        }
      } catch (error) {
        errors += 1;
        firstError ??= String(error);
      }
      if (record) latencies.push(performance.now() - start);
    }
  };
  const began = performance.now();
  await Promise.all(Array.from({ length: concurrency }, loop));
  return { latencies, errors, firstError, elapsedMs: performance.now() - began };
}

type RunningNode = { url: string; address: string; pid: number; stop: () => Promise<void> };

async function startNode({ policy, collateral, archivePath, workers }: { policy: string; collateral: string; archivePath: string; workers: number }): Promise<RunningNode> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      // e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the node under this load (NODE_OPTIONS refuses --cpu-prof).
      ...(process.env.TEEZK_BENCH_VERIFIER_NODE_ARGS ?? "").split(" ").filter(Boolean),
      join(repo, "bin", "teezk.js"),
      "serve", "verifier", "--json", "--port", "0",
      "--policy", policy,
      "--committee", "0x00000000000000000000000000000000be0c4001",
      "--chain-id", "31337",
      "--key-env", "TEEZK_BENCH_VERIFIER_KEY",
      "--collateral", `tdx=${collateral}`,
      "--archive", archivePath,
      "--allow-request-time",
      ...(workers > 1 ? ["--workers", String(workers)] : []),
    ],
    { cwd: repo, env: { ...process.env, TEEZK_BENCH_VERIFIER_KEY: generatePrivateKey(), NODE_NO_WARNINGS: "1" }, stdio: ["ignore", "pipe", "inherit"] },
  );
  const exited = once(child, "exit");
  const line = await Promise.race([
    once(createInterface({ input: child.stdout! }), "line").then(([text]) => text as string),
    exited.then(() => {
      throw new TeezkError("CONFIG_INVALID", "the verifier node exited before it listened");
    }),
  ]);
  const listening = JSON.parse(line) as { url: string; address: string };
  return {
    url: listening.url,
    address: listening.address,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await exited;
    },
  };
}

function post(agent: Agent, url: URL, body: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: "POST", agent, headers: { "content-type": "application/json", "content-length": body.length } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error("request timed out")));
    req.on("error", reject);
    req.end(body);
  });
}

/** User+system CPU (ms) of a process and its descendants (cluster workers), from /proc; NaN where there is none. */
function processTreeCpuMs(root: number): number {
  const ticksPerMs = 100 / 1000; // USER_HZ is 100 on Linux
  let stats: { pid: number; ppid: number; ticks: number }[];
  try {
    stats = readdirSync("/proc")
      .filter((name) => /^\d+$/.test(name))
      .flatMap((name) => {
        try {
          // Fields after the command's closing parenthesis: state, ppid, …, utime (14th field), stime (15th).
          const fields = readFileSync(`/proc/${name}/stat`, "latin1").split(") ")[1]!.split(" ");
          return [{ pid: Number(name), ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) }];
        } catch {
          return [];
        }
      });
  } catch {
    return Number.NaN;
  }
  const tree = new Set([root]);
  for (let grown = true; grown; ) {
    grown = false;
    for (const stat of stats) {
      if (tree.has(stat.ppid) && !tree.has(stat.pid)) {
        tree.add(stat.pid);
        grown = true;
      }
    }
  }
  return stats.filter((stat) => tree.has(stat.pid)).reduce((sum, stat) => sum + stat.ticks, 0) / ticksPerMs;
}

function countVerdicts(path: string): number {
  const archive = openArchive(path);
  try {
    return archive.count("verdicts");
  } finally {
    archive.close();
  }
}

const round = (value: number) => Math.round(value * 100) / 100;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const flag = (name: string, fallback: number) => {
    const index = process.argv.indexOf(`--${name}`);
    return index >= 0 ? Number(process.argv[index + 1]) : fallback;
  };
  const rows = await runVerifierLoad({ seconds: flag("duration", 60), concurrency: flag("concurrency", DEFAULT_CONCURRENCY), workers: flag("workers", 1) });
  for (const row of rows) process.stdout.write(`${row.name}\t${row.value} ${row.unit}\n`);
}
