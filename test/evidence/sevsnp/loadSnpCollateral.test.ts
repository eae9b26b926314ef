import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadSnpCollateral, verifySnpReport } from "../../../src/evidence/sevsnp/index.js";
import { mintCrl } from "../../support/pki.js";
import { codeOf } from "../../support/rejection.js";
import { AT, createTurinHierarchy } from "./turinHierarchy.js";

const { ark, arkCert, askCert, pinned, turinReport, turinVcek } = createTurinHierarchy();

describe("loadSnpCollateral", () => {
  it("reads DER and PEM, several certificates per file, CRLs, by CN rather than file name", () => {
    const dir = mkdtempSync(join(tmpdir(), "teezk-snp-"));
    const vcek = turinVcek();
    writeFileSync(join(dir, "something.der"), vcek.raw);
    writeFileSync(join(dir, "chain.pem"), `${askCert.toString()}\n${arkCert.toString()}`);
    const crlDer = mintCrl({ issuer: { name: arkCert, privateKey: ark.privateKey }, thisUpdate: new Date("2030-05-01"), nextUpdate: new Date("2030-07-01") });
    writeFileSync(join(dir, "revoked.crl"), crlDer);
    writeFileSync(join(dir, "more.pem"), `-----BEGIN X509 CRL-----\n${Buffer.from(crlDer).toString("base64")}\n-----END X509 CRL-----\n`);
    writeFileSync(join(dir, "notes.txt"), "not collateral");
    const collateral = loadSnpCollateral(dir);
    expect([collateral.arks.length, collateral.asks.length, collateral.vceks.length, collateral.crls.length]).toEqual([1, 1, 1, 1]);
    const result = verifySnpReport({ evidence: turinReport(), now: AT, collateral, extraTrustedRoots: pinned });
    expect(result.checks.revocation).toBe("passed");
  });

  it("a certificate-named file with nothing parseable is COLLATERAL_INVALID; a missing folder is COLLATERAL_MISSING", () => {
    const dir = mkdtempSync(join(tmpdir(), "teezk-snp-"));
    writeFileSync(join(dir, "broken.pem"), "-----BEGIN NOTHING-----\n");
    expect(codeOf(() => loadSnpCollateral(dir))).toBe("COLLATERAL_INVALID");
    expect(codeOf(() => loadSnpCollateral(join(dir, "absent")))).toBe("COLLATERAL_MISSING");
  });
});
