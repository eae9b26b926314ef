import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent } from "node:http";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import * as dcapQvl from "@phala/dcap-qvl";
import { generatePrivateKey } from "viem/accounts";
import { CollateralCache, collateralRequests, createCollateralRefresher, fetchCollateralTemporarily, refreshMargin } from "../src/collateral/index.js";
import { clearDcapCaches } from "../src/evidence/tdx/collateral/index.js";
import { verifyEvidence, type LoadedCollateral } from "../src/evidence/verifyEvidence.js";
import { fixturePath } from "../src/fixtures/fixturesDir.js";
import { realSamples } from "../src/fixtures/realSamples.js";
import { ok, startStandIn } from "../test/collateral/support/standIn.js";
import { pcsDataFromSample, pcsHandler } from "../test/collateral/support/vendorStandIns.js";
import type { BenchRow, BenchSuite } from "./types.js";
import { driveVerifyLoad } from "./verifierLoad.js";

/**
 * Issue 15's rows: collateral fetched from a PCS stand-in on loopback (127.0.0.1, serving the real dcap-qvl TDX
 * sample's collateral with Intel's paths and headers; the root CA CRL as hex text, as a PCCS answers it, so
 * dcap-qvl can use the same server), side by side with @phala/dcap-qvl fetching from the same stand-in; and a
 * verifier node under load while its background refresh runs.
 *
 * `npm run bench -- collateral`; TEEZK_BENCH_COLLATERAL_LOAD_SECONDS (default 10) sets each load window.
 */
export const collateralBench: BenchSuite = {
  name: "collateral",
  run: async () => await runCollateralBench(Number(process.env.TEEZK_BENCH_COLLATERAL_LOAD_SECONDS ?? 10)),
};

const SAMPLE_ID = "tdx/dcapqvl-v4-b0c06f";
const ROUNDS = 30;
const repo = join(dirname(fileURLToPath(import.meta.url)), "..");

