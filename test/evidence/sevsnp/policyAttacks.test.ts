/**
 * Issue 12 attacks on SEV-SNP appraisal, performed the way an attacker would: a genuine (generated, AMD-shaped)
 * hierarchy signs reports a real platform could produce, and the default reference values must refuse them.
 * Item 3: a revoked ASK verifies when the prover leaves the CRL out. Item 7: a Genoa TCB whose bootloader SVN is
 * high but whose SNP firmware and microcode are zero passes a packed minimum; Turin's FMC SVN is never compared.
 * Item 13: code at VMPL 2, or a guest that allows a migration agent, gets the allowlisted measurement.
 */
import { createHash, type X509Certificate } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createSnpCollateral, verifySnpReport, type SnpCollateral } from "../../../src/evidence/sevsnp/index.js";
import { appraise, parseReferenceValues, type ReferenceValuesInput } from "../../../src/policy/index.js";
import type { PinnedRoot } from "../../../src/util/x509.js";
import { AMD_OID } from "../../../src/evidence/sevsnp/constants.js";
import { derIa5, derUnsigned } from "../../../src/tee/simulated/der.js";
import { signSnpReport } from "../../../src/tee/simulated/signSnpReport.js";
import { amdName, generateKey, mintCertificate, mintCrl, type KeyPair } from "../../support/pki.js";
import { loadSamples } from "./samples.js";

const AT = new Date("2030-06-01T00:00:00Z");
const base = loadSamples()[0]!.report;
const CHIP_ID = Uint8Array.from({ length: 64 }, (_, i) => (i * 5 + 3) & 0xff);

type Tcb = { fmc?: number; bootloader: number; tee: number; snp: number; microcode: number };
type Product = "Genoa" | "Turin";

let ark: Record<Product, KeyPair>;
let ask: Record<Product, KeyPair>;
let vcekKey: KeyPair;
let certs: Record<Product, { ark: X509Certificate; ask: X509Certificate }>;
let pins: PinnedRoot[];

/** Milan/Genoa TCB_VERSION: BOOT_LOADER, TEE, 4 reserved, SNP, MICROCODE; Turin: FMC, BL, TEE, SNP, 3 reserved, UCODE. */
function tcbBytes(product: Product, tcb: Tcb): number[] {
  return product === "Turin"
    ? [tcb.fmc ?? 0, tcb.bootloader, tcb.tee, tcb.snp, 0, 0, 0, tcb.microcode]
    : [tcb.bootloader, tcb.tee, 0, 0, 0, 0, tcb.snp, tcb.microcode];
}

function report(product: Product, tcb: Tcb, changes: (b: Uint8Array, v: DataView) => void = () => {}): Uint8Array {
  const b = new Uint8Array(base);
  const v = new DataView(b.buffer);
  v.setUint32(0, 3, true);
  b.set(product === "Turin" ? [0x1a, 0x02, 0x00] : [0x19, 0x11, 0x01], 0x188);
  b.set(tcbBytes(product, tcb), 0x180);
  b.set(tcbBytes(product, tcb), 0x1f0);
  b.set(CHIP_ID, 0x1a0);
  // The base sample's guest policy allows debugging and a migration agent; a production guest does neither.
  b[0x0a] = b[0x0a]! & ~0x0c;
  changes(b, v);
  return signSnpReport(b, vcekKey.privateKey);
}

function collateral(product: Product, tcb: Tcb, crls: Uint8Array[] = []): SnpCollateral {
  const extensions: Record<string, Uint8Array> = {
    [AMD_OID.productName]: derIa5(product),
    [AMD_OID.blSpl]: derUnsigned(tcb.bootloader),
    [AMD_OID.teeSpl]: derUnsigned(tcb.tee),
    [AMD_OID.snpSpl]: derUnsigned(tcb.snp),
    [AMD_OID.ucodeSpl]: derUnsigned(tcb.microcode),
    [AMD_OID.hwId]: product === "Turin" ? CHIP_ID.slice(0, 8) : CHIP_ID,
    ...(product === "Turin" ? { [AMD_OID.fmcSpl]: derUnsigned(tcb.fmc ?? 0) } : {}),
  };
  const vcek = mintCertificate({ subject: amdName("SEV-VCEK"), key: vcekKey, issuer: { name: certs[product].ask, privateKey: ask[product].privateKey }, serial: 9, extensions }).certificate;
  return createSnpCollateral({
    certificates: [certs[product].ark, certs[product].ask, vcek],
    crls: crls.map((der, i) => ({ der, source: `crl${i}` })),
  });
}

function arkCrl(product: Product, revoked: number[]): Uint8Array {
  return mintCrl({
    issuer: { name: certs[product].ark, privateKey: ark[product].privateKey },
    revoked,
    thisUpdate: new Date("2030-05-01T00:00:00Z"),
    nextUpdate: new Date("2030-07-01T00:00:00Z"),
  });
}

