import { mkdtempSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterEach, describe, expect, it } from "vitest";
import { generateHpkeKeyPair } from "../../src/channel/index.js";
import { serveApp, type ServeAppReturnType } from "../../src/services/http/index.js";
import { createKeyReleaseService, requestKeyRelease, type KeyReleaseService } from "../../src/services/keys/index.js";
import { devRootPin, getDevRoots, simulateDcapCollateral, simulateDcapQuote } from "../../src/tee/simulated/index.js";
import { devReferenceValues } from "../services/proverSupport.js";
import { rejection } from "../support/rejection.js";
import { startStandIn, type StandIn } from "./support/standIn.js";
import { pcsDataFromSimulated, pcsHandler } from "./support/vendorStandIns.js";

const DAY_MS = 86_400_000;
const devRoots = getDevRoots();

describe("the key-release service keeps fetched collateral fresh in the background (issue 15)", () => {
  const opened: (StandIn | ServeAppReturnType | KeyReleaseService)[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((item) => item.close()));
  });

  it("a simulated TDX enclave gets its key with collateral from the PCS; with the PCS down it still does until nextUpdate, then COLLATERAL_STALE", async () => {
    const issuedAt = Date.now();
    // simulateDcapCollateral: current from a day before `now` to 30 days after it (a one-day refresh margin).
    const nextUpdate = issuedAt + 30 * DAY_MS;
    const pcs = await startStandIn(pcsHandler(pcsDataFromSimulated(simulateDcapCollateral({ kind: "tdx", devRoots, now: new Date(issuedAt) }), devRoots)));
    let time = issuedAt;
    const service = createKeyReleaseService({
      keys: [{ id: "witness-store", material: new Uint8Array(randomBytes(32)), referenceValues: devReferenceValues(["tdx"]) }],
      extraTrustedRoots: [devRootPin(devRoots, "tdx")],
      collateralServices: { pcsUrl: pcs.url, cacheDir: mkdtempSync(join(tmpdir(), "teezk-keys-cache-")) },
      collateralRefresh: { random: () => 0.5 },
      clock: () => new Date(time),
    });
    const server = await serveApp(service.app);
    opened.push(pcs, server, service);
    const enclave = { enclaveAddress: privateKeyToAccount(generatePrivateKey()).address, keyPair: await generateHpkeKeyPair() };
    const release = () =>
      requestKeyRelease(server.url, { keyId: "witness-store", ...enclave, attest: (binding) => ({ kind: "tdx", evidence: toHex(simulateDcapQuote({ kind: "tdx", binding, devRoots })) }) });

    expect((await release()).key).toHaveLength(32);
    const fetched = pcs.requests.length;
    expect(fetched).toBe(4);
    await pcs.close();
    time = nextUpdate - DAY_MS / 2;
    expect((await service.refreshCollateral()).failed.map((failure) => failure.code)).toEqual(["COLLATERAL_FETCH_FAILED"]);
    expect((await release()).key).toHaveLength(32);
    time = nextUpdate;
    const refused = await rejection(release());
    expect(refused.code).toBe("KEY_RELEASE_REFUSED");
    expect(refused.details).toMatch(/^COLLATERAL_STALE/);
  });
});
