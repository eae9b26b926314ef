import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TcbStatus } from "../../../../src/claims/types.js";
import { TeezkError } from "../../../../src/errors/index.js";
import { evaluateDcapTcb, type EnclaveTcbLevel, type IntelTcbStatus, type TcbInfo, type TcbLevel } from "../../../../src/evidence/tdx/collateral/index.js";
import { INTEL_TCB_STATUSES } from "../../../../src/evidence/tdx/collateral/intelTcbStatus.js";
import { codeOf } from "../../../support/rejection.js";

const ALL: readonly IntelTcbStatus[] = INTEL_TCB_STATUSES;
const comps = (first: number, rest = 0) => [first, ...Array<number>(15).fill(rest)];
const level = (tcbStatus: IntelTcbStatus, sgx: number, pceSvn: number, tdx?: number[], advisoryIds: string[] = []): TcbLevel => ({
  sgxTcbComponents: comps(sgx),
  pceSvn,
  ...(tdx ? { tdxTcbComponents: tdx } : {}),
  tcbDate: "2024-01-01T00:00:00Z",
  tcbStatus,
  advisoryIds,
});
const info = (tcbLevels: TcbLevel[], extra: Partial<TcbInfo> = {}): TcbInfo => ({
  id: "SGX",
  version: 3,
  issueDate: new Date(0),
  nextUpdate: new Date(0),
  fmspc: new Uint8Array(6),
  pceId: new Uint8Array(2),
  tcbType: 0,
  tcbEvaluationDataNumber: 17,
  tcbLevels,
  ...extra,
});
const qe = (tcbStatus: IntelTcbStatus, advisoryIds: string[] = []): EnclaveTcbLevel => ({ isvSvn: 0, tcbDate: "2024-01-01T00:00:00Z", tcbStatus, advisoryIds });

describe("evaluateDcapTcb: platform level", () => {
  const levels = [level("UpToDate", 5, 10, undefined, ["A"]), level("SWHardeningNeeded", 5, 5, undefined, ["B"]), level("OutOfDate", 2, 5, undefined, ["C"])];

  it("takes the first level (in Intel's order) whose components and PCESVN are all ≤ the platform's", () => {
    const run = (sgx: number, pceSvn: number) => evaluateDcapTcb({ tcbInfo: info(levels), sgxTcbComponents: comps(sgx), pceSvn, teeType: "sgx" });
    expect(run(6, 11)).toEqual({ tcbStatus: TcbStatus.UP_TO_DATE, advisoryIds: ["A"] });
    expect(run(5, 9)).toEqual({ tcbStatus: TcbStatus.SW_HARDENING_NEEDED, advisoryIds: ["B"] });
    expect(run(4, 11)).toEqual({ tcbStatus: TcbStatus.OUT_OF_DATE, advisoryIds: ["C"] });
    expect(codeOf(() => run(1, 11))).toBe("TCB_NOT_FOUND");
    expect(codeOf(() => run(5, 4))).toBe("TCB_NOT_FOUND");
  });

  it("one lower component anywhere rules a level out", () => {
    const platform = comps(9, 9);
    platform[15] = 0;
    const tcbInfo = info([level("UpToDate", 0, 0), level("OutOfDate", 0, 0)].map((entry, index) => ({ ...entry, sgxTcbComponents: comps(0, index === 0 ? 1 : 0) })));
    expect(evaluateDcapTcb({ tcbInfo, sgxTcbComponents: platform, pceSvn: 1, teeType: "sgx" }).tcbStatus).toBe(TcbStatus.OUT_OF_DATE);
  });

  it("a Revoked level is returned as REVOKED, not thrown", () => {
    expect(evaluateDcapTcb({ tcbInfo: info([level("Revoked", 0, 0)]), sgxTcbComponents: comps(3), pceSvn: 3, teeType: "sgx" }).tcbStatus).toBe(TcbStatus.REVOKED);
  });
});

