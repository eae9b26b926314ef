import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterEach, describe, expect, it } from "vitest";
import { serveApp, type ServeAppReturnType } from "../../src/services/http/index.js";
import { createVerifierNode, requestVerdict } from "../../src/services/verifier/index.js";
import { rejection } from "../support/rejection.js";
import { collateralServicesOf } from "../../src/cli/commands/serve/serveSupport.js";
import { sampleCollateral } from "../services/support/realEvidence.js";
import { startStandIn, type StandIn } from "./support/standIn.js";
import { committee, referenceValues, tdxQuote, tdxSample } from "./support/tdxService.js";
import { pcsDataFromSample, pcsHandler } from "./support/vendorStandIns.js";

describe("verifier node fetching its collateral (issue 15)", () => {
  const opened: (StandIn | ServeAppReturnType)[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((item) => item.close()));
  });

  async function node(collateralServices: Parameters<typeof createVerifierNode>[0]["collateralServices"], folder = false) {
    const verifier = createVerifierNode({
      account: privateKeyToAccount(generatePrivateKey()),
      committee,
      referenceValues,
      allowRequestTime: true,
      ...(collateralServices ? { collateralServices } : {}),
      ...(folder ? { collateral: { tdx: sampleCollateral(tdxSample) } } : {}),
    });
    const server = await serveApp(verifier.app, { port: 0 });
    opened.push(server);
    return server;
  }

  it("without a folder it fetches from the PCS, caches, and signs the same claims as a node with the folder", async () => {
    const pcs = await startStandIn(pcsHandler(pcsDataFromSample(tdxSample.id)));
    opened.push(pcs);
    const cacheDir = mkdtempSync(join(tmpdir(), "teezk-cache-"));
    const fetching = await node({ pcsUrl: pcs.url, cacheDir });
    const withFolder = await node(undefined, true);
    const fetched = await requestVerdict(fetching.url, { evidence: tdxQuote, at: tdxSample.at, committee });
    const expected = await requestVerdict(withFolder.url, { evidence: tdxQuote, at: tdxSample.at, committee });
    expect(fetched.appraisal.ok).toBe(true);
    expect(fetched.claimsHash).toBe(expected.claimsHash);
    expect(readdirSync(cacheDir)).toHaveLength(4);
    // The next request is served from the cache: no new request reaches the PCS.
    const before = pcs.requests.length;
    await requestVerdict(fetching.url, { evidence: tdxQuote, at: tdxSample.at, committee });
    expect(pcs.requests.length).toBe(before);
  });

  it("a node whose PCS is down refuses with COLLATERAL_FETCH_FAILED rather than verifying without collateral", async () => {
    const pcs = await startStandIn(() => undefined);
    opened.push(pcs);
    const fetching = await node({ pcsUrl: pcs.url, cacheDir: mkdtempSync(join(tmpdir(), "teezk-cache-")) });
    expect((await rejection(requestVerdict(fetching.url, { evidence: tdxQuote, at: tdxSample.at }))).code).toBe("COLLATERAL_FETCH_FAILED");
  });
});

describe("serve flags for fetching collateral", () => {
  it("--pcs-url, --kds-url and --cache-dir mean nothing without --fetch-collateral, and say so", () => {
    expect(() => collateralServicesOf({ pcsUrl: "http://127.0.0.1:1" })).toThrow(/need --fetch-collateral/);
    expect(collateralServicesOf({})).toBeUndefined();
    expect(collateralServicesOf({ fetchCollateral: true, pcsUrl: "http://127.0.0.1:1", cacheDir: "/tmp/c" })).toEqual({ pcsUrl: "http://127.0.0.1:1", cacheDir: "/tmp/c" });
  });
});
