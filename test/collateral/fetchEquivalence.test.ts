import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixturePath } from "../../src/fixtures/fixturesDir.js";
import { runCli } from "../cli/support/runCli.js";
import { startStandIn, type StandIn } from "./support/standIn.js";
import { kdsDataFromFixtures, kdsHandler, pcsDataFromSample, pcsHandler } from "./support/vendorStandIns.js";

/** Every real DCAP sample with complete collateral (fixtures README, "Complete"), and a time inside its window. */
const DCAP_SAMPLES = [
  { sample: "tdx/dcapqvl-v4-b0c06f", evidence: "quote.bin", at: "2025-06-20T12:00:00Z" },
  { sample: "tdx/dcapqvl-near-v4-20a06f", evidence: "quote.hex", at: "2025-09-03T12:00:00Z" },
  { sample: "sgx/dcapqvl-v3-00a06711", evidence: "quote.bin", at: "2025-06-20T12:00:00Z" },
  { sample: "tdx/automata-v4-00806f05", evidence: "quote.bin", at: "2025-07-08T12:00:00Z" },
] as const;

/** The real SEV-SNP samples whose signer the KDS serves (VCEKs), at times inside the VCEK windows. */
const SNP_SAMPLES = [
  { sample: "sev-snp/gosevguest-milan-vcek", evidence: "report.bin", at: "2024-01-01T00:00:00Z" },
  { sample: "sev-snp/trustee-milan-vcek", evidence: "report.bin", at: "2024-01-01T00:00:00Z" },
  { sample: "sev-snp/trustee-azure-genoa-hcl", evidence: "evidence.json", at: "2025-06-01T00:00:00Z" },
] as const;

const comparable = (out: string) => {
  const report = JSON.parse(out) as Record<string, unknown>;
  return { ok: report.ok, code: report.code, type: report.type, claims: report.claims, claimsAbi: report.claimsAbi, checks: report.checks, advisoryIds: report.advisoryIds, registers: report.registers };
};

describe("teezk verify without --collateral fetches from PCS/KDS stand-ins and gives what the folder gives (issue 15)", () => {
  let kds: StandIn;
  beforeAll(async () => {
    kds = await startStandIn(kdsHandler(kdsDataFromFixtures()));
  });
  afterAll(async () => {
    await kds.close();
  });

  for (const { sample, evidence, at } of DCAP_SAMPLES) {
    it(`${sample}: same claims, TCB status and checks as with its folder`, async () => {
      const file = fixturePath(`${sample}/${evidence}`);
      const withFolder = await runCli(["verify", file, "--collateral", fixturePath(sample), "--at", at, "--json"]);
      // One PCS per sample: the PCK CRL URL is the same for every platform-CA quote, and each sample's CRL is its own date's.
      const own = await startStandIn(pcsHandler(pcsDataFromSample(sample)));
      try {
        const cacheDir = mkdtempSync(join(tmpdir(), "teezk-cache-"));
        const fetched = await runCli(["verify", file, "--at", at, "--json", "--pcs-url", own.url, "--cache-dir", cacheDir]);
        expect(withFolder.code).toBe(0);
        expect(fetched.code, fetched.out + fetched.err).toBe(0);
        expect(comparable(fetched.out)).toEqual(comparable(withFolder.out));
        const checks = (JSON.parse(fetched.out) as { checks: Record<string, string> }).checks;
        expect(Object.values(checks)).not.toContain("not_checked");
        expect(own.requests.map((request) => request.split("?")[0])).toEqual(
          expect.arrayContaining([expect.stringMatching(/\/(sgx|tdx)\/certification\/v4\/tcb$/), expect.stringMatching(/qe\/identity$/), "/sgx/certification/v4/pckcrl", "/sgx/certification/v4/rootcacrl"]),
        );
        // Cached: a second run offline needs no service at all and gives the same answer.
        const requestsBefore = own.requests.length;
        const offline = await runCli(["verify", file, "--at", at, "--json", "--offline", "--cache-dir", cacheDir]);
        expect(comparable(offline.out)).toEqual(comparable(withFolder.out));
        expect(own.requests.length).toBe(requestsBefore);
        expect(readdirSync(cacheDir)).toHaveLength(4);
      } finally {
        await own.close();
      }
    });
  }

  for (const { sample, evidence, at } of SNP_SAMPLES) {
    it(`${sample}: the VCEK and ASK/ARK from the KDS give what the sample folder and AMD's roots give`, async () => {
      const file = fixturePath(`${sample}/${evidence}`);
      const withFolder = await runCli(["verify", file, "--collateral", fixturePath(sample), "--collateral", fixturePath("roots/amd-sev-snp"), "--at", at, "--json"]);
      const cacheDir = mkdtempSync(join(tmpdir(), "teezk-cache-"));
      // No real AMD CRL is among the fixtures, so the KDS stand-in has none to serve: --no-kds-crl, and
      // revocation is not_checked on both sides (the failure tests cover a CRL that is served).
      const fetched = await runCli(["verify", file, "--at", at, "--json", "--kds-url", kds.url, "--no-kds-crl", "--cache-dir", cacheDir]);
      expect(withFolder.code).toBe(0);
      expect(fetched.code, fetched.out + fetched.err).toBe(0);
      expect(comparable(fetched.out)).toEqual(comparable(withFolder.out));
    });
  }

  it("a VLEK-signed report: the KDS serves the ASVK chain but never the VLEK, so without a folder it is COLLATERAL_MISSING", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "teezk-cache-"));
    const fetched = await runCli(["verify", fixturePath("sev-snp/trustee-milan-vlek/report.bin"), "--at", "2025-06-01T00:00:00Z", "--json", "--kds-url", kds.url, "--no-kds-crl", "--cache-dir", cacheDir]);
    expect(fetched.code).toBe(1);
    expect(JSON.parse(fetched.out)).toMatchObject({ ok: false, code: "COLLATERAL_MISSING" });
    expect(kds.requests).toContain("/vlek/v1/Milan/cert_chain");
  });

  it("teezk collateral fetch writes a complete folder that teezk verify --collateral reads with the same result", async () => {
    const { sample, evidence, at } = DCAP_SAMPLES[0];
    const own = await startStandIn(pcsHandler(pcsDataFromSample(sample)));
    try {
      const out = join(mkdtempSync(join(tmpdir(), "teezk-out-")), "collateral");
      const cacheDir = mkdtempSync(join(tmpdir(), "teezk-cache-"));
      const file = fixturePath(`${sample}/${evidence}`);
      const fetch = await runCli(["collateral", "fetch", file, "--out", out, "--at", at, "--pcs-url", own.url, "--cache-dir", cacheDir, "--json"]);
      expect(fetch.code, fetch.out + fetch.err).toBe(0);
      expect(readdirSync(out).sort()).toEqual(["intel_root_ca_crl.der", "pck_platform_ca.der", "pck_platform_crl.der", "qe_identity.json", "tcb_info.json", "tcb_signing_chain.pem"]);
      const withFetchedFolder = await runCli(["verify", file, "--collateral", out, "--at", at, "--json"]);
      const withFolder = await runCli(["verify", file, "--collateral", fixturePath(sample), "--at", at, "--json"]);
      expect(comparable(withFetchedFolder.out)).toEqual(comparable(withFolder.out));
    } finally {
      await own.close();
    }
  });
});