describe("evaluateDcapTcb: TDX components and module", () => {
  const tdxInfo = (extra: Partial<TcbInfo> = {}) =>
    info([level("UpToDate", 0, 0, [5, 0, 3, ...Array<number>(13).fill(0)]), level("OutOfDate", 0, 0, [3, 0, 1, ...Array<number>(13).fill(0)])], {
      id: "TDX",
      tdxModuleIdentities: [
        {
          id: "TDX_01",
          mrsigner: new Uint8Array(48),
          attributes: new Uint8Array(8),
          attributesMask: new Uint8Array(8).fill(0xff),
          tcbLevels: [qe("UpToDate", ["M"]), { ...qe("OutOfDate"), isvSvn: 0 }].map((entry, index) => ({ ...entry, isvSvn: index === 0 ? 4 : 2 })),
        },
      ],
      ...extra,
    });
  const svn = (bytes: number[]) => Uint8Array.from([...bytes, ...Array<number>(16 - bytes.length).fill(0)]);
  const run = (teeTcbSvn: Uint8Array, tcbInfo = tdxInfo()) => evaluateDcapTcb({ tcbInfo, sgxTcbComponents: comps(1), pceSvn: 1, teeType: "tdx", teeTcbSvn });

  it("module version 0: all 16 TDX components compared, no module identity", () => {
    expect(run(svn([5, 0, 3])).tcbStatus).toBe(TcbStatus.UP_TO_DATE);
    expect(run(svn([4, 0, 3])).tcbStatus).toBe(TcbStatus.OUT_OF_DATE);
  });

  it("module version > 0: bytes 0–1 skipped for the platform level, judged by TDX_<version> instead", () => {
    // TEE_TCB_SVN[0] = 4 is below level 0's TDX component 0 (5), yet level 0 matches from index 2.
    expect(run(svn([4, 1, 3]))).toEqual({ tcbStatus: TcbStatus.UP_TO_DATE, advisoryIds: ["M"] });
    expect(run(svn([3, 1, 3])).tcbStatus).toBe(TcbStatus.OUT_OF_DATE);
    expect(codeOf(() => run(svn([1, 1, 3])))).toBe("TCB_NOT_FOUND");
    expect(codeOf(() => run(svn([4, 2, 3])))).toBe("TCB_NOT_FOUND");
  });

  it("TDX needs TEE_TCB_SVN", () => {
    expect(codeOf(() => evaluateDcapTcb({ tcbInfo: tdxInfo(), sgxTcbComponents: comps(1), pceSvn: 1, teeType: "tdx" }))).toBe("QUOTE_INVALID");
  });

  it("MRSIGNERSEAM and SEAMATTRIBUTES (under mask) must match the module identity", () => {
    const base = { tcbInfo: tdxInfo(), sgxTcbComponents: comps(1), pceSvn: 1, teeType: "tdx" as const, teeTcbSvn: svn([4, 1, 3]) };
    expect(evaluateDcapTcb({ ...base, tdxModule: { mrSignerSeam: new Uint8Array(48), seamAttributes: new Uint8Array(8) } }).tcbStatus).toBe(TcbStatus.UP_TO_DATE);
    expect(codeOf(() => evaluateDcapTcb({ ...base, tdxModule: { mrSignerSeam: new Uint8Array(48), seamAttributes: Uint8Array.of(1, 0, 0, 0, 0, 0, 0, 0) } }))).toBe(
      "TDX_MODULE_MISMATCH",
    );
  });
});