function rootOf(product: Product): `0x${string}` {
  return `0x${createHash("sha256").update(certs[product].ark.raw).digest("hex")}`;
}

/** Reference values as a relying party writes them: the measurement it built, defaults for everything else. */
function referenceValues(measurement: string, snp: Partial<ReferenceValuesInput["tee"]["SEV_SNP"]> = {}) {
  return parseReferenceValues({ version: 1, tee: { SEV_SNP: { allowedMeasurements: [measurement], ...snp } } });
}

function failedCodes(evidence: Uint8Array, coll: SnpCollateral, refs: ReturnType<typeof referenceValues>): string[] {
  const verified = verifySnpReport({ evidence, now: AT, collateral: coll, extraTrustedRoots: pins });
  return appraise(verified.claims, refs, AT, { checks: verified.checks }).failures.map((failure) => failure.code);
}

function measurementOf(evidence: Uint8Array, coll: SnpCollateral): string {
  return verifySnpReport({ evidence, now: AT, collateral: coll, extraTrustedRoots: pins }).claims.measurement;
}

beforeAll(() => {
  ark = { Genoa: generateKey("RSA"), Turin: generateKey("RSA") };
  ask = { Genoa: generateKey("RSA"), Turin: generateKey("RSA") };
  vcekKey = generateKey("P-384");
  const make = (product: Product) => {
    const arkCert = mintCertificate({ subject: amdName(`ARK-${product}`), key: ark[product], serial: 1, ca: true });
    return { ark: arkCert.certificate, ask: mintCertificate({ subject: amdName(`SEV-${product}`), key: ask[product], issuer: arkCert, serial: 2, ca: true }).certificate };
  };
  certs = { Genoa: make("Genoa"), Turin: make("Turin") };
  pins = (["Genoa", "Turin"] as const).map((product) => ({ name: `test ARK-${product}`, sha256: rootOf(product).slice(2) }));
});

const GOOD: Tcb = { bootloader: 9, tee: 0, snp: 24, microcode: 219 };

describe("item 3: revocation cannot disappear by leaving the CRL out", () => {
  it("a report under a revoked ASK, with the ARK's CRL omitted by the prover, fails the default reference values", () => {
    const evidence = report("Genoa", GOOD);
    const measurement = measurementOf(evidence, collateral("Genoa", GOOD, [arkCrl("Genoa", [])]));
    // With the CRL the ASK (serial 2) is revoked: the honest verdict.
    expect(() => verifySnpReport({ evidence, now: AT, collateral: collateral("Genoa", GOOD, [arkCrl("Genoa", [2])]), extraTrustedRoots: pins })).toThrowError(
      expect.objectContaining({ code: "CERT_REVOKED" }),
    );
    // The attacker's prover serves the same chain without the CRL.
    const codes = failedCodes(evidence, collateral("Genoa", GOOD), referenceValues(measurement));
    expect(codes).toContain("CHECK_NOT_PERFORMED");
  });

  it("skipping revocation is a named opt-out that the appraisal reports, and the claims say nobody judged the TCB", () => {
    const evidence = report("Genoa", GOOD);
    const verified = verifySnpReport({ evidence, now: AT, collateral: collateral("Genoa", GOOD), extraTrustedRoots: pins });
    expect(verified.claims.tcbStatus).toBe(254);
    const refs = referenceValues(verified.claims.measurement, { skipChecks: ["revocation"], acceptedTcbStatuses: ["UNKNOWN"] });
    const appraisal = appraise(verified.claims, refs, AT, { checks: verified.checks });
    expect(appraisal.failures).toEqual([]);
    expect(appraisal.skippedChecks).toEqual(["revocation"]);
  });

  it("complete collateral passes the default reference values", () => {
    const evidence = report("Genoa", GOOD);
    const coll = collateral("Genoa", GOOD, [arkCrl("Genoa", [77])]);
    expect(failedCodes(evidence, coll, referenceValues(measurementOf(evidence, coll)))).toEqual([]);
  });
});

