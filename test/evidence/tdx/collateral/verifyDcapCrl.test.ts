import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isCertificateRevoked, isCrlIssuedBy, parseDcapCrl, verifyDcapCrl } from "../../../../src/evidence/tdx/collateral/index.js";
import { fixturePath } from "../../../../src/fixtures/fixturesDir.js";
import { parseCertificate } from "../../../../src/util/x509.js";
import { quoteFields } from "./quoteFields.js";
import { codeOf } from "../../../support/rejection.js";

const DIR = "tdx/automata-v4-00806f05";
const pckCrl = () => parseDcapCrl(new Uint8Array(readFileSync(fixturePath(`${DIR}/pck_platform_crl.der`))), "pck_platform_crl.der");
const rootCrl = () => parseDcapCrl(new Uint8Array(readFileSync(fixturePath(`${DIR}/intel_root_ca_crl.der`))), "intel_root_ca_crl.der");
const platformCa = () => parseCertificate(readFileSync(fixturePath(`${DIR}/pck_platform_ca.der`)));
const root = () => parseCertificate(readFileSync(fixturePath("roots/intel-sgx/Intel_SGX_Root_CA.der")));
const NOW = new Date("2025-07-08T12:00:00Z");

describe("parseDcapCrl on Intel's PCK Platform CRL (values read with `openssl crl -text`)", () => {
  it("reads the update window and all 44 revoked serials", () => {
    const crl = pckCrl();
    expect(crl.thisUpdate.toISOString()).toBe("2025-07-07T09:15:57.000Z");
    expect(crl.nextUpdate?.toISOString()).toBe("2025-08-06T09:15:57.000Z");
    expect(crl.revokedSerials.size).toBe(44);
    expect(crl.signatureAlgorithm).toBe("1.2.840.10045.4.3.2");
  });

  it("finds listed serials however they are written: high bit (DER 00 prefix), leading zero nibble, node's uppercase", () => {
    const crl = pckCrl();
    expect(isCertificateRevoked(crl, { serialNumber: "EFAE6E9715FCA13B87E333E8261ED6D990A926AD" })).toBe(true);
    expect(isCertificateRevoked(crl, { serialNumber: "00EFAE6E9715FCA13B87E333E8261ED6D990A926AD" })).toBe(true);
    expect(isCertificateRevoked(crl, { serialNumber: "0702136900252274d9035eedf5457462fad0ef4c" })).toBe(true);
    expect(isCertificateRevoked(crl, { serialNumber: "702136900252274D9035EEDF5457462FAD0EF4C" })).toBe(true);
    expect(isCertificateRevoked(crl, { serialNumber: "0702136900252274D9035EEDF5457462FAD0EF4D" })).toBe(false);
  });

  it("the sample's own PCK leaf is not listed; the Intel root CRL of 2025 lists nothing", () => {
    const leaf = quoteFields(`${DIR}/quote.bin`).pckChain[0]!;
    expect(isCertificateRevoked(pckCrl(), leaf)).toBe(false);
    expect(rootCrl().revokedSerials.size).toBe(0);
  });

  it("refuses junk and oversized input with COLLATERAL_INVALID", () => {
    expect(codeOf(() => parseDcapCrl(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]), "x"))).toBe("COLLATERAL_INVALID");
    expect(codeOf(() => parseDcapCrl(new Uint8Array(2 << 20), "x"))).toBe("COLLATERAL_INVALID");
    const truncated = new Uint8Array(readFileSync(fixturePath(`${DIR}/pck_platform_crl.der`))).subarray(0, 1000);
    expect(codeOf(() => parseDcapCrl(truncated, "x"))).toBe("COLLATERAL_INVALID");
  });
});

describe("verifyDcapCrl", () => {
  it("accepts the PCK CRL from the Platform CA and the root CRL from the root, while current", () => {
    expect(() => verifyDcapCrl({ crl: pckCrl(), issuer: platformCa(), now: NOW })).not.toThrow();
    expect(() => verifyDcapCrl({ crl: rootCrl(), issuer: root(), now: NOW })).not.toThrow();
    expect(isCrlIssuedBy(pckCrl(), platformCa())).toBe(true);
    expect(isCrlIssuedBy(pckCrl(), root())).toBe(false);
  });

  it("wrong issuer → CRL_INVALID", () => {
    expect(codeOf(() => verifyDcapCrl({ crl: pckCrl(), issuer: root(), now: NOW }))).toBe("CRL_INVALID");
  });

  it("one flipped byte in the signed list → CRL_INVALID", () => {
    const crl = pckCrl();
    const tbs = new Uint8Array(crl.tbs);
    tbs[tbs.length - 5]! ^= 0x01;
    expect(codeOf(() => verifyDcapCrl({ crl: { ...crl, tbs }, issuer: platformCa(), now: NOW }))).toBe("CRL_INVALID");
  });

  it("before thisUpdate or after nextUpdate → COLLATERAL_EXPIRED", () => {
    expect(codeOf(() => verifyDcapCrl({ crl: pckCrl(), issuer: platformCa(), now: new Date("2025-07-07T09:15:56Z") }))).toBe("COLLATERAL_EXPIRED");
    expect(codeOf(() => verifyDcapCrl({ crl: pckCrl(), issuer: platformCa(), now: new Date("2025-08-06T09:15:58Z") }))).toBe("COLLATERAL_EXPIRED");
  });
});
