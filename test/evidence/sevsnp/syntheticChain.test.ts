/**
 * Paths no real sample reaches, on a generated AMD-shaped PKI accepted through `extraTrustedRoots`: Turin's
 * TCB layout and 8-byte hwID, version 5 fields, CRL revocation, product mismatches, masked chip ids.
 */
import { createHash, type X509Certificate } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  createSnpCollateral,
  loadSnpCollateral,
  verifySnpReport,
  type SnpCollateral,
} from "../../../src/evidence/sevsnp/index.js";
import { TeezkError } from "../../../src/errors/index.js";
import type { PinnedRoot } from "../../../src/util/x509.js";
import { AMD_OID } from "../../../src/evidence/sevsnp/constants.js";
import { derIa5, derUnsigned } from "../../../src/tee/simulated/der.js";
import { signSnpReport } from "../../../src/tee/simulated/signSnpReport.js";
import { amdName, generateKey, mintCertificate, mintCrl, type KeyPair } from "../../support/pki.js";
import { loadSamples } from "./samples.js";

const AT = new Date("2030-06-01T00:00:00Z");
const base = loadSamples()[0]!.report;
let ark: KeyPair;
let ask: KeyPair;
let vcekKey: KeyPair;
let arkCert: X509Certificate;
let askCert: X509Certificate;
let pinned: PinnedRoot[];

const CHIP_ID = Uint8Array.from({ length: 64 }, (_, i) => (i * 7 + 1) & 0xff);
// Turin TCB_VERSION bytes: FMC, BOOT_LOADER, TEE, SNP, 3 reserved, MICROCODE.
const TURIN_TCB = [2, 3, 4, 25, 0, 0, 0, 0x48];

function codeOf(fn: () => unknown): string {
  try {
    fn();
    return "accepted";
  } catch (error) {
    if (!(error instanceof TeezkError)) throw error;
    return error.code;
  }
}

function turinReport(changes: (b: Uint8Array, v: DataView) => void = () => {}): Uint8Array {
  const b = new Uint8Array(base);
  const v = new DataView(b.buffer);
  v.setUint32(0, 5, true);
  b.set([0x1a, 0x02, 0x00], 0x188);
  b.set(TURIN_TCB, 0x180);
  b.set(TURIN_TCB, 0x1f0);
  b.set(CHIP_ID, 0x1a0);
  v.setBigUint64(0x1f8, 0x11n, true);
  v.setBigUint64(0x200, 0x33n, true);
  changes(b, v);
  return signSnpReport(b, vcekKey.privateKey);
}

function turinVcek(overrides: Record<string, Uint8Array | undefined> = {}, product = "Turin"): X509Certificate {
  const extensions: Record<string, Uint8Array | undefined> = {
    [AMD_OID.productName]: derIa5(product),
    [AMD_OID.blSpl]: derUnsigned(3),
    [AMD_OID.teeSpl]: derUnsigned(4),
    [AMD_OID.snpSpl]: derUnsigned(25),
    [AMD_OID.ucodeSpl]: derUnsigned(0x48),
    [AMD_OID.fmcSpl]: derUnsigned(2),
    [AMD_OID.hwId]: CHIP_ID.slice(0, 8),
    ...overrides,
  };
  const amdExtensions = Object.fromEntries(Object.entries(extensions).filter((entry): entry is [string, Uint8Array] => entry[1] !== undefined));
  return mintCertificate({ subject: amdName("SEV-VCEK"), key: vcekKey, issuer: { name: askCert, privateKey: ask.privateKey }, serial: 9, extensions: amdExtensions }).certificate;
}

function collateralWith(vcek: X509Certificate, crls: Uint8Array[] = []): SnpCollateral {
  return createSnpCollateral({ certificates: [arkCert, askCert, vcek], crls: crls.map((der, i) => ({ der, source: `crl${i}` })) });
}

beforeAll(() => {
  ark = generateKey("RSA");
  ask = generateKey("RSA");
  vcekKey = generateKey("P-384");
  arkCert = mintCertificate({ subject: amdName("ARK-Turin"), key: ark, serial: 1, ca: true }).certificate;
  askCert = mintCertificate({ subject: amdName("SEV-Turin"), key: ask, issuer: { name: arkCert, privateKey: ark.privateKey }, serial: 2, ca: true }).certificate;
  pinned = [{ name: "test ARK-Turin", sha256: createHash("sha256").update(arkCert.raw).digest("hex") }];
});

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
});

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

  it("a missing ASK or ARK is named", () => {
    const noAsk = createSnpCollateral({ certificates: [arkCert, turinVcek()] });
    expect(() => verifySnpReport({ evidence: turinReport(), now: AT, collateral: noAsk, extraTrustedRoots: pinned })).toThrow(/ASK SEV-Turin .*not in collateral folder/);
    const noArk = createSnpCollateral({ certificates: [askCert, turinVcek()] });
    expect(() => verifySnpReport({ evidence: turinReport(), now: AT, collateral: noArk, extraTrustedRoots: pinned })).toThrow(/ARK-Turin .*not in collateral folder/);
  });
});
