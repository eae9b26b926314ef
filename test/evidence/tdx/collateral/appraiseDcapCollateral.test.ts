import { verify as verifySignature } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TcbStatus } from "../../../../src/claims/types.js";
import {
  appraiseDcapCollateral,
  loadDcapCollateral,
  type AppraiseDcapCollateralParameters,
  type DcapCollateral,
} from "../../../../src/evidence/tdx/collateral/index.js";
import { fixturePath } from "../../../../src/fixtures/fixturesDir.js";
import { normalizeSerial } from "../../../../src/evidence/tdx/collateral/parseDcapCrl.js";
import { dcapQvlCollateralFile, dcapQvlVerdict, pcsFolderAsDcapQvl } from "./dcapQvlOracle.js";
import { quoteFields } from "./quoteFields.js";
import { INTEL_TCB_STATUS_BYTE } from "../../../../src/evidence/tdx/collateral/intelTcbStatus.js";
import { codeOf, thrownBy } from "../../../support/rejection.js";

const STATUS: Record<string, TcbStatus> = INTEL_TCB_STATUS_BYTE;
const SIGNING_DIR = "tdx/automata-v4-00806f05";
const STALE = new Date("2026-11-23T00:00:00Z");

type Sample = {
  dir: string;
  quote: string;
  now: string;
  /** Read by hand from the sample's TCB info / QE identity (see the comment per sample). */
  expected: string;
  advisories: string[];
  layout: "dcap-qvl" | "pcs";
  /** Partial samples carry no signing certificate: use automata-v4's (same key, per fixtures/README). */
  borrowSigning?: boolean;
  checks: { pckRevocation: string; rootRevocation: string };
};

const SAMPLES: Sample[] = [
  // PCK SGX comps 3,3,2,2,4,1,0,5 ≥ level 0 (2,2,2,2,3,1,0,5; PCESVN 11 ≤ 11); TEE_TCB_SVN 06 01 03…: module
  // TDX_01, TDX comps from index 2 (3 ≥ 2) → UpToDate; TDX_01 isvsvn 4 ≤ 6 UpToDate; TD_QE isvsvn 4 ≤ 6.
  { dir: "tdx/dcapqvl-v4-b0c06f", quote: "quote.bin", now: "2025-06-20T12:00:00Z", expected: "UpToDate", advisories: [], layout: "dcap-qvl", checks: { pckRevocation: "passed", rootRevocation: "passed" } },
  // PCK 4,4,2,2,5,255,0,2 PCESVN 13 ≥ level 0 (2,2,2,2,2,255,0,2; 13) → UpToDate.
  { dir: "tdx/dcapqvl-near-v4-20a06f", quote: "quote.hex", now: "2025-09-03T12:00:00Z", expected: "UpToDate", advisories: [], layout: "dcap-qvl", checks: { pckRevocation: "passed", rootRevocation: "passed" } },
  // PCK 11,11,2,2,255,1,0,0 PCESVN 13: level 0 needs comp 7 = 12, level 1 (comp 7 = 0) matches:
  // ConfigurationAndSWHardeningNeeded [00289, 00615]; QE isvsvn 10 ≥ 8 UpToDate.
  { dir: "sgx/dcapqvl-v3-00a06711", quote: "quote.bin", now: "2025-06-20T12:00:00Z", expected: "ConfigurationAndSWHardeningNeeded", advisories: ["INTEL-SA-00289", "INTEL-SA-00615"], layout: "dcap-qvl", checks: { pckRevocation: "passed", rootRevocation: "passed" } },
  // PCK 6,6,2,2,3,1,0,3: level 0 needs 7 → level 1 OutOfDate [00960, 00982, 00986]; TDX_01 isvsvn 4 ≤ 4.
  { dir: "tdx/automata-v4-00806f05", quote: "quote.bin", now: "2025-07-08T12:00:00Z", expected: "OutOfDate", advisories: ["INTEL-SA-00960", "INTEL-SA-00982", "INTEL-SA-00986"], layout: "pcs", checks: { pckRevocation: "passed", rootRevocation: "passed" } },
  // PCK 14,14,3,3,255,255,1,0 PCESVN 13 ≥ level 0 → SWHardeningNeeded [00615]; QE isvsvn 9 ≥ 8. No root CRL.
  { dir: "sgx/automata-v3-00606a", quote: "quote.hex", now: "2025-08-16T12:00:00Z", expected: "SWHardeningNeeded", advisories: ["INTEL-SA-00615"], layout: "pcs", borrowSigning: true, checks: { pckRevocation: "passed", rootRevocation: "not_checked" } },
  // PCK PCESVN 11 < 13, so level 1 (PCESVN 5) OutOfDate, no advisories; TDX_03 isvsvn 3 ≤ 5. No CRLs.
  { dir: "tdx/trustee-v4-00a06d08", quote: "quote.bin", now: "2025-10-29T12:00:00Z", expected: "OutOfDate", advisories: [], layout: "pcs", borrowSigning: true, checks: { pckRevocation: "not_checked", rootRevocation: "not_checked" } },
];

