import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fixturePath } from "../../src/fixtures/fixturesDir.js";
import { getDevRoots, simulateDcapCollateral } from "../../src/tee/simulated/index.js";
import { runCli } from "../cli/support/runCli.js";
import { amdName, generateKey, mintCrl } from "../support/pki.js";
import { ok, startStandIn, type StandIn } from "./support/standIn.js";
import { kdsDataFromFixtures, kdsHandler, pcsDataFromSample, pcsHandler, type PcsData } from "./support/vendorStandIns.js";

// The attack surface of issue 15: what the collateral service (or anything between it and the verifier) can do.
// Each case must end in a typed error or in a still-valid cached item, never a silent pass and never a hang.
const SAMPLE = "tdx/dcapqvl-v4-b0c06f";
const QUOTE = fixturePath(`${SAMPLE}/quote.bin`);
const AT = "2025-06-20T12:00:00Z";
const TCB_PATH = "/tdx/certification/v4/tcb?fmspc=b0c06f000000";
const QE_PATH = "/tdx/certification/v4/qe/identity";

const standIns: StandIn[] = [];
afterEach(async () => {
  await Promise.all(standIns.splice(0).map((standIn) => standIn.close()));
});

async function pcs(data: PcsData = pcsDataFromSample(SAMPLE)): Promise<StandIn> {
  const standIn = await startStandIn(pcsHandler(data));
  standIns.push(standIn);
  return standIn;
}

const freshCache = () => mkdtempSync(join(tmpdir(), "teezk-cache-"));

