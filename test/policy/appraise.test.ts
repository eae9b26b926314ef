import { describe, expect, it } from "vitest";
import { packSvnLanes, TcbStatus, TeeType, type Claims } from "../../src/claims/index.js";
import { appraise, parseReferenceValues } from "../../src/policy/index.js";

const measurement = `0x${"ab".repeat(32)}` as const;
const root = `0x${"cd".repeat(32)}` as const;
const now = new Date("2025-06-20T00:00:00Z");
const baseClaims: Claims = {
  teeType: TeeType.TDX,
  measurement,
  reportData: `0x${"11".repeat(32)}`,
  platformId: `0x${"22".repeat(32)}`,
  rootHash: root,
  timestamp: BigInt(now.getTime() / 1000 - 60),
  tcbStatus: TcbStatus.UP_TO_DATE,
  svn: 5,
  debug: false,
};

const refs = parseReferenceValues({
  version: 1,
  maxAgeSeconds: 3600,
  expectedBinding: `0x${"11".repeat(32)}`,
  tee: {
    TDX: {
      allowedMeasurements: [measurement.toUpperCase().replace("0X", "0x")],
      acceptedTcbStatuses: ["UP_TO_DATE", "SW_HARDENING_NEEDED"],
      minSvn: 3,
      requiredChecks: ["tcbInfo", "qeIdentity"],
      allowedRoots: [root],
    },
  },
});

/** What a DCAP verifier reports with complete, fresh collateral. */
const allChecks = {
  signature: "passed",
  certChain: "passed",
  validity: "passed",
  qeReport: "passed",
  tcbInfo: "passed",
  qeIdentity: "passed",
  pckRevocation: "passed",
  rootRevocation: "passed",
} as const;

describe("appraise", () => {
  it("passes claims that satisfy every rule", () => {
    const result = appraise(baseClaims, refs, now, { checks: allChecks });
    expect(result.failures).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.evaluated).toContain("binding");
  });

  it("returns every failed rule, not just the first", () => {
    const bad: Claims = {
      ...baseClaims,
      measurement: `0x${"00".repeat(32)}`,
      debug: true,
      tcbStatus: TcbStatus.OUT_OF_DATE,
      svn: 1,
      rootHash: `0x${"ee".repeat(32)}`,
      timestamp: BigInt(now.getTime() / 1000 - 7200),
      reportData: `0x${"99".repeat(32)}`,
    };
    const result = appraise(bad, refs, now, { checks: { ...allChecks, tcbInfo: "not_checked", qeIdentity: "not_checked" } });
    expect(result.ok).toBe(false);
    expect(result.failures.map((failure) => failure.code).sort()).toEqual(
      [
        "MEASUREMENT_NOT_ALLOWED",
        "DEBUG_ENCLAVE",
        "TCB_STATUS_NOT_ACCEPTED",
        "SVN_TOO_LOW",
        "CHECK_NOT_PERFORMED",
        "CHECK_NOT_PERFORMED",
        "ROOT_NOT_ALLOWED",
        "EVIDENCE_TOO_OLD",
        "BINDING_MISMATCH",
      ].sort(),
    );
  });

  it("rejects an unknown TCB status (no collateral) with its own code unless the policy accepts it", () => {
    const claims = { ...baseClaims, tcbStatus: TcbStatus.UNKNOWN };
    expect(appraise(claims, refs, now, { checks: allChecks }).failures.map((f) => f.code)).toEqual(["TCB_STATUS_UNKNOWN"]);
    const lenient = parseReferenceValues({
      version: 1,
      tee: { TDX: { allowedMeasurements: [measurement], acceptedTcbStatuses: ["UNKNOWN"] } },
    });
    expect(appraise(claims, lenient, now, { checks: allChecks }).ok).toBe(true);
  });

  it("rejects a TEE type the policy does not cover and evidence from the future", () => {
    const claims = { ...baseClaims, teeType: TeeType.NITRO, timestamp: BigInt(now.getTime() / 1000 + 3600) };
    const codes = appraise(claims, refs, now).failures.map((failure) => failure.code);
    expect(codes).toEqual(["TEE_TYPE_NOT_ALLOWED", "EVIDENCE_FROM_FUTURE"]);
  });

  it("compares svn lane by lane: a larger number with one lower lane is below the minimum", () => {
    // minSvn 3 is lane 0 = 3; svn 0x0100 (lane 1 = 1, lane 0 = 0) is larger as a number but lower in lane 0.
    const codes = appraise({ ...baseClaims, svn: 0x0100 }, refs, now, { checks: allChecks }).failures.map((f) => f.code);
    expect(codes).toEqual(["SVN_TOO_LOW"]);
    expect(appraise({ ...baseClaims, svn: 0x0103 }, refs, now, { checks: allChecks }).ok).toBe(true);
  });

  it("per-product SNP minimums by product name apply to the product the verifier found the pinned root to be", () => {
    const genoaArk = "0x4c6598d19c18719c5dfd4a7d335f674e5bfe1d8f800cea2cf270c10d103db2f1" as const;
    const snp: Claims = { ...baseClaims, teeType: TeeType.SEV_SNP, rootHash: genoaArk, tcbStatus: TcbStatus.NOT_APPLICABLE, svn: packSvnLanes([219, 24, 0, 9]) };
    const snpChecks = { signature: "passed", certChain: "passed", validity: "passed", tcbExtensions: "passed", revocation: "passed" } as const;
    const refsFor = (minTcb: Record<string, unknown>) =>
      parseReferenceValues({ version: 1, tee: { SEV_SNP: { allowedMeasurements: [measurement], minTcb } } });
    const codes = (minTcb: Record<string, unknown>, rootProduct?: string) =>
      appraise(snp, refsFor(minTcb), now, { checks: snpChecks, rootProduct }).failures.map((f) => f.rule);
    expect(codes({ Genoa: { bootloader: 4, tee: 0, snp: 24, microcode: 219 } }, "Genoa")).toEqual([]);
    expect(codes({ Genoa: { bootloader: 4, tee: 0, snp: 25, microcode: 219 } }, "Genoa")).toEqual(["minTcb"]);
    expect(codes({ Milan: { bootloader: 0, tee: 0, snp: 0, microcode: 0 } }, "Genoa")).toEqual(["minTcb"]);
    // The root's hash names it without the verifier's word; a product name alone does not.
    expect(codes({ [genoaArk]: { bootloader: 4, tee: 0, snp: 24, microcode: 219 } })).toEqual([]);
    expect(codes({ Genoa: { bootloader: 0, tee: 0, snp: 0, microcode: 0 } })).toEqual(["minTcb"]);
  });
});
