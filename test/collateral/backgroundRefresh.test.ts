import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterEach, describe, expect, it } from "vitest";
import { CollateralCache, collateralRequests, refreshMargin } from "../../src/collateral/index.js";
import { serveApp, type ServeAppReturnType } from "../../src/services/http/index.js";
import { createVerifierNode, requestVerdict, type VerifierNode } from "../../src/services/verifier/index.js";
import { rejection } from "../support/rejection.js";
import { ok, startStandIn, type StandIn } from "./support/standIn.js";
import { committee, referenceValues, tdxQuote, tdxSample } from "./support/tdxService.js";
import { pcsDataFromSample, pcsHandler } from "./support/vendorStandIns.js";

/** The cached item that expires first: when requests' own refresh margin for it begins, and its nextUpdate. */
function firstToExpire(cacheDir: string, pcsUrl: string): { marginStart: number; nextUpdate: number; margin: number } {
  const cache = new CollateralCache(cacheDir);
  const items = collateralRequests(tdxQuote, "tdx", { pcsUrl }).map((request) => request.parse(cache.read(request.key)!));
  const first = items.reduce((a, b) => (a.nextUpdate <= b.nextUpdate ? a : b));
  const margin = refreshMargin(first);
  return { marginStart: first.nextUpdate.getTime() - margin, nextUpdate: first.nextUpdate.getTime(), margin };
}

describe("a verifier node keeps fetched collateral fresh in the background (issue 15)", () => {
  const opened: (StandIn | ServeAppReturnType | VerifierNode)[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((item) => item.close()));
  });

  async function start(collateralRefresh: { checkEveryMs?: number } = {}) {
    const pcs = await startStandIn(pcsHandler(pcsDataFromSample(tdxSample.id)));
    const cacheDir = mkdtempSync(join(tmpdir(), "teezk-cache-"));
    let time = new Date(tdxSample.at!).getTime();
    const node = createVerifierNode({
      account: privateKeyToAccount(generatePrivateKey()),
      committee,
      referenceValues,
      collateralServices: { pcsUrl: pcs.url, cacheDir },
      clock: () => new Date(time),
      // Refresh at the earliest point (twice the margin before nextUpdate), so the test knows when it is due.
      collateralRefresh: { random: () => 0.999, ...collateralRefresh },
    });
    const server = await serveApp(node.app, { port: 0 });
    opened.push(pcs, server, node);
    // Cold cache: the first request fetches inline.
    expect((await requestVerdict(server.url, { evidence: tdxQuote })).appraisal.ok).toBe(true);
    return { pcs, node, url: server.url, window: firstToExpire(cacheDir, pcs.url), setTime: (at: number) => (time = at) };
  }

  it("a request inside the refresh margin is served from the cache without reaching the PCS; the background pass refreshes", async () => {
    const { pcs, node, url, window, setTime } = await start();
    setTime(window.marginStart + window.margin / 2);
    const before = pcs.requests.length;
    expect((await requestVerdict(url, { evidence: tdxQuote })).appraisal.ok).toBe(true);
    expect(pcs.requests.length).toBe(before);
    const report = await node.refreshCollateral();
    expect(report).toMatchObject({ due: 1, failed: [] });
    expect(report.refreshed).toBeGreaterThan(0);
    expect(pcs.requests.length).toBeGreaterThan(before);
  });

  it("a background pass starts before the requests' margin, and two passes at once are one", async () => {
    const { pcs, node, window, setTime } = await start();
    setTime(window.marginStart - window.margin / 10);
    const before = pcs.requests.length;
    const [first, second] = [node.refreshCollateral(), node.refreshCollateral()];
    expect(first).toBe(second);
    expect((await first).due).toBe(1);
    const fetched = pcs.requests.length - before;
    expect(fetched).toBeGreaterThan(0);
    setTime(window.marginStart - 2 * window.margin - 1);
    expect((await node.refreshCollateral()).due).toBe(0);
    // A pass with nothing due does not block the next one.
    setTime(window.marginStart);
    expect((await node.refreshCollateral()).due).toBe(1);
  });

  it("a failing refresh keeps serving valid cache, then refuses with COLLATERAL_STALE at nextUpdate (never stale)", async () => {
    const { pcs, node, url, window, setTime } = await start();
    await pcs.close();
    setTime(window.marginStart + window.margin / 2);
    const report = await node.refreshCollateral();
    expect(report.failed.map((failure) => failure.code)).toEqual(["COLLATERAL_FETCH_FAILED"]);
    expect((await requestVerdict(url, { evidence: tdxQuote })).appraisal.ok).toBe(true);
    setTime(window.nextUpdate);
    const refused = await rejection(requestVerdict(url, { evidence: tdxQuote }));
    expect(refused.code).toBe("COLLATERAL_STALE");
    expect(refused.details).toMatch(/COLLATERAL_FETCH_FAILED/);
  });

  it("a refresh answered with a tampered TCB info is not cached or used: the verified set keeps serving", async () => {
    const { pcs, node, url, window, setTime } = await start();
    const tcbPath = pcs.requests.find((path) => path.startsWith("/tdx/certification/v4/tcb?"))!;
    const genuine = pcsDataFromSample(tdxSample.id).tcbInfos[0]!;
    const body = JSON.parse(genuine.body) as { tcbInfo: Record<string, unknown>; signature: string };
    // Newer on its face (so not a rollback), but its signature no longer covers it.
    const tampered = genuine.body.replace(`"issueDate":"${String(body.tcbInfo.issueDate)}"`, `"issueDate":"${new Date(window.marginStart).toISOString()}"`);
    expect(tampered).not.toBe(genuine.body);
    pcs.override(tcbPath, ok(tampered, "application/json", { "TCB-Info-Issuer-Chain": encodeURIComponent(genuine.chainPem) }));
    setTime(window.marginStart + window.margin / 2);
    const report = await node.refreshCollateral();
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0]!.code).toBe("SIGNATURE_INVALID");
    expect((await requestVerdict(url, { evidence: tdxQuote })).appraisal.ok).toBe(true);
  });

  it("the jittered timer runs passes by itself and stops on close", async () => {
    const { pcs, node, window, setTime } = await start({ checkEveryMs: 4 });
    const before = pcs.requests.length;
    setTime(window.marginStart);
    await waitUntil(() => pcs.requests.length > before);
    node.close();
    // Let a pass in flight finish (joined; with nothing due no new pass fetches), then make every pass due again:
    // a timer still running would fetch within ~3 of its 4 ms periods.
    setTime(window.marginStart - 3 * window.margin);
    await node.refreshCollateral();
    setTime(window.marginStart);
    const closedAt = pcs.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 12));
    expect(pcs.requests.length).toBe(closedAt);
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
