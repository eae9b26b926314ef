import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { amdKdsRequests } from "../../src/collateral/index.js";
import { fixturePath } from "../../src/fixtures/fixturesDir.js";

const read = (path: string) => new Uint8Array(readFileSync(fixturePath(path)));

describe("amdKdsRequests: requests derived from the report (issue 15)", () => {
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