describe("item 7: SVN minimums are per component", () => {
  // The minimum of the issue, (bootloader 4, tee 0, snp 24, microcode 219), as today's packed number.
  const PACKED_MIN = (4 << 24) | (0 << 16) | (24 << 8) | 219;

  it("a Genoa report with bootloader 9, SNP firmware 0, microcode 0 fails a minimum of (4, 0, 24, 219)", () => {
    const weak: Tcb = { bootloader: 9, tee: 0, snp: 0, microcode: 0 };
    const evidence = report("Genoa", weak);
    const coll = collateral("Genoa", weak, [arkCrl("Genoa", [])]);
    const codes = failedCodes(evidence, coll, referenceValues(measurementOf(evidence, coll), { minSvn: PACKED_MIN }));
    expect(codes).toEqual(["SVN_TOO_LOW"]);
  });

  it("per-product minimums by component: each product is held to its own, and a root without one fails", () => {
    const evidence = report("Genoa", GOOD);
    const coll = collateral("Genoa", GOOD, [arkCrl("Genoa", [])]);
    const measurement = measurementOf(evidence, coll);
    const minTcb = (genoa: Tcb) => ({ [rootOf("Genoa")]: genoa, [rootOf("Turin")]: { fmc: 1, bootloader: 1, tee: 1, snp: 1, microcode: 1 } });
    expect(failedCodes(evidence, coll, referenceValues(measurement, { minTcb: minTcb(GOOD) }))).toEqual([]);
    expect(failedCodes(evidence, coll, referenceValues(measurement, { minTcb: minTcb({ ...GOOD, microcode: 220 }) }))).toEqual(["SVN_TOO_LOW"]);
    expect(failedCodes(evidence, coll, referenceValues(measurement, { minTcb: { [rootOf("Turin")]: GOOD } }))).toEqual(["SVN_TOO_LOW"]);
  });

  it("a look-alike ARK named ARK-Genoa is not AMD's Genoa: a minimum keyed by product name does not apply to it", () => {
    // The test hierarchy's ARK has the subject CN ARK-Genoa and is trusted as an extra root, as a dev root would be.
    const evidence = report("Genoa", GOOD);
    const verified = verifySnpReport({ evidence, now: AT, collateral: collateral("Genoa", GOOD, [arkCrl("Genoa", [])]), extraTrustedRoots: pins });
    expect(verified.product).toBe("Genoa");
    expect(verified.rootProduct).toBeUndefined();
    const refs = referenceValues(verified.claims.measurement, { minTcb: { Genoa: { bootloader: 0, tee: 0, snp: 0, microcode: 0 } } });
    const appraisal = appraise(verified.claims, refs, AT, { checks: verified.checks, rootProduct: verified.rootProduct });
    expect(appraisal.failures.map((failure) => `${failure.rule}: ${failure.message}`)).toEqual([`minTcb: The policy lists per-product minimums but none for root ${rootOf("Genoa")}`]);
  });

  it("Turin's FMC SVN is part of svn and of the minimum", () => {
    const tcb: Tcb = { fmc: 1, bootloader: 3, tee: 4, snp: 25, microcode: 0x48 };
    const evidence = report("Turin", tcb);
    const coll = collateral("Turin", tcb, [arkCrl("Turin", [])]);
    const verified = verifySnpReport({ evidence, now: AT, collateral: coll, extraTrustedRoots: pins });
    expect(verified.claims.svn).toBe(0x48 + 25 * 2 ** 8 + 4 * 2 ** 16 + 3 * 2 ** 24 + 1 * 2 ** 32);
    const refs = referenceValues(verified.claims.measurement, { minTcb: { [rootOf("Turin")]: { ...tcb, fmc: 2 } } });
    expect(appraise(verified.claims, refs, AT, { checks: verified.checks }).failures.map((f) => f.code)).toEqual(["SVN_TOO_LOW"]);
  });
});

describe("item 13: VMPL and MIGRATE_MA are part of the measured identity", () => {
  it("a report requested at VMPL 2 does not carry the VMPL-0 measurement the policy allows", () => {
    const coll = collateral("Genoa", GOOD, [arkCrl("Genoa", [])]);
    const vmpl0 = measurementOf(report("Genoa", GOOD), coll);
    const vmpl2 = report("Genoa", GOOD, (_, v) => v.setUint32(0x30, 2, true));
    expect(failedCodes(vmpl2, coll, referenceValues(vmpl0))).toEqual(["MEASUREMENT_NOT_ALLOWED"]);
  });

  it("a guest whose policy allows a migration agent does not carry the allowlisted measurement", () => {
    const coll = collateral("Genoa", GOOD, [arkCrl("Genoa", [])]);
    const plain = measurementOf(report("Genoa", GOOD), coll);
    const withMa = report("Genoa", GOOD, (b) => (b[0x0a] = b[0x0a]! | 0x04));
    expect(failedCodes(withMa, coll, referenceValues(plain))).toEqual(["MEASUREMENT_NOT_ALLOWED"]);
  });

  it("a relying party that wants VMPL 2 allows that measurement explicitly", () => {
    const coll = collateral("Genoa", GOOD, [arkCrl("Genoa", [])]);
    const vmpl2 = report("Genoa", GOOD, (_, v) => v.setUint32(0x30, 2, true));
    expect(failedCodes(vmpl2, coll, referenceValues(measurementOf(vmpl2, coll)))).toEqual([]);
  });
});
