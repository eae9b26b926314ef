import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { INTEL_ROOT_CA_CRL_URL, intelPcsRequests } from "../../src/collateral/index.js";
import { fixturePath } from "../../src/fixtures/fixturesDir.js";
import { decodeEvidenceInput } from "../../src/util/bytes.js";
import { runCli } from "../cli/support/runCli.js";
import { startStandIn } from "./support/standIn.js";
import { pcsDataFromSample, pcsHandler } from "./support/vendorStandIns.js";

const read = (path: string) => new Uint8Array(readFileSync(fixturePath(path)));

describe("intelPcsRequests: requests derived from the quote (issue 15)", () => {
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

  it("decodes evidence the way verify does (hex quote files)", () => {
    const hex = readFileSync(fixturePath("tdx/dcapqvl-near-v4-20a06f/quote.hex"));
    const decoded = decodeEvidenceInput(new Uint8Array(hex), 1 << 22).bytes;
    expect(intelPcsRequests(decoded, {})[0]!.url).toContain("fmspc=20a06f000000");
  });
});

describe("intelPcs answers in the other encodings services use (issue 15)", () => {
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