describe("evaluateDcapTcb: convergence with QE / module status (Intel QVL convergeTcbStatuses)", () => {
  const cases: [IntelTcbStatus, IntelTcbStatus, TcbStatus][] = [
    ["UpToDate", "UpToDate", TcbStatus.UP_TO_DATE],
    ["SWHardeningNeeded", "UpToDate", TcbStatus.SW_HARDENING_NEEDED],
    ["UpToDate", "OutOfDate", TcbStatus.OUT_OF_DATE],
    ["SWHardeningNeeded", "OutOfDate", TcbStatus.OUT_OF_DATE],
    ["ConfigurationNeeded", "OutOfDate", TcbStatus.OUT_OF_DATE_CONFIGURATION_NEEDED],
    ["ConfigurationAndSWHardeningNeeded", "OutOfDate", TcbStatus.OUT_OF_DATE_CONFIGURATION_NEEDED],
    ["OutOfDate", "OutOfDate", TcbStatus.OUT_OF_DATE],
    ["OutOfDateConfigurationNeeded", "OutOfDate", TcbStatus.OUT_OF_DATE_CONFIGURATION_NEEDED],
    ["UpToDate", "Revoked", TcbStatus.REVOKED],
    ["Revoked", "UpToDate", TcbStatus.REVOKED],
    ["ConfigurationNeeded", "ConfigurationNeeded", TcbStatus.CONFIGURATION_NEEDED],
  ];
  it.each(cases)("platform %s + QE %s → %i", (platform, qeStatus, expected) => {
    const result = evaluateDcapTcb({ tcbInfo: info([level(platform, 0, 0, undefined, ["P", "X"])]), sgxTcbComponents: comps(0), pceSvn: 0, teeType: "sgx", qeTcbLevel: qe(qeStatus, ["X", "Q"]) });
    expect(result.tcbStatus).toBe(expected);
    expect(result.advisoryIds).toEqual(["P", "X", "Q"]);
  });

  it("never returns a status better than the platform level or the QE level (fuzzed)", () => {
    const rank: Record<IntelTcbStatus, number> = {
      UpToDate: 0,
      SWHardeningNeeded: 1,
      ConfigurationNeeded: 1,
      ConfigurationAndSWHardeningNeeded: 2,
      OutOfDate: 3,
      OutOfDateConfigurationNeeded: 4,
      Revoked: 5,
    };
    const byte: Record<number, number> = { 0: 0, 1: 1, 2: 1, 5: 2, 3: 3, 6: 4, 4: 5 };
    fc.assert(
      fc.property(fc.constantFrom(...ALL), fc.constantFrom<IntelTcbStatus>("UpToDate", "OutOfDate", "Revoked"), (platform, qeStatus) => {
        const { tcbStatus } = evaluateDcapTcb({ tcbInfo: info([level(platform, 0, 0)]), sgxTcbComponents: comps(0), pceSvn: 0, teeType: "sgx", qeTcbLevel: qe(qeStatus) });
        expect(byte[tcbStatus]).toBeGreaterThanOrEqual(Math.max(rank[platform], qeStatus === "UpToDate" ? 0 : rank[qeStatus]));
      }),
    );
  });

  it("random levels and platforms: a status from a level the platform meets, or TCB_NOT_FOUND, never another error", () => {
    const svn16 = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 16, maxLength: 16 });
    const arbLevel = fc.record({ sgx: svn16, pce: fc.integer({ min: 0, max: 20 }), status: fc.constantFrom(...ALL) });
    fc.assert(
      fc.property(fc.array(arbLevel, { minLength: 1, maxLength: 8 }), svn16, fc.integer({ min: 0, max: 20 }), (levels, platform, pceSvn) => {
        const tcbInfo = info(levels.map((entry) => ({ ...level(entry.status, 0, entry.pce), sgxTcbComponents: entry.sgx })));
        try {
          const { tcbStatus } = evaluateDcapTcb({ tcbInfo, sgxTcbComponents: platform, pceSvn, teeType: "sgx" });
          const met = levels.filter((entry) => entry.pce <= pceSvn && entry.sgx.every((value, index) => value <= platform[index]!));
          expect(met.length).toBeGreaterThan(0);
          expect(tcbStatus).toBe(evaluateDcapTcb({ tcbInfo: info([level(met[0]!.status, 0, 0)]), sgxTcbComponents: comps(0), pceSvn: 0, teeType: "sgx" }).tcbStatus);
        } catch (error) {
          expect((error as TeezkError).code).toBe("TCB_NOT_FOUND");
        }
      }),
      { numRuns: 300 },
    );
  });
});
