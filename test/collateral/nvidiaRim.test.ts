import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { nvidiaRimRequests } from "../../src/collateral/index.js";
import { fixturePath } from "../../src/fixtures/fixturesDir.js";
import { devRootPin, getDevRoots, simulateGpuReport, simulateGpuRim, simulateGpuRims } from "../../src/tee/simulated/index.js";
import { runCli } from "../cli/support/runCli.js";
import { ok, startStandIn, type StandIn, type StandInAnswer } from "./support/standIn.js";

const BINDING = `0x${"5c".repeat(32)}` as const;
const AT = new Date().toISOString();
const devRoots = getDevRoots();
const pin = devRootPin(devRoots, "nvidia").sha256;

/** Simulated JSON GPU evidence (chain embedded) and the RIMs NVIDIA would publish for its firmware. */
function gpu(registers: Record<string, `0x${string}`> = {}) {
  const { report, certificateChain } = simulateGpuReport({ binding: BINDING, devRoots, registers });
  const pem = certificateChain.map((cert) => cert.toString()).join("");
  const document = [{ arch: "HOPPER", nonce: BINDING.slice(2), evidence: Buffer.from(report).toString("base64"), certificate: Buffer.from(pem).toString("base64") }];
  const file = join(mkdtempSync(join(tmpdir(), "teezk-gpu-")), "gpu.json");
  writeFileSync(file, JSON.stringify(document));
  return { file, report, rims: simulateGpuRims({ devRoots, report }) };
}

/** NVIDIA's RIM service: GET /v1/rim/<id> → application/json `{ id, rim: base64, sha256 }`; unknown ids 404. */
function rimService(rims: Record<string, Uint8Array>) {
  return (path: string): StandInAnswer | undefined => {
    const id = /^\/v1\/rim\/([^/]+)$/.exec(path)?.[1];
    const rim = id ? rims[id] : undefined;
    if (!id || !rim) return undefined;
    const sha256 = createHash("sha256").update(rim).digest("hex");
    return ok(JSON.stringify({ id, rim: Buffer.from(rim).toString("base64"), sha256 }), "application/json");
  };
}

const standIns: StandIn[] = [];
afterEach(async () => {
  await Promise.all(standIns.splice(0).map((standIn) => standIn.close()));
});
async function serve(rims: Record<string, Uint8Array>) {
  const standIn = await startStandIn(rimService(rims));
  standIns.push(standIn);
  return standIn;
}

async function verifyGpu(file: string, url: string, cacheDir: string, ...extra: string[]) {
  const result = await runCli(["verify", file, "--type", "nvidia", "--at", AT, "--json", "--trust-root", pin, "--nvidia-rim-url", url, "--cache-dir", cacheDir, ...extra]);
  return { ...result, report: JSON.parse(result.out) as { ok: boolean; code?: string; checks?: Record<string, string>; collateralSources: { name: string; source: string }[] } };
}

describe("NVIDIA RIM service fetcher (issue 15 item 4)", () => {
  it("derives the driver and VBIOS RIM ids from the real hopper report, as NVIDIA's verifier names them", () => {
    const hex = readFileSync(fixturePath("nvidia-gpu/nvtrust-hopper-sample/attestation-report.hex"), "utf8").trim();
    const urls = nvidiaRimRequests(new Uint8Array(Buffer.from(hex, "hex")), {}).map((request) => request.url);
    expect(urls).toEqual([
      "https://rim.attestation.nvidia.com/v1/rim/NV_GPU_DRIVER_GH100_550.90.07",
      "https://rim.attestation.nvidia.com/v1/rim/NV_GPU_VBIOS_1010_0200_882_96009F0001",
    ]);
    const ppcie = readFileSync(fixturePath("nvidia-gpu/nvtrust-ppcie-8xh100/gpu_evidence.json"));
    expect(nvidiaRimRequests(new Uint8Array(ppcie), { nvidiaRimUrl: "http://127.0.0.1:1/" }).map((request) => request.key)).toEqual([
      "nvidia:/v1/rim/NV_GPU_DRIVER_GH100_590.12",
      "nvidia:/v1/rim/NV_GPU_VBIOS_G520_0200_885_9600A50001",
    ]);
  });

  it("fetches both RIMs from the stand-in, verifies them (checks.rim passed), caches them; --offline then uses the cache", async () => {
    const { file, rims } = gpu();
    const standIn = await serve(rims);
    const cacheDir = mkdtempSync(join(tmpdir(), "teezk-cache-"));
    const first = await verifyGpu(file, standIn.url, cacheDir);
    expect(first.report).toMatchObject({ ok: true, checks: { rim: "passed", signature: "passed" } });
    expect(first.report.collateralSources.map((item) => item.source)).toEqual(["fetched", "fetched"]);
    expect(standIn.requests.sort()).toEqual(Object.keys(rims).map((id) => `/v1/rim/${id}`).sort());
    expect(readdirSync(cacheDir)).toHaveLength(2);
    const offline = await verifyGpu(file, standIn.url, cacheDir, "--offline");
    expect(offline.report).toMatchObject({ ok: true, checks: { rim: "passed" } });
    expect(standIn.requests).toHaveLength(2);
  });

  it("a RIM whose golden value differs from the report's block: RIM_MISMATCH, nothing cached", async () => {
    const { file, report, rims } = gpu();
    const other = gpu({ measurement1: `0x${"77".repeat(48)}` });
    const vbiosId = Object.keys(rims).find((id) => id.startsWith("NV_GPU_VBIOS_"))!;
    expect(Object.keys(other.rims)).toContain(vbiosId);
    const standIn = await serve({ ...rims, [vbiosId]: other.rims[vbiosId]! });
    const cacheDir = mkdtempSync(join(tmpdir(), "teezk-cache-"));
    const result = await verifyGpu(file, standIn.url, cacheDir);
    expect(result.code).toBe(1);
    expect(result.report).toMatchObject({ ok: false, code: "RIM_MISMATCH" });
    expect(readdirSync(cacheDir)).toEqual([]);
    expect(report.length).toBeGreaterThan(0);
  });

  it("a RIM signed under a root nobody pinned: ROOT_NOT_TRUSTED; an unknown id: 404 → COLLATERAL_FETCH_FAILED; another id's answer: COLLATERAL_INVALID", async () => {
    const { file, rims } = gpu();
    const [driverId, vbiosId] = Object.keys(rims) as [string, string];
    const stranger = getDevRoots({ dir: mkdtempSync(join(tmpdir(), "teezk-other-roots-")) });
    const foreign = simulateGpuRim({ devRoots: stranger, version: "550.54.15", measurements: [] });
    const cacheDir = mkdtempSync(join(tmpdir(), "teezk-cache-"));
    const signedElsewhere = await serve({ ...rims, [driverId]: foreign });
    expect((await verifyGpu(file, signedElsewhere.url, cacheDir)).report).toMatchObject({ ok: false, code: "ROOT_NOT_TRUSTED" });
    const missing = await serve({ [vbiosId]: rims[vbiosId]! });
    expect((await verifyGpu(file, missing.url, cacheDir)).report).toMatchObject({ ok: false, code: "COLLATERAL_FETCH_FAILED" });
    const swapped = await startStandIn((path) => rimService(rims)(path.replace(driverId, vbiosId)));
    standIns.push(swapped);
    expect((await verifyGpu(file, swapped.url, cacheDir)).report).toMatchObject({ ok: false, code: "COLLATERAL_INVALID" });
    expect(readdirSync(cacheDir)).toEqual([]);
  });
});