async function runCollateralBench(loadSeconds: number): Promise<BenchRow[]> {
  const sample = realSamples.find((candidate) => candidate.id === SAMPLE_ID)!;
  const quote = new Uint8Array(readFileSync(fixturePath(sample.evidence)));
  const at = new Date(sample.at);
  const data = pcsDataFromSample(SAMPLE_ID);
  const pcs = await startStandIn(pcsHandler(data));
  pcs.override("/sgx/certification/v4/rootcacrl", ok(Buffer.from(data.rootCaCrl!).toString("hex"), "application/x-pem-file"));
  // dcap-qvl 0.3.9 asks this platform-CA PCK's CRL as ca=processor (its issuer check falls back to processor):
  // the stand-in answers that URL with the platform CRL too, so dcap-qvl can run against it at all.
  const platformCrl = pcsHandler(data)("/sgx/certification/v4/pckcrl", new URLSearchParams("ca=platform&encoding=der"));
  pcs.override("/sgx/certification/v4/pckcrl?ca=processor&encoding=der", platformCrl);
  const dirs: string[] = [];
  const scratch = () => {
    const dir = mkdtempSync(join(tmpdir(), "teezk-bench-collateral-"));
    dirs.push(dir);
    return dir;
  };
  const verify = (dir: string | undefined) => verifyEvidence({ evidence: quote, kind: "tdx", now: at, ...(dir ? { collateralDir: dir } : {}) });
  const verifyLoaded = (collateral: LoadedCollateral | undefined) => verifyEvidence({ evidence: quote, kind: "tdx", now: at, ...(collateral ? { collateral } : {}) });
  try {
    // Cold: an empty collateral cache and empty verification caches: four PCS requests, then a full verification.
    const cold = await timeAsync(async () => {
      clearDcapCaches();
      await fetchCollateralTemporarily({ evidence: quote, kind: "tdx", now: at, pcsUrl: pcs.url, cacheDir: scratch(), verify });
    });
    // Warm, as a service: the set is tracked, requests read the cache only (parse, temporary folder, verify).
    const warmCache = scratch();
    const refresher = createCollateralRefresher({ services: { pcsUrl: pcs.url, cacheDir: warmCache }, clock: () => at, checkEveryMs: 1e9 });
    await refresher.verifyWith({ evidence: quote, kind: "tdx", now: at, verify: verifyLoaded });
    const fetchedBefore = pcs.requests.length;
    const warm = await timeAsync(() => refresher.verifyWith({ evidence: quote, kind: "tdx", now: at, verify: verifyLoaded }));
    refresher.close();
    const warmFetches = pcs.requests.length - fetchedBefore;
    // dcap-qvl: getCollateralAndVerify(quote, pccsUrl) is getCollateral(pccsUrl, quote) + verify(quote, collateral,
    // Date.now()); the sample's collateral expired long before today, so the two steps run with the sample's time.
    const seconds = Math.floor(at.getTime() / 1000);
    const buffer = Buffer.from(quote);
    const theirs = await timeAsync(async () => {
      dcapQvl.verify(buffer, await dcapQvl.getCollateral(pcs.url, buffer), seconds);
    });

    const load = await loadWithRefresh({ quote, at, pcsUrl: pcs.url, warmCache, loadSeconds, pcsRequests: () => pcs.requests.length });
    const standIn = "PCS stand-in on 127.0.0.1 serving the real dcap-qvl TDX v4 sample's collateral (4 items), verified as of the sample's time";
    return [
      { name: "collateral.tdx.first_verify_cold.p50", value: cold.p50, unit: "ms", anchor: `teezk: empty collateral cache and verification caches; 4 fetches, folder written, full DCAP verification, answers cached; ${standIn}; p50 of ${ROUNDS}` },
      { name: "collateral.tdx.first_verify_cold.p95", value: cold.p95, unit: "ms", anchor: `as collateral.tdx.first_verify_cold.p50` },
      { name: "collateral.tdx.warm_cache.p50", value: warm.p50, unit: "ms", anchor: `teezk service path (createCollateralRefresher.verifyWith, set tracked): the set held loaded in memory since it was last verified, no disk or network; full verification with warm signature caches; ${warmFetches} PCS requests in ${ROUNDS} calls; ${standIn}` },
      { name: "collateral.dcapqvl.get_and_verify.p50", value: theirs.p50, unit: "ms", anchor: `@phala/dcap-qvl getCollateral(standInUrl, quote) + verify(quote, collateral, sample time) = getCollateralAndVerify with a time (its own uses Date.now(), which the sample's collateral no longer covers); no cache, so every call fetches 4 URLs (its PCK CRL request says ca=processor for this platform-CA PCK; the stand-in answers it with the platform CRL); same stand-in, p50 of ${ROUNDS}` },
      { name: "collateral.tdx.cold_speedup_vs_dcapqvl", value: theirs.p50 / cold.p50, unit: "ratio", anchor: "dcap-qvl get+verify p50 ÷ teezk cold first-verify p50 (both fetch everything)" },
      { name: "collateral.tdx.warm_speedup_vs_dcapqvl", value: theirs.p50 / warm.p50, unit: "ratio", anchor: "dcap-qvl get+verify p50 ÷ teezk warm-cache p50 (dcap-qvl has no cache: it fetches every time)" },
      ...load,
    ];
  } finally {
    await pcs.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

async function timeAsync(fn: () => Promise<unknown>, { iterations = ROUNDS, warmup = 3 } = {}): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  const sorted = samples.sort((a, b) => a - b);
  const pick = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: pick(0.5), p95: pick(0.95) };
}

type LoadParameters = { quote: Uint8Array; at: Date; pcsUrl: string; warmCache: string; loadSeconds: number; pcsRequests: () => number };

/**
 * The same node twice under the same load (8 keep-alive connections from this process, the node in a child
 * process fetching from the stand-in here): once with its refresh timer effectively off, once refreshing every
 * ~0.5 s (jittered 0.25–0.75 s) with its clock inside the first item's refresh window, so every pass refetches
 * and re-verifies. Throughput with and without, and how many refreshes happened in the window.
 */