function load(sample: Pick<Sample, "dir" | "borrowSigning">): DcapCollateral {
  const collateral = loadDcapCollateral(fixturePath(sample.dir));
  if (sample.borrowSigning) collateral.tcbSigningChain = loadDcapCollateral(fixturePath(SIGNING_DIR)).tcbSigningChain!;
  return collateral;
}

function params(sample: Pick<Sample, "dir" | "quote" | "borrowSigning">, now: Date, collateral = load(sample)): AppraiseDcapCollateralParameters {
  const fields = quoteFields(`${sample.dir}/${sample.quote}`);
  return {
    collateral,
    pckChain: fields.pckChain,
    qeReport: fields.qeReport,
    teeType: fields.teeType,
    ...(fields.teeTcbSvn ? { teeTcbSvn: fields.teeTcbSvn, tdxModule: fields.tdxModule } : {}),
    now,
  };
}

const sample = (dir: string) => SAMPLES.find((candidate) => candidate.dir === dir)!;

describe("appraiseDcapCollateral on real collateral", () => {
  for (const entry of SAMPLES) {
    it(`${entry.dir}: ${entry.expected}, as dcap-qvl says`, () => {
      const now = new Date(entry.now);
      const result = appraiseDcapCollateral(params(entry, now));
      expect(result.tcbStatus).toBe(STATUS[entry.expected]);
      expect([...result.advisoryIds].sort()).toEqual([...entry.advisories].sort());
      expect(result.checks).toEqual({ tcbInfo: "passed", qeIdentity: "passed", ...entry.checks });

      const fields = quoteFields(`${entry.dir}/${entry.quote}`);
      const oracleCollateral =
        entry.layout === "dcap-qvl" ? dcapQvlCollateralFile(`${entry.dir}/collateral.json`) : pcsFolderAsDcapQvl(entry.dir, entry.borrowSigning ? SIGNING_DIR : entry.dir);
      const oracle = dcapQvlVerdict(fields.bytes, oracleCollateral, now);
      expect(oracle).toMatchObject({ status: entry.expected });
      if ("advisoryIds" in oracle) expect([...result.advisoryIds].sort()).toEqual([...oracle.advisoryIds].sort());
    });
  }

  it("automata-v5-90c06f: the platform is older than every TCB level (TCB_NOT_FOUND), as dcap-qvl finds", () => {
    // PCK SGX comps 1,1,… but both levels need 2,2,…: no level matches.
    const entry = { dir: "tdx/automata-v5-90c06f", quote: "quote.bin", borrowSigning: true };
    const now = new Date("2025-06-10T12:00:00Z");
    expect(codeOf(() => appraiseDcapCollateral(params(entry, now)))).toBe("TCB_NOT_FOUND");
    const oracle = dcapQvlVerdict(quoteFields(`${entry.dir}/quote.bin`).bytes, pcsFolderAsDcapQvl(entry.dir, SIGNING_DIR), now);
    expect(oracle).toEqual({ error: "No matching TCB level found" });
  });
});

