import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDcapCollateral, parseTcbInfo } from "../../../../src/evidence/tdx/collateral/index.js";
import { fixturePath } from "../../../../src/fixtures/fixturesDir.js";
import { thrownBy } from "../../../support/rejection.js";

function tempFolder(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), "teezk-collateral-"));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

describe("loadDcapCollateral, Intel PCS layout (automata-v4-00806f05)", () => {
  const dir = "tdx/automata-v4-00806f05";
  const collateral = loadDcapCollateral(fixturePath(dir));

  it("keeps the exact signed bytes of tcbInfo and enclaveIdentity", () => {
    for (const [file, member, item] of [
      ["tcb_info.json", "tcbInfo", collateral.tcbInfo],
      ["qe_identity.json", "enclaveIdentity", collateral.qeIdentity],
    ] as const) {
      const text = readFileSync(fixturePath(`${dir}/${file}`), "latin1");
      const signed = Buffer.from(item!.signedBytes).toString("latin1");
      // The signed value starts right after `{"member":` and ends right before `,"signature":"`.
      expect(text.indexOf(signed)).toBe(member.length + 4);
      expect(text.slice(member.length + 4 + signed.length)).toMatch(/^,"signature":"[0-9a-f]{128}"}$/);
      expect(JSON.parse(signed)).toEqual((JSON.parse(text) as Record<string, unknown>)[member]);
      expect(Buffer.from(item!.signature).toString("hex")).toBe((JSON.parse(text) as { signature: string }).signature);
    }
  });

  it("reads the fields PROVENANCE lists", () => {
    const tcbInfo = collateral.tcbInfo!.body;
    expect(tcbInfo.id).toBe("TDX");
    expect(tcbInfo.version).toBe(3);
    expect(Buffer.from(tcbInfo.fmspc).toString("hex")).toBe("00806f050000");
    expect(tcbInfo.issueDate.toISOString()).toBe("2025-07-07T09:06:43.000Z");
    expect(tcbInfo.nextUpdate.toISOString()).toBe("2025-08-06T09:06:43.000Z");
    expect(tcbInfo.tcbLevels.map((level) => level.tcbStatus)).toEqual(["UpToDate", "OutOfDate", "OutOfDate", "OutOfDate"]);
    expect(tcbInfo.tdxModuleIdentities?.map((identity) => identity.id)).toEqual(["TDX_03", "TDX_01"]);
    expect(collateral.qeIdentity!.body.id).toBe("TD_QE");
    expect(collateral.qeIdentity!.body.isvProdId).toBe(2);
    expect(collateral.tcbSigningChain?.[0]?.subject).toContain("CN=Intel SGX TCB Signing");
    expect(collateral.pckCrls).toHaveLength(1);
    expect(collateral.rootCaCrl?.thisUpdate.toISOString()).toBe("2025-03-20T11:21:57.000Z");
    expect(collateral.pckCrlIssuerChain?.[0]?.subject).toContain("CN=Intel SGX PCK Platform CA");
  });

  it("a partial folder (TCB info and QE identity only) leaves the rest undefined", () => {
    const partial = loadDcapCollateral(fixturePath("tdx/trustee-v4-00a06d08"));
    expect(partial.tcbInfo).toBeDefined();
    expect(partial.qeIdentity).toBeDefined();
    expect(partial.tcbSigningChain).toBeUndefined();
    expect(partial.pckCrls).toBeUndefined();
    expect(partial.rootCaCrl).toBeUndefined();
  });
});

