/**
 * Issue 12 item 3 on real Intel evidence: the delegation client builds collateral from what an untrusted prover
 * serves, so the prover decides which collateral files exist. Leaving out the PCK CRL, the root CRL and the QE
 * identity must not produce a verdict the default reference values accept.
 */
import { describe, expect, it } from "vitest";
import { teeTypeName } from "../../src/claims/index.js";
import { verifyEvidence, type LoadedCollateral } from "../../src/evidence/verifyEvidence.js";
import { getDevRoots, simulateEvidence } from "../../src/tee/simulated/index.js";
import { loadDcapCollateral } from "../../src/evidence/tdx/collateral/index.js";
import { verifyDcapQuote } from "../../src/evidence/tdx/index.js";
import { fixturePath } from "../../src/fixtures/fixturesDir.js";
import { appraise, parseReferenceValues } from "../../src/policy/index.js";
import { DCAP_SAMPLES, loadSampleBytes } from "../evidence/tdx/dcapSamples.js";

const sample = DCAP_SAMPLES.find((candidate) => candidate.name === "tdx/automata-v4-00806f05")!;
const now = new Date(sample.now);
const evidence = loadSampleBytes(sample);
const complete = loadDcapCollateral(fixturePath(sample.name));

function appraiseWith(collateral: typeof complete, tdx: Record<string, unknown> = {}) {
  const verified = verifyDcapQuote({ evidence, now, collateral });
  const refs = parseReferenceValues({
    version: 1,
    tee: { TDX: { allowedMeasurements: [verified.claims.measurement], acceptedTcbStatuses: ["UP_TO_DATE", "OUT_OF_DATE", "SW_HARDENING_NEEDED", "CONFIGURATION_NEEDED", "CONFIGURATION_AND_SW_HARDENING_NEEDED", "OUT_OF_DATE_CONFIGURATION_NEEDED"], ...tdx } },
  });
  return appraise(verified.claims, refs, now, { checks: verified.checks });
}

describe("default reference values require complete collateral (issue 12 item 3)", () => {
  it("the PCK CRL, root CRL and QE identity left out by the prover: the default policy refuses, naming each check", () => {
    const stripped = { ...complete, pckCrls: undefined, rootCaCrl: undefined, qeIdentity: undefined };
    const appraisal = appraiseWith(stripped);
    expect(appraisal.ok).toBe(false);
    expect(appraisal.failures.filter((failure) => failure.code === "CHECK_NOT_PERFORMED").map((failure) => failure.rule).sort()).toEqual(
      ["check.pckRevocation", "check.qeIdentity", "check.rootRevocation"],
    );
  });

  it("no collateral at all: refused as well (unknown TCB and every collateral check missing)", () => {
    const verified = verifyDcapQuote({ evidence, now });
    const refs = parseReferenceValues({ version: 1, tee: { TDX: { allowedMeasurements: [verified.claims.measurement], acceptedTcbStatuses: ["UNKNOWN"] } } });
    const codes = appraise(verified.claims, refs, now, { checks: verified.checks }).failures.map((failure) => failure.rule);
    expect(codes.sort()).toEqual(["check.pckRevocation", "check.qeIdentity", "check.rootRevocation", "check.tcbInfo"]);
  });

  it("a caller that passes no checks at all is refused rather than trusted", () => {
    const verified = verifyDcapQuote({ evidence, now, collateral: complete });
    const refs = parseReferenceValues({ version: 1, tee: { TDX: { allowedMeasurements: [verified.claims.measurement], acceptedTcbStatuses: ["UP_TO_DATE", "OUT_OF_DATE"] } } });
    expect(appraise(verified.claims, refs, now).failures.map((failure) => failure.code)).toContain("CHECK_NOT_PERFORMED");
  });

  it("complete collateral passes; an explicit skipChecks opt-out passes and is reported in the appraisal", () => {
    expect(appraiseWith(complete).failures).toEqual([]);
    const stripped = { ...complete, pckCrls: undefined, rootCaCrl: undefined };
    const appraisal = appraiseWith(stripped, { skipChecks: ["pckRevocation", "rootRevocation"] });
    expect(appraisal.failures).toEqual([]);
    expect(appraisal.skippedChecks).toEqual(["pckRevocation", "rootRevocation"]);
  });
});

describe("simulated TEEs carry complete collateral, so services and the demo pass the defaults without opting out", () => {
  const simulatedAt = new Date("2026-03-01T12:00:00Z");
  for (const vendor of ["tdx", "sgx", "sevsnp"] as const) {
    it(`${vendor}: every default check performed, no skipChecks needed`, () => {
      const devRoots = getDevRoots();
      const sim = simulateEvidence({ vendor, binding: `0x${"5a".repeat(32)}`, now: simulatedAt, devRoots });
      const { evidence } = verifyEvidence({ evidence: sim.evidence, now: simulatedAt, kind: vendor, collateral: { family: vendor === "sevsnp" ? "snp" : "dcap", collateral: sim.collateral } as LoadedCollateral, extraTrustedRoots: [sim.trustedRoot] });
      const tee = teeTypeName(evidence.claims.teeType)!;
      const refs = parseReferenceValues({ version: 1, tee: { [tee]: { allowedMeasurements: [evidence.claims.measurement] } } });
      const appraisal = appraise(evidence.claims, refs, simulatedAt, { checks: evidence.checks });
      expect(appraisal.failures).toEqual([]);
      expect(appraisal.skippedChecks).toEqual([]);
    });
  }
});
