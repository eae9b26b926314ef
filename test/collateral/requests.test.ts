import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { amdKdsRequests, CollateralCache, INTEL_ROOT_CA_CRL_URL, intelPcsRequests } from "../../src/collateral/index.js";
import { fixturePath } from "../../src/fixtures/fixturesDir.js";
import { getDevRoots, simulateDcapCollateral } from "../../src/tee/simulated/index.js";
import { decodeEvidenceInput } from "../../src/util/bytes.js";
import { runCli } from "../cli/support/runCli.js";
import { startStandIn, type StandIn } from "./support/standIn.js";
import { pcsDataFromSample, pcsHandler } from "./support/vendorStandIns.js";

const read = (path: string) => new Uint8Array(readFileSync(fixturePath(path)));

describe("requests derived from the evidence (issue 15)", () => {
  it("a TDX quote: TDX TCB info by the PCK leaf's FMSPC, TD_QE identity, the CRL of the CA that issued the leaf, the root CRL at Intel's distribution point", () => {
    const urls = intelPcsRequests(read("tdx/dcapqvl-v4-b0c06f/quote.bin"), {}).map((request) => request.url);
    expect(urls).toEqual([
      "https://api.trustedservices.intel.com/tdx/certification/v4/tcb?fmspc=b0c06f000000",
      "https://api.trustedservices.intel.com/tdx/certification/v4/qe/identity",
      "https://api.trustedservices.intel.com/sgx/certification/v4/pckcrl?ca=platform&encoding=der",
      INTEL_ROOT_CA_CRL_URL,
    ]);
  });

  it("an SGX quote whose PCK the Processor CA issued, through a PCCS: SGX paths, ca=processor, PCCS's rootcacrl", () => {
    const urls = intelPcsRequests(read("sgx/dcapqvl-v3-00a06711/quote.bin"), { pcsUrl: "https://pccs.example:8081/" }).map((request) => request.url);
    expect(urls).toEqual([
      "https://pccs.example:8081/sgx/certification/v4/tcb?fmspc=00a067110000",
      "https://pccs.example:8081/sgx/certification/v4/qe/identity",
      "https://pccs.example:8081/sgx/certification/v4/pckcrl?ca=processor&encoding=der",
      "https://pccs.example:8081/sgx/certification/v4/rootcacrl",
    ]);
  });

  it("a Milan v2 report: VCEK by the 64-byte CHIP_ID and the four SPLs, the ASK/ARK chain and the CRL", () => {
    const urls = amdKdsRequests(read("sev-snp/gosevguest-milan-vcek/report.bin"), {}).map((request) => request.url);
    expect(urls[0]).toMatch(/^https:\/\/kdsintf\.amd\.com\/vcek\/v1\/Milan\/[0-9a-f]{128}\?blSPL=2&teeSPL=0&snpSPL=5&ucodeSPL=68$/);
    expect(urls.slice(1)).toEqual(["https://kdsintf.amd.com/vcek/v1/Milan/cert_chain", "https://kdsintf.amd.com/vcek/v1/Milan/crl"]);
  });

  it("a Turin report: the 8-byte hardware id and fmcSPL, with TCB_VERSION read in Turin's layout", () => {
    const json = JSON.parse(readFileSync(fixturePath("sev-snp/trustee-azure-genoa-hcl/evidence.json"), "utf8")) as { report: number[] };
    const report = Uint8Array.from(json.report.slice(32, 1216));
    report[0x188] = 0x1a; // CPUID family 1Ah, model 00h: Turin
    report[0x189] = 0x00;
    report.set([1, 2, 3, 4, 0, 0, 0, 9], 0x180); // REPORTED_TCB, Turin: FMC, BL, TEE, SNP, 3 reserved, UCODE
    const [vcek, chain] = amdKdsRequests(report, {});
    const hwid = Buffer.from(report.subarray(0x1a0, 0x1a8)).toString("hex");
    expect(vcek!.url).toBe(`https://kdsintf.amd.com/vcek/v1/Turin/${hwid}?fmcSPL=1&blSPL=2&teeSPL=3&snpSPL=4&ucodeSPL=9`);
    expect(chain!.url).toBe("https://kdsintf.amd.com/vcek/v1/Turin/cert_chain");
  });

  it("a VLEK-signed report asks for the VLEK chain and CRL only (the KDS does not serve VLEKs)", () => {
    const urls = amdKdsRequests(read("sev-snp/trustee-milan-vlek/report.bin"), {}).map((request) => request.url);
    expect(urls).toEqual(["https://kdsintf.amd.com/vlek/v1/Milan/cert_chain", "https://kdsintf.amd.com/vlek/v1/Milan/crl"]);
  });
});

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

  it("decodes evidence the way verify does (hex quote files)", () => {
    const hex = readFileSync(fixturePath("tdx/dcapqvl-near-v4-20a06f/quote.hex"));
    const decoded = decodeEvidenceInput(new Uint8Array(hex), 1 << 22).bytes;
    expect(intelPcsRequests(decoded, {})[0]!.url).toContain("fmspc=20a06f000000");
  });
});

describe("answers in the other encodings services use (issue 15)", () => {
  it("a PCK CRL answered as PEM (PCS's default encoding) and a root CRL answered as hex text (older PCCS) verify the same", async () => {
    const SAMPLE = "tdx/dcapqvl-v4-b0c06f";
    const data = pcsDataFromSample(SAMPLE);
    const handler = pcsHandler(data);
    const standIn = await startStandIn(handler);
    try {
      const pem = handler("/sgx/certification/v4/pckcrl", new URLSearchParams("ca=platform"))!;
      expect(Buffer.from(pem.body).toString("latin1")).toContain("-----BEGIN X509 CRL-----");
      standIn.override("/sgx/certification/v4/pckcrl?ca=platform&encoding=der", pem);
      standIn.override("/sgx/certification/v4/rootcacrl", { status: 200, headers: { "content-type": "text/plain" }, body: new Uint8Array(Buffer.from(Buffer.from(data.rootCaCrl!).toString("hex"))) });
      const quote = fixturePath(`${SAMPLE}/quote.bin`);
      const fetched = await runCli(["verify", quote, "--at", "2025-06-20T12:00:00Z", "--json", "--pcs-url", standIn.url, "--cache-dir", mkdtempSync(join(tmpdir(), "teezk-cache-"))]);
      const report = JSON.parse(fetched.out) as { ok: boolean; checks: Record<string, string> };
      expect(report.ok).toBe(true);
      expect(report.checks.pckRevocation).toBe("passed");
      expect(report.checks.rootRevocation).toBe("passed");
    } finally {
      await standIn.close();
    }
  });
});