describe("loadDcapCollateral, dcap-qvl layout", () => {
  it.each([
    ["tdx/dcapqvl-v4-b0c06f", "TDX", "b0c06f000000"],
    ["tdx/dcapqvl-near-v4-20a06f", "TDX", "20a06f000000"],
    ["sgx/dcapqvl-v3-00a06711", "SGX", "00a067110000"],
  ])("%s: signed strings, hex signatures, PEM chains, hex CRLs", (dir, id, fmspc) => {
    const json = JSON.parse(readFileSync(fixturePath(`${dir}/collateral.json`), "utf8")) as Record<string, string>;
    const collateral = loadDcapCollateral(fixturePath(dir));
    expect(Buffer.from(collateral.tcbInfo!.signedBytes).toString("utf8")).toBe(json.tcb_info);
    expect(Buffer.from(collateral.qeIdentity!.signedBytes).toString("utf8")).toBe(json.qe_identity);
    expect(Buffer.from(collateral.tcbInfo!.signature).toString("hex")).toBe(json.tcb_info_signature);
    expect(collateral.tcbInfo!.body.id).toBe(id);
    expect(Buffer.from(collateral.tcbInfo!.body.fmspc).toString("hex")).toBe(fmspc);
    expect(collateral.tcbInfo!.issuerChain?.map((cert) => cert.subject.match(/CN=([^\n]+)/)?.[1])).toEqual(["Intel SGX TCB Signing", "Intel SGX Root CA"]);
    expect(Buffer.from(collateral.pckCrls![0]!.der).toString("hex")).toBe(json.pck_crl);
    expect(Buffer.from(collateral.rootCaCrl!.der).toString("hex")).toBe(json.root_ca_crl);
  });
});

describe("loadDcapCollateral errors name the file", () => {
  const good = readFileSync(fixturePath("tdx/automata-v4-00806f05/tcb_info.json"), "utf8");

  it("missing folder → COLLATERAL_MISSING", () => {
    expect(thrownBy(() => loadDcapCollateral("/nonexistent/teezk-collateral")).code).toBe("COLLATERAL_MISSING");
  });

  it.each([
    ["tcb_info.json", "{not json"],
    ["tcb_info.json", good.replace('"UpToDate"', '"Fine"')],
    ["tcb_info.json", good.replace(/"signature":"[0-9a-f]+"/, '"signature":"abcd"')],
    ["tcb_info.json", good.replace('"version":3', '"version":4')],
    ["tcb_info.json", good.replace('"tcbInfo"', '"tcbInfoX"')],
    ["qe_identity.json", '{"enclaveIdentity":{"id":"QE"},"signature":"00"}'],
    ["pck_platform_crl.der", "not a crl"],
    ["intel_root_ca_crl.der", new Uint8Array([0x30, 0x82, 0xff, 0xff])],
    ["tcb_signing_cert.der", "not a cert"],
    ["collateral.json", "[1,2,3]"],
    ["collateral.json", JSON.stringify({ pck_crl: "zz" })],
    ["collateral.json", JSON.stringify({ tcb_info: "{}", tcb_info_signature: "00".repeat(64) })],
  ])("malformed %s → COLLATERAL_INVALID", (name, content) => {
    const error = thrownBy(() => loadDcapCollateral(tempFolder({ [name]: content })));
    expect(error.code).toBe("COLLATERAL_INVALID");
    expect(error.message).toContain(name);
  });

  it("a file over the 4 MiB cap is refused before parsing", () => {
    const error = thrownBy(() => loadDcapCollateral(tempFolder({ "tcb_info.json": " ".repeat(5 << 20) })));
    expect(error.code).toBe("COLLATERAL_INVALID");
    expect(error.shortMessage).toContain("cap");
  });
});

describe("parseTcbInfo v2 (SGX, no id, named components)", () => {
  it("normalises sgxtcbcompNNsvn into the component array", () => {
    const level = (status: string, first: number) => ({
      tcb: { ...Object.fromEntries(Array.from({ length: 16 }, (_, index) => [`sgxtcbcomp${String(index + 1).padStart(2, "0")}svn`, index === 0 ? first : index])), pcesvn: 10 },
      tcbDate: "2024-01-01T00:00:00Z",
      tcbStatus: status,
    });
    const tcbInfo = parseTcbInfo(
      {
        version: 2,
        issueDate: "2024-01-02T00:00:00Z",
        nextUpdate: "2024-02-01T00:00:00Z",
        fmspc: "00906EA10000",
        pceId: "0000",
        tcbType: 0,
        tcbEvaluationDataNumber: 16,
        tcbLevels: [level("UpToDate", 9), level("OutOfDate", 2)],
      },
      "v2",
    );
    expect(tcbInfo.id).toBeUndefined();
    expect(tcbInfo.tcbLevels[0]!.sgxTcbComponents).toEqual([9, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(tcbInfo.tcbLevels[1]!.tcbStatus).toBe("OutOfDate");
    expect(tcbInfo.tcbLevels[1]!.pceSvn).toBe(10);
  });
});
