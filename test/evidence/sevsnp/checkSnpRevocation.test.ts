import { describe, expect, it } from "vitest";
import { verifySnpReport } from "../../../src/evidence/sevsnp/index.js";
import { amdName, generateKey, mintCrl, type KeyPair } from "../../support/pki.js";
import { codeOf } from "../../support/rejection.js";
import { AT, createTurinHierarchy } from "./turinHierarchy.js";

const { ark, ask, pinned, turinReport, turinVcek, collateralWith } = createTurinHierarchy();

describe("CRL revocation", () => {
  const crl = (revoked: number[], overrides: Partial<{ key: KeyPair; issuerCn: string; thisUpdate: Date; nextUpdate: Date }> = {}) =>
    mintCrl({
      issuer: { name: amdName(overrides.issuerCn ?? "ARK-Turin"), privateKey: (overrides.key ?? ark).privateKey },
      revoked,
      thisUpdate: overrides.thisUpdate ?? new Date("2030-05-01T00:00:00Z"),
      nextUpdate: overrides.nextUpdate ?? new Date("2030-07-01T00:00:00Z"),
    });
  const verifyWith = (crls: Uint8Array[]) => () =>
    verifySnpReport({ evidence: turinReport(), now: AT, collateral: collateralWith(turinVcek(), crls), extraTrustedRoots: pinned });

  it("a current ARK-signed CRL that lists nothing of this chain: revocation passed", () => {
    expect(verifyWith([crl([77])])().checks.revocation).toBe("passed");
  });

  it("the ARK's CRL listing the ASK (serial 2) is CERT_REVOKED", () => {
    expect(codeOf(verifyWith([crl([5, 2])]))).toBe("CERT_REVOKED");
  });

  it("a CRL from the ASK listing the VCEK (serial 9) is CERT_REVOKED", () => {
    expect(codeOf(verifyWith([crl([9], { issuerCn: "SEV-Turin", key: ask })]))).toBe("CERT_REVOKED");
  });

  it("a CRL named after the ARK but signed by another key is CRL_INVALID", () => {
    expect(codeOf(verifyWith([crl([], { key: generateKey("RSA") })]))).toBe("CRL_INVALID");
  });

  it("a stale CRL (past nextUpdate) or one not yet valid is CRL_INVALID", () => {
    expect(codeOf(verifyWith([crl([], { thisUpdate: new Date("2030-01-01"), nextUpdate: new Date("2030-02-01") })]))).toBe("CRL_INVALID");
    expect(codeOf(verifyWith([crl([], { thisUpdate: new Date("2030-07-01"), nextUpdate: new Date("2030-08-01") })]))).toBe("CRL_INVALID");
  });

  it("a CRL of another product is ignored; garbage in the CRL slot is CRL_INVALID", () => {
    expect(verifyWith([crl([2], { issuerCn: "ARK-Milan", key: generateKey("RSA") })])().checks.revocation).toBe("not_checked");
    expect(codeOf(verifyWith([Uint8Array.from([0x30, 0x03, 0x02, 0x01, 0x00])]))).toBe("CRL_INVALID");
  });
});