describe("stale and not-yet-valid collateral never yields a TCB status", () => {
  for (const entry of SAMPLES.filter((candidate) => candidate.layout === "dcap-qvl" || candidate.dir.startsWith("tdx/automata"))) {
    it(`${entry.dir} at 2026-11-23 → COLLATERAL_EXPIRED`, () => {
      expect(codeOf(() => appraiseDcapCollateral(params(entry, STALE)))).toBe("COLLATERAL_EXPIRED");
    });
  }

  it("TCB info past nextUpdate alone (no CRLs, no QE identity) → COLLATERAL_EXPIRED", () => {
    const entry = sample("tdx/dcapqvl-v4-b0c06f");
    const { tcbInfo } = load(entry);
    // TCB info nextUpdate is 2025-07-19T10:16:03Z: one second later it is stale.
    const error = thrownBy(() => appraiseDcapCollateral(params(entry, new Date("2025-07-19T10:16:04Z"), { tcbInfo: tcbInfo!, source: "t" })));
    expect(error.code).toBe("COLLATERAL_EXPIRED");
    expect(error.shortMessage).toContain("TCB info");
    expect(appraiseDcapCollateral(params(entry, new Date("2025-07-19T10:16:03Z"), { tcbInfo: tcbInfo!, source: "t" })).tcbStatus).toBe(TcbStatus.UP_TO_DATE);
  });

  it("collateral issued after `now` → COLLATERAL_EXPIRED", () => {
    const entry = sample("tdx/dcapqvl-v4-b0c06f");
    const { qeIdentity } = load(entry);
    expect(codeOf(() => appraiseDcapCollateral(params(entry, new Date("2025-06-19T10:30:00Z"), { qeIdentity: qeIdentity!, source: "t" })))).toBe(
      "COLLATERAL_EXPIRED",
    );
  });
});

describe("tampered or foreign collateral", () => {
  it("a TCB info body edited in collateral.json (OutOfDate → UpToDate) fails its signature", () => {
    const entry = sample("tdx/dcapqvl-v4-b0c06f");
    const json = dcapQvlCollateralFile(`${entry.dir}/collateral.json`);
    expect(json.tcb_info).toContain('"tcbStatus":"OutOfDate"');
    json.tcb_info = json.tcb_info!.replace('"tcbStatus":"OutOfDate"', '"tcbStatus":"UpToDate"');
    const dir = mkdtempSync(join(tmpdir(), "teezk-collateral-"));
    writeFileSync(join(dir, "collateral.json"), JSON.stringify(json));
    const collateral = loadDcapCollateral(dir);
    expect(codeOf(() => appraiseDcapCollateral(params(entry, new Date(entry.now), collateral)))).toBe("SIGNATURE_INVALID");
  });

  it("a PCS tcb_info.json with one byte of whitespace added inside the signed value fails its signature", () => {
    const entry = sample("tdx/automata-v4-00806f05");
    const dir = mkdtempSync(join(tmpdir(), "teezk-collateral-"));
    for (const name of ["qe_identity.json", "tcb_signing_cert.der"]) writeFileSync(join(dir, name), readFileSync(fixturePath(`${entry.dir}/${name}`)));
    const text = readFileSync(fixturePath(`${entry.dir}/tcb_info.json`), "utf8");
    writeFileSync(join(dir, "tcb_info.json"), text.replace('"version":3', '"version": 3'));
    const collateral = loadDcapCollateral(dir);
    expect(codeOf(() => appraiseDcapCollateral(params(entry, new Date(entry.now), collateral)))).toBe("SIGNATURE_INVALID");
  });

  it("the QE identity's signature on the TCB info body fails", () => {
    const entry = sample("tdx/dcapqvl-v4-b0c06f");
    const collateral = load(entry);
    collateral.tcbInfo = { ...collateral.tcbInfo!, signature: collateral.qeIdentity!.signature };
    expect(codeOf(() => appraiseDcapCollateral(params(entry, new Date(entry.now), collateral)))).toBe("SIGNATURE_INVALID");
  });

  it("TCB info for another FMSPC (20A06F000000 for a B0C06F000000 PCK) → COLLATERAL_MISMATCH", () => {
    // Quote dcapqvl-v4 (PCK valid 2025-02..2032) with the near sample's complete collateral, at its date.
    const collateral = load(sample("tdx/dcapqvl-near-v4-20a06f"));
    const error = thrownBy(() => appraiseDcapCollateral(params(sample("tdx/dcapqvl-v4-b0c06f"), new Date("2025-09-03T12:00:00Z"), collateral)));
    expect(error.code).toBe("COLLATERAL_MISMATCH");
    expect(error.details).toContain("b0c06f000000");
  });

  it("TDX collateral for an SGX quote → COLLATERAL_MISMATCH (TD_QE identity, then TDX TCB info)", () => {
    const sgx = sample("sgx/dcapqvl-v3-00a06711");
    const tdx = load(sample("tdx/dcapqvl-v4-b0c06f"));
    expect(codeOf(() => appraiseDcapCollateral(params(sgx, new Date(sgx.now), { qeIdentity: tdx.qeIdentity!, source: "t" })))).toBe("COLLATERAL_MISMATCH");
    expect(codeOf(() => appraiseDcapCollateral(params(sgx, new Date(sgx.now), { tcbInfo: tdx.tcbInfo!, source: "t" })))).toBe("COLLATERAL_MISMATCH");
  });

  it("a Platform-CA PCK CRL for a Processor-CA PCK → COLLATERAL_MISMATCH", () => {
    const sgx = sample("sgx/dcapqvl-v3-00a06711");
    const platformCrl = load(sample("tdx/dcapqvl-v4-b0c06f")).pckCrls!;
    expect(codeOf(() => appraiseDcapCollateral(params(sgx, new Date(sgx.now), { pckCrls: platformCrl, source: "t" })))).toBe("COLLATERAL_MISMATCH");
  });

  it("a PCK CRL given as the root CRL → CRL_INVALID (issuer is not the root)", () => {
    const entry = sample("tdx/dcapqvl-v4-b0c06f");
    const collateral = load(entry);
    expect(codeOf(() => appraiseDcapCollateral(params(entry, new Date(entry.now), { rootCaCrl: collateral.pckCrls![0]!, source: "t" })))).toBe("CRL_INVALID");
  });
});

