import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CollateralCache } from "../../src/collateral/index.js";
import { fixturePath } from "../../src/fixtures/fixturesDir.js";
import { getDevRoots, simulateDcapCollateral } from "../../src/tee/simulated/index.js";
import { runCli } from "../cli/support/runCli.js";
import { startStandIn, type StandIn } from "./support/standIn.js";
import { pcsDataFromSample, pcsHandler } from "./support/vendorStandIns.js";

describe("the collateral cache is not trusted (issue 15)", () => {
  const SAMPLE = "tdx/dcapqvl-v4-b0c06f";
  const AT = "2025-06-20T12:00:00Z";
  let standIn: StandIn | undefined;
  afterEach(async () => {
    await standIn?.close();
    standIn = undefined;
  });

  it("cache entries holding TCB info and QE identity signed under another root is refused on use (ROOT_NOT_TRUSTED), never served as verified", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "teezk-cache-"));
    standIn = await startStandIn(pcsHandler(pcsDataFromSample(SAMPLE)));
    const quote = fixturePath(`${SAMPLE}/quote.bin`);
    expect((await runCli(["verify", quote, "--at", AT, "--json", "--pcs-url", standIn.url, "--cache-dir", cacheDir])).code).toBe(0);
    const devRoots = getDevRoots({ dir: join(mkdtempSync(join(tmpdir(), "teezk-devroots-")), "dev-roots") });
    const forged = simulateDcapCollateral({ kind: "tdx", devRoots, now: new Date(AT) });
    const chain = encodeURIComponent(forged.tcbInfo!.issuerChain!.map((cert) => cert.toString()).join(""));
    const entries = [
      ["intel:/tdx/certification/v4/tcb?fmspc=b0c06f000000", "tcbInfo", forged.tcbInfo!, "tcb-info-issuer-chain"],
      ["intel:/tdx/certification/v4/qe/identity", "enclaveIdentity", forged.qeIdentity!, "sgx-enclave-identity-issuer-chain"],
    ] as const;
    for (const [key, member, item, header] of entries) {
      const body = `{"${member}":${Buffer.from(item.signedBytes).toString("utf8")},"signature":"${Buffer.from(item.signature).toString("hex")}"}`;
      new CollateralCache(cacheDir).write(key, { body: new Uint8Array(Buffer.from(body)), headers: { [header]: chain } }, new Date());
    }
    const result = await runCli(["verify", quote, "--at", AT, "--json", "--offline", "--cache-dir", cacheDir]);
    expect(JSON.parse(result.out)).toMatchObject({ ok: false, code: "ROOT_NOT_TRUSTED" });
  });

  it("a damaged cache entry reads as absent: offline it is reported missing, online it is fetched again", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "teezk-cache-"));
    standIn = await startStandIn(pcsHandler(pcsDataFromSample(SAMPLE)));
    const quote = fixturePath(`${SAMPLE}/quote.bin`);
    expect((await runCli(["verify", quote, "--at", AT, "--json", "--pcs-url", standIn.url, "--cache-dir", cacheDir])).code).toBe(0);
    const key = "intel:/tdx/certification/v4/qe/identity";
    const file = join(cacheDir, `${createHash("sha256").update(key).digest("hex")}.json`);
    expect(readdirSync(cacheDir)).toContain(`${createHash("sha256").update(key).digest("hex")}.json`);
    writeFileSync(file, "{not json");
    const offline = await runCli(["verify", quote, "--at", AT, "--json", "--offline", "--cache-dir", cacheDir]);
    expect(JSON.parse(offline.out)).toMatchObject({ ok: false, code: "COLLATERAL_UNAVAILABLE_OFFLINE", message: expect.stringContaining("TD_QE identity") });
    const online = await runCli(["verify", quote, "--at", AT, "--json", "--pcs-url", standIn.url, "--cache-dir", cacheDir]);
    expect(JSON.parse(online.out)).toMatchObject({ ok: true });
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ key });
  });
});
