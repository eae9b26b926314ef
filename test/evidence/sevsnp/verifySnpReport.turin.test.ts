import { describe, expect, it } from "vitest";
import { createSnpCollateral, verifySnpReport } from "../../../src/evidence/sevsnp/index.js";
import { AMD_OID } from "../../../src/evidence/sevsnp/constants.js";
import { derUnsigned } from "../../../src/tee/simulated/der.js";
import { codeOf } from "../../support/rejection.js";
import { AT, createTurinHierarchy } from "./turinHierarchy.js";

const { arkCert, askCert, pinned, turinReport, turinVcek, collateralWith } = createTurinHierarchy();

describe("verifySnpReport on a generated Turin hierarchy", () => {
  it("decodes Turin TCB with FMC, matches the 8-byte hwID, reports v5 mitigation vectors", () => {
    const result = verifySnpReport({ evidence: turinReport(), now: AT, collateral: collateralWith(turinVcek()), extraTrustedRoots: pinned });
    expect(result.product).toBe("Turin");
    expect(result.report.reportedTcb).toMatchObject({ fmc: 2, bootloader: 3, tee: 4, snp: 25, microcode: 0x48 });
    expect(result.claims.svn).toBe(0x48 + 25 * 2 ** 8 + 4 * 2 ** 16 + 3 * 2 ** 24 + 2 * 2 ** 32);
    expect(result.registers["reportedTcb.fmc"]).toBe(2);
    expect(result.registers.launchMitVector).toBe("0x0000000000000011");
    expect(result.registers.currentMitVector).toBe("0x0000000000000033");
    expect(result.claims.rootHash).toBe(`0x${pinned[0]!.sha256}`);
    expect(result.checks.revocation).toBe("not_checked");
  });

  it("the same chain without the extra pin is ROOT_NOT_TRUSTED", () => {
    expect(codeOf(() => verifySnpReport({ evidence: turinReport(), now: AT, collateral: collateralWith(turinVcek()) }))).toBe("ROOT_NOT_TRUSTED");
  });

  it("a Turin VCEK whose fmcSPL is missing or different is SNP_TCB_MISMATCH", () => {
    for (const fmc of [undefined, derUnsigned(1)]) {
      const collateral = collateralWith(turinVcek({ [AMD_OID.fmcSpl]: fmc }));
      expect(codeOf(() => verifySnpReport({ evidence: turinReport(), now: AT, collateral, extraTrustedRoots: pinned }))).toBe("SNP_TCB_MISMATCH");
    }
  });

  it("a VCEK naming another product than the report's CPUID is COLLATERAL_MISMATCH", () => {
    const collateral = collateralWith(turinVcek({}, "Genoa"));
    expect(codeOf(() => verifySnpReport({ evidence: turinReport(), now: AT, collateral, extraTrustedRoots: pinned }))).toBe("COLLATERAL_MISMATCH");
  });

  it("debug policy bit sets claims.debug; a masked (zero) chip id skips the hwID match but keeps the signature", () => {
    const evidence = turinReport((b) => {
      b[0x0a] = b[0x0a]! | 0x08;
      b.fill(0, 0x1a0, 0x1e0);
    });
    const result = verifySnpReport({ evidence, now: AT, collateral: collateralWith(turinVcek()), extraTrustedRoots: pinned });
    expect(result.claims.debug).toBe(true);
    expect(result.registers["policy.debug"]).toBe(true);
    expect(result.registers.chipIdMasked).toBe(true);
  });

  it("an unsigned report (SIGNING_KEY 7) is SIGNATURE_INVALID", () => {
    const evidence = turinReport((b) => (b[0x48] = 7 << 2));
    expect(codeOf(() => verifySnpReport({ evidence, now: AT, collateral: collateralWith(turinVcek()), extraTrustedRoots: pinned }))).toBe("SIGNATURE_INVALID");
  });

  it("a missing ASK or ARK is named", () => {
    const noAsk = createSnpCollateral({ certificates: [arkCert, turinVcek()] });
    expect(() => verifySnpReport({ evidence: turinReport(), now: AT, collateral: noAsk, extraTrustedRoots: pinned })).toThrow(/ASK SEV-Turin .*not in collateral folder/);
    const noArk = createSnpCollateral({ certificates: [askCert, turinVcek()] });
    expect(() => verifySnpReport({ evidence: turinReport(), now: AT, collateral: noArk, extraTrustedRoots: pinned })).toThrow(/ARK-Turin .*not in collateral folder/);
  });
});