describe("revocation", () => {
  // Intel's CRLs cannot be re-signed here, so these add the serial to the parsed set of a genuine, verified
  // CRL: they prove the appraisal consults the CRL for the right certificate. The lookup itself is tested on
  // a real listed serial in verifyDcapCrl.test.ts.
  it("a PCK leaf listed in the PCK CRL → CERT_REVOKED", () => {
    const entry = sample("tdx/dcapqvl-v4-b0c06f");
    const p = params(entry, new Date(entry.now));
    const crl = p.collateral.pckCrls![0]!;
    p.collateral.pckCrls = [{ ...crl, revokedSerials: new Set([...crl.revokedSerials, normalizeSerial(p.pckChain[0]!.serialNumber)]) }];
    expect(codeOf(() => appraiseDcapCollateral(p))).toBe("CERT_REVOKED");
  });

  it("a PCK CA listed in the root CRL → CERT_REVOKED", () => {
    const entry = sample("tdx/automata-v4-00806f05");
    const p = params(entry, new Date(entry.now));
    const crl = p.collateral.rootCaCrl!;
    p.collateral.rootCaCrl = { ...crl, revokedSerials: new Set([normalizeSerial(p.pckChain[1]!.serialNumber)]) };
    expect(codeOf(() => appraiseDcapCollateral(p))).toBe("CERT_REVOKED");
  });

  it("the TCB signing certificate listed in the root CRL → CERT_REVOKED", () => {
    const entry = sample("tdx/automata-v4-00806f05");
    const p = params(entry, new Date(entry.now));
    const crl = p.collateral.rootCaCrl!;
    p.collateral.rootCaCrl = { ...crl, revokedSerials: new Set([normalizeSerial(p.collateral.tcbSigningChain![0]!.serialNumber)]) };
    expect(codeOf(() => appraiseDcapCollateral(p))).toBe("CERT_REVOKED");
  });
});