async function verify(quote: string, at: string, pcsUrl: string, cacheDir: string, ...extra: string[]) {
  const started = Date.now();
  const result = await runCli(["verify", quote, "--at", at, "--json", "--pcs-url", pcsUrl, "--cache-dir", cacheDir, ...extra]);
  return { ...result, report: JSON.parse(result.out) as Record<string, unknown>, ms: Date.now() - started };
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("collateral fetch failures (issue 15)", () => {
  it("service down: COLLATERAL_FETCH_FAILED naming the URL, nothing cached", async () => {
    const cacheDir = freshCache();
    const result = await verify(QUOTE, AT, `http://127.0.0.1:${await closedPort()}`, cacheDir);
    expect(result.code).toBe(1);
    expect(result.report).toMatchObject({ ok: false, code: "COLLATERAL_FETCH_FAILED", message: expect.stringContaining("http://127.0.0.1:") });
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it("slow service: COLLATERAL_FETCH_TIMEOUT after --fetch-timeout, not a hang", async () => {
    const standIn = await pcs();
    const answer = pcsHandler(pcsDataFromSample(SAMPLE))("/tdx/certification/v4/tcb", new URLSearchParams("fmspc=b0c06f000000"))!;
    standIn.override(TCB_PATH, { ...answer, delayMs: 30_000 });
    const result = await verify(QUOTE, AT, standIn.url, freshCache(), "--fetch-timeout", "300");
    expect(result.report).toMatchObject({ ok: false, code: "COLLATERAL_FETCH_TIMEOUT", message: expect.stringContaining(TCB_PATH) });
    expect(result.ms).toBeLessThan(5_000);
  });

  it("one item failing abandons its slow siblings at once instead of leaving them to their deadline", async () => {
    const data = pcsDataFromSample(SAMPLE);
    const standIn = await pcs({ ...data, qeIdentities: {} });
    const answer = pcsHandler(data)("/tdx/certification/v4/tcb", new URLSearchParams("fmspc=b0c06f000000"))!;
    standIn.override(TCB_PATH, { ...answer, delayMs: 30_000 });
    const result = await verify(QUOTE, AT, standIn.url, freshCache());
    expect(result.report).toMatchObject({ ok: false, code: "COLLATERAL_FETCH_FAILED", message: expect.stringContaining("qe/identity answered HTTP 404") });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(standIn.abandoned).toContain(TCB_PATH);
  });

  it("404 for the platform's FMSPC: COLLATERAL_FETCH_FAILED with the status", async () => {
    const data = pcsDataFromSample(SAMPLE);
    const standIn = await pcs({ ...data, tcbInfos: [] });
    const result = await verify(QUOTE, AT, standIn.url, freshCache());
    expect(result.report).toMatchObject({ ok: false, code: "COLLATERAL_FETCH_FAILED", message: expect.stringMatching(/tcb\?fmspc=b0c06f000000 answered HTTP 404/) });
  });

  it("TCB info and QE identity signed under another root (the simulated dev root): ROOT_NOT_TRUSTED, and nothing is cached", async () => {
    const devRoots = getDevRoots({ dir: join(mkdtempSync(join(tmpdir(), "teezk-devroots-")), "dev-roots") });
    const forged = simulateDcapCollateral({ kind: "tdx", devRoots, now: new Date(AT) });
    const standIn = await pcs();
    for (const [path, member, item] of [
      [TCB_PATH, "tcbInfo", forged.tcbInfo!],
      [QE_PATH, "enclaveIdentity", forged.qeIdentity!],
    ] as const) {
      const body = `{"${member}":${Buffer.from(item.signedBytes).toString("utf8")},"signature":"${Buffer.from(item.signature).toString("hex")}"}`;
      const chain = encodeURIComponent(item.issuerChain!.map((cert) => cert.toString()).join(""));
      standIn.override(path, ok(body, "application/json", { [member === "tcbInfo" ? "TCB-Info-Issuer-Chain" : "SGX-Enclave-Identity-Issuer-Chain"]: chain }));
    }
    const cacheDir = freshCache();
    const result = await verify(QUOTE, AT, standIn.url, cacheDir);
    expect(result.code).toBe(1);
    expect(result.report).toMatchObject({ ok: false, code: "ROOT_NOT_TRUSTED" });
    expect(readdirSync(cacheDir)).toEqual([]);
    // `collateral fetch` leaves no folder behind for a later --collateral to pick up.
    const out = join(mkdtempSync(join(tmpdir(), "teezk-out-")), "collateral");
    const fetch = await runCli(["collateral", "fetch", QUOTE, "--out", out, "--at", AT, "--pcs-url", standIn.url, "--cache-dir", cacheDir, "--json"]);
    expect(JSON.parse(fetch.out)).toMatchObject({ ok: false, code: "ROOT_NOT_TRUSTED" });
    expect(existsSync(out)).toBe(false);
  });

  it("truncated body (connection dropped mid-body): COLLATERAL_FETCH_FAILED; a body cut short but announced so: COLLATERAL_INVALID", async () => {
    const standIn = await pcs();
    const answer = pcsHandler(pcsDataFromSample(SAMPLE))("/tdx/certification/v4/tcb", new URLSearchParams("fmspc=b0c06f000000"))!;
    standIn.override(TCB_PATH, { ...answer, truncateAt: 100 });
    const dropped = await verify(QUOTE, AT, standIn.url, freshCache());
    expect(dropped.report).toMatchObject({ ok: false, code: "COLLATERAL_FETCH_FAILED" });
    standIn.override(TCB_PATH, { ...answer, body: answer.body.subarray(0, 100) });
    const cut = await verify(QUOTE, AT, standIn.url, freshCache());
    expect(cut.report).toMatchObject({ ok: false, code: "COLLATERAL_INVALID" });
  });

  it("a body over the size cap: COLLATERAL_FETCH_FAILED before it is read whole", async () => {
    const standIn = await pcs();
    standIn.override(TCB_PATH, ok(new Uint8Array(2 << 20).fill(0x20), "application/json"));
    const result = await verify(QUOTE, AT, standIn.url, freshCache());
    expect(result.report).toMatchObject({ ok: false, code: "COLLATERAL_FETCH_FAILED", message: expect.stringContaining("cap") });
  });

  it("offline with an empty cache: COLLATERAL_UNAVAILABLE_OFFLINE listing every missing item, and no request", async () => {
    const standIn = await pcs();
    const result = await verify(QUOTE, AT, standIn.url, freshCache(), "--offline");
    expect(result.report).toMatchObject({ ok: false, code: "COLLATERAL_UNAVAILABLE_OFFLINE" });
    for (const name of ["TDX TCB info (FMSPC b0c06f000000)", "TD_QE identity", "PCK platform CA CRL", "Intel SGX Root CA CRL"]) {
      expect(result.report.message).toContain(name);
    }
    expect(standIn.requests).toEqual([]);
  });
});

describe("collateral cache: refresh, fallback and rollback (issue 15)", () => {
  const NEAR = "tdx/dcapqvl-near-v4-20a06f";
  const NEAR_QUOTE = fixturePath(`${NEAR}/quote.hex`);

  it("a refresh that fails keeps serving the cached item while it is valid, and refuses once it is stale", async () => {
    const standIn = await pcs(pcsDataFromSample(NEAR));
    const cacheDir = freshCache();
    expect((await verify(NEAR_QUOTE, "2025-09-03T12:00:00Z", standIn.url, cacheDir)).code).toBe(0);
    const down = `http://127.0.0.1:${await closedPort()}`;
    // Oct 1 12:00: inside every item's last day (refresh due), still before its nextUpdate.
    const fallback = await verify(NEAR_QUOTE, "2025-10-01T12:00:00Z", down, cacheDir);
    expect(fallback.code, fallback.out).toBe(0);
    const sources = fallback.report.collateralSources as { source: string; refreshError?: string }[];
    expect(sources.filter((item) => item.source === "cache-after-failed-refresh").length).toBeGreaterThan(0);
    expect(sources.every((item) => item.source !== "fetched")).toBe(true);
    // Oct 2 08:00: the TCB info, QE identity and PCK CRL are past nextUpdate; the failed refresh is the answer.
    const stale = await verify(NEAR_QUOTE, "2025-10-02T08:00:00Z", down, cacheDir);
    expect(stale.report).toMatchObject({ ok: false, code: "COLLATERAL_FETCH_FAILED" });
  });

  it("a service answering an older QE identity than the cached one: the cached one while valid, COLLATERAL_ROLLBACK after", async () => {
    const near = pcsDataFromSample(NEAR);
    const standIn = await pcs(near);
    const cacheDir = freshCache();
    expect((await verify(NEAR_QUOTE, "2025-09-03T12:00:00Z", standIn.url, cacheDir)).code).toBe(0);
    // The service now serves June's TD_QE identity (real, Intel-signed, superseded by September's).
    const older = await pcs({ ...near, qeIdentities: pcsDataFromSample(SAMPLE).qeIdentities });
    const kept = await verify(NEAR_QUOTE, "2025-10-01T12:00:00Z", older.url, cacheDir);
    expect(kept.code, kept.out).toBe(0);
    expect(kept.report.collateralSources).toContainEqual(expect.objectContaining({ name: "TD_QE identity", source: "cache-after-rollback", refreshError: "COLLATERAL_ROLLBACK" }));
    const refused = await verify(NEAR_QUOTE, "2025-10-02T08:00:00Z", older.url, cacheDir);
    expect(refused.report).toMatchObject({ ok: false, code: "COLLATERAL_ROLLBACK" });
  });
});

describe("AMD KDS failures (issue 15)", () => {
  it("an ARK CRL signed by another key under AMD's name: a typed refusal, and nothing is cached", async () => {
    const data = kdsDataFromFixtures();
    data.crls["vcek/Milan"] = mintCrl({
      issuer: { name: amdName("ARK-Milan"), privateKey: generateKey("RSA").privateKey },
      thisUpdate: new Date("2023-12-01T00:00:00Z"),
      nextUpdate: new Date("2024-06-01T00:00:00Z"),
    });
    const standIn = await startStandIn(kdsHandler(data));
    standIns.push(standIn);
    const cacheDir = freshCache();
    const result = await runCli(["verify", fixturePath("sev-snp/gosevguest-milan-vcek/report.bin"), "--at", "2024-01-01T00:00:00Z", "--json", "--kds-url", standIn.url, "--cache-dir", cacheDir]);
    expect(result.code).toBe(1);
    expect(["SIGNATURE_INVALID", "CRL_INVALID"]).toContain((JSON.parse(result.out) as { code: string }).code);
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it("no CRL at the KDS (404) while one is required: COLLATERAL_FETCH_FAILED", async () => {
    const standIn = await startStandIn(kdsHandler(kdsDataFromFixtures()));
    standIns.push(standIn);
    const result = await runCli(["verify", fixturePath("sev-snp/trustee-milan-vcek/report.bin"), "--at", "2024-01-01T00:00:00Z", "--json", "--kds-url", standIn.url, "--cache-dir", freshCache()]);
    expect(JSON.parse(result.out)).toMatchObject({ ok: false, code: "COLLATERAL_FETCH_FAILED", message: expect.stringContaining("/vcek/v1/Milan/crl answered HTTP 404") });
  });
});