async function loadWithRefresh({ quote, at, pcsUrl, warmCache, loadSeconds, pcsRequests }: LoadParameters): Promise<BenchRow[]> {
  const cache = new CollateralCache(warmCache);
  const items = collateralRequests(quote, "tdx", { pcsUrl }).map((request) => request.parse(cache.read(request.key)!));
  const first = items.reduce((a, b) => (a.nextUpdate <= b.nextUpdate ? a : b));
  const inWindow = new Date(first.nextUpdate.getTime() - refreshMargin(first) / 2);
  const measurement = verifyEvidence({ evidence: quote, kind: "tdx", now: at, collateralDir: fixturePath(`${SAMPLE_ID}`) }).evidence.claims.measurement;
  const body = Buffer.from(JSON.stringify({ evidence: Buffer.from(quote).toString("base64") }));
  const loadBefore = loadavg()[0]!.toFixed(1);
  const run = async (checkEveryMs: number) => {
    const node = await startNode({ pcsUrl, cacheDir: warmCache, at: inWindow.toISOString(), measurement, checkEveryMs });
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    try {
      const target = new URL("/v1/verify", node.url);
      const common = { agent, target, body, concurrency: 8, expectedSigner: `"signer":"${node.address}"` };
      await driveVerifyLoad({ ...common, ms: 2_000, record: false });
      const before = pcsRequests();
      const measured = await driveVerifyLoad({ ...common, ms: loadSeconds * 1000, record: true });
      if (measured.firstError) process.stderr.write(`collateral load: first error: ${measured.firstError}\n`);
      return { throughput: (measured.latencies.length - measured.errors) / (measured.elapsedMs / 1000), errors: measured.errors, fetches: pcsRequests() - before };
    } finally {
      agent.destroy();
      await node.stop();
    }
  };
  const without = await run(1e9);
  const withRefresh = await run(500);
  const setup = `${loadSeconds} s, 8 keep-alive connections, verifier node (--fetch-collateral, no archive) in a child process, clock pinned inside the first item's refresh window, real TDX v4 sample, ${cpus().length} cores (1-min load ${loadBefore} before, ${loadavg()[0]!.toFixed(1)} after)`;
  return [
    { name: "collateral.verifier.throughput.no_refresh", value: round(without.throughput), unit: "ops/s", anchor: `${setup}; refresh timer off (${without.fetches} PCS requests)` },
    { name: "collateral.verifier.throughput.refreshing", value: round(withRefresh.throughput), unit: "ops/s", anchor: `${setup}; background refresh every ~0.5 s: ${withRefresh.fetches} PCS requests (each pass refetches the due item and re-verifies the set's evidence before caching)` },
    { name: "collateral.verifier.throughput_ratio", value: round(withRefresh.throughput / without.throughput), unit: "ratio", anchor: "refreshing ÷ no refresh, same node and load", target: "≥ 0.9" },
    { name: "collateral.verifier.errors", value: without.errors + withRefresh.errors, unit: "count", anchor: "answers not 200 / not appraised ok / not signed by the node, both runs", target: "0" },
  ];
}

async function startNode(config: { pcsUrl: string; cacheDir: string; at: string; measurement: string; checkEveryMs: number }): Promise<{ url: string; address: string; stop: () => Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", join(repo, "bench", "support", "collateralRefreshNode.ts"), JSON.stringify(config)], {
    cwd: repo,
    env: { ...process.env, TEEZK_BENCH_VERIFIER_KEY: generatePrivateKey(), NODE_NO_WARNINGS: "1" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = once(child, "exit");
  const [line] = (await Promise.race([once(createInterface({ input: child.stdout! }), "line"), exited.then(() => Promise.reject(new Error("the bench verifier node exited before it listened")))])) as [string];
  const listening = JSON.parse(line) as { url: string; address: string };
  return {
    ...listening,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await exited;
    },
  };
}

const round = (value: number) => Math.round(value * 100) / 100;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const row of await runCollateralBench(Number(process.env.TEEZK_BENCH_COLLATERAL_LOAD_SECONDS ?? 3))) process.stdout.write(`${row.name}\t${row.value} ${row.unit}\n`);
}