describe("QE identity and TCB evaluation details on real collateral", () => {
  const entry = sample("sgx/dcapqvl-v3-00a06711");
  const now = new Date(entry.now);

  it.each([
    ["MRSIGNER", (p: AppraiseDcapCollateralParameters) => (p.qeReport.mrsigner[0]! ^= 1)],
    ["ISVPRODID", (p: AppraiseDcapCollateralParameters) => (p.qeReport.isvProdId += 1)],
    ["ATTRIBUTES (DEBUG bit, inside the mask)", (p: AppraiseDcapCollateralParameters) => (p.qeReport.attributes[0]! |= 0x02)],
    ["MISCSELECT", (p: AppraiseDcapCollateralParameters) => (p.qeReport.miscselect = 1)],
  ])("a QE whose %s differs → QE_IDENTITY_MISMATCH", (_name, mutate) => {
    const p = params(entry, now);
    mutate(p);
    expect(codeOf(() => appraiseDcapCollateral(p))).toBe("QE_IDENTITY_MISMATCH");
  });

  it("ATTRIBUTES bits outside the mask (byte 0 bit 2) are ignored", () => {
    const p = params(entry, now);
    p.qeReport.attributes[0]! |= 0x04;
    expect(appraiseDcapCollateral(p).tcbStatus).toBe(TcbStatus.CONFIGURATION_AND_SW_HARDENING_NEEDED);
  });

  it("an out-of-date QE (ISVSVN 7 → level isvsvn 6 OutOfDate) turns ConfigurationAndSWHardeningNeeded into OutOfDateConfigurationNeeded", () => {
    // Intel's convergence (QVL EvaluateTcb.cpp convergeTcbStatuses); dcap-qvl would pick "OutOfDate".
    const p = params(entry, now);
    p.qeReport.isvSvn = 7;
    const result = appraiseDcapCollateral(p);
    expect(result.tcbStatus).toBe(TcbStatus.OUT_OF_DATE_CONFIGURATION_NEEDED);
    expect(result.advisoryIds).toEqual(expect.arrayContaining(["INTEL-SA-00289", "INTEL-SA-00615"]));
  });

  it("a QE older than every QE identity level (ISVSVN 0) → TCB_NOT_FOUND", () => {
    const p = params(entry, now);
    p.qeReport.isvSvn = 0;
    expect(codeOf(() => appraiseDcapCollateral(p))).toBe("TCB_NOT_FOUND");
  });

  const tdx = sample("tdx/dcapqvl-v4-b0c06f");
  const tdxNow = new Date(tdx.now);
  it("TDX module SVN 3 (TDX_01 level isvsvn 2 is OutOfDate) turns UpToDate into OutOfDate", () => {
    const p = params(tdx, tdxNow);
    p.teeTcbSvn![0] = 3;
    expect(appraiseDcapCollateral(p).tcbStatus).toBe(TcbStatus.OUT_OF_DATE);
  });

  it("TDX module SVN 1 (below every TDX_01 level) → TCB_NOT_FOUND", () => {
    const p = params(tdx, tdxNow);
    p.teeTcbSvn![0] = 1;
    expect(codeOf(() => appraiseDcapCollateral(p))).toBe("TCB_NOT_FOUND");
  });

  it("a TDX module major version the TCB info does not list (TDX_07) → TCB_NOT_FOUND", () => {
    const p = params(tdx, tdxNow);
    p.teeTcbSvn![1] = 7;
    expect(thrownBy(() => appraiseDcapCollateral(p)).shortMessage).toContain("TDX_07");
  });

  it("TEE_TCB_SVN[2] below every level's TDX component 3 → TCB_NOT_FOUND", () => {
    const p = params(tdx, tdxNow);
    p.teeTcbSvn![2] = 1;
    expect(codeOf(() => appraiseDcapCollateral(p))).toBe("TCB_NOT_FOUND");
  });

  it("a non-Intel MRSIGNERSEAM → TDX_MODULE_MISMATCH", () => {
    const p = params(tdx, tdxNow);
    p.tdxModule!.mrSignerSeam[0] = 1;
    expect(codeOf(() => appraiseDcapCollateral(p))).toBe("TDX_MODULE_MISMATCH");
  });
});

describe("partial collateral", () => {
  it("no collateral at all: UNKNOWN, every collateral check not_checked", () => {
    const entry = sample("tdx/dcapqvl-v4-b0c06f");
    const result = appraiseDcapCollateral(params(entry, new Date(entry.now), { source: "none" }));
    expect(result).toEqual({
      tcbStatus: TcbStatus.UNKNOWN,
      advisoryIds: [],
      checks: { tcbInfo: "not_checked", qeIdentity: "not_checked", pckRevocation: "not_checked", rootRevocation: "not_checked" },
    });
  });

  it("a folder with no collateral files (sgx/trustee-occlum) loads empty and appraises to UNKNOWN", () => {
    const entry = { dir: "sgx/trustee-occlum-v3-00606a", quote: "quote.bin" };
    expect(appraiseDcapCollateral(params(entry, new Date("2025-01-01T00:00:00Z"))).tcbStatus).toBe(TcbStatus.UNKNOWN);
  });

  it("CRLs only: revocation passed, TCB UNKNOWN", () => {
    const entry = sample("tdx/dcapqvl-v4-b0c06f");
    const full = load(entry);
    const result = appraiseDcapCollateral(params(entry, new Date(entry.now), { pckCrls: full.pckCrls!, rootCaCrl: full.rootCaCrl!, source: "t" }));
    expect(result.tcbStatus).toBe(TcbStatus.UNKNOWN);
    expect(result.checks).toEqual({ tcbInfo: "not_checked", qeIdentity: "not_checked", pckRevocation: "passed", rootRevocation: "passed" });
  });

  it("TCB info without QE identity: platform status alone, qeIdentity not_checked", () => {
    const entry = sample("sgx/dcapqvl-v3-00a06711");
    const { tcbInfo } = load(entry);
    const result = appraiseDcapCollateral(params(entry, new Date(entry.now), { tcbInfo: tcbInfo!, source: "t" }));
    expect(result.tcbStatus).toBe(TcbStatus.CONFIGURATION_AND_SW_HARDENING_NEEDED);
    expect(result.checks.qeIdentity).toBe("not_checked");
  });

  it("TCB info with no signing certificate anywhere → COLLATERAL_MISSING (never trusted unsigned)", () => {
    const entry = { dir: "tdx/trustee-v4-00a06d08", quote: "quote.bin" };
    expect(codeOf(() => appraiseDcapCollateral(params(entry, new Date("2025-10-29T12:00:00Z"))))).toBe("COLLATERAL_MISSING");
  });
});

describe("gotdx-spr-e4: 2023 collateral, only the 2025 re-issued TCB signing certificate", () => {
  const entry = { dir: "tdx/gotdx-spr-e4-v4-50806f", quote: "quote.bin", borrowSigning: true };

  it("the 2025 key does sign the 2023 TCB info (same key)", () => {
    const collateral = load(entry);
    const key = collateral.tcbSigningChain![0]!.publicKey;
    const { signedBytes, signature } = collateral.tcbInfo!;
    expect(verifySignature("sha256", signedBytes, { key, dsaEncoding: "ieee-p1363" }, signature)).toBe(true);
  });

  it("at the collateral's date the signing certificate is not yet valid → CERT_EXPIRED (no exception for re-issued certs)", () => {
    expect(codeOf(() => appraiseDcapCollateral(params(entry, new Date("2023-06-20T12:00:00Z"))))).toBe("CERT_EXPIRED");
  });

  it("once the certificate is valid the collateral is long stale → COLLATERAL_EXPIRED", () => {
    expect(codeOf(() => appraiseDcapCollateral(params(entry, new Date("2025-06-01T00:00:00Z"))))).toBe("COLLATERAL_EXPIRED");
  });

  it("its CRLs verify at the collateral's date (revocation can be checked)", () => {
    const collateral = load(entry);
    const result = appraiseDcapCollateral(params(entry, new Date("2023-06-20T12:00:00Z"), { pckCrls: collateral.pckCrls!, rootCaCrl: collateral.rootCaCrl!, source: "t" }));
    expect(result.checks).toMatchObject({ pckRevocation: "passed", rootRevocation: "passed" });
  });
});

