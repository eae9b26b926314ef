import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import { TeezkError } from "../../../../src/errors/index.js";
import { clearDcapCaches, INTEL_SGX_ROOT_CA, parseDcapQvlCollateral } from "../../../../src/evidence/tdx/collateral/index.js";
import { binaryField } from "../../../../src/evidence/tdx/collateral/collateralFields.js";
import { parseCertificateCached } from "../../../../src/evidence/tdx/collateral/parseCertificateCached.js";
import { verifyCertificateChainCached } from "../../../../src/evidence/tdx/collateral/verifyCertificateChainCached.js";
import { fixturePath } from "../../../../src/fixtures/fixturesDir.js";
import { parseCertificate } from "../../../../src/util/x509.js";

const collateralFile = fixturePath("tdx/dcapqvl-v4-b0c06f/collateral.json");
const collateral = JSON.parse(readFileSync(collateralFile, "utf8")) as Record<string, string>;
const [signingPem, rootPem] = collateral.tcb_info_issuer_chain!.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)! as [string, string];
const VALID = new Date("2025-06-20T12:00:00Z");

function outcome(fn: () => unknown): string {
  try {
    const value = fn();
    return value instanceof X509Certificate ? `ok ${value.fingerprint256}` : "ok";
  } catch (error) {
    if (error instanceof TeezkError) return error.code;
    throw error;
  }
}

/** `pem` with `junk` inserted in the middle of its base64 body. */
function withJunk(pem: string, junk: string): string {
  const at = pem.indexOf("\n", 100) + 10;
  return `${pem.slice(0, at)}${junk}${pem.slice(at)}`;
}

describe("parseCertificateCached", () => {
  beforeEach(() => clearDcapCaches());

  it("parses real PEM and DER to the certificate OpenSSL reads, once per content", () => {
    const fromPem = parseCertificateCached(rootPem, "root");
    expect(fromPem.fingerprint256).toBe(new X509Certificate(rootPem).fingerprint256);
    expect(parseCertificateCached(rootPem, "root again")).toBe(fromPem);
    const der = new Uint8Array(new X509Certificate(signingPem).raw);
    expect(parseCertificateCached(der, "signing").fingerprint256).toBe(new X509Certificate(signingPem).fingerprint256);
  });

  // Node's base64 decoder skips characters that are not base64; OpenSSL's PEM reader refuses them. Decoding such
  // a block ourselves would accept text OpenSSL refuses: it must take OpenSSL's path and get OpenSSL's answer.
  it("a block with characters outside base64 gets OpenSSL's answer, not the lenient decoder's", () => {
    for (const junk of ["!", "*", "\u00e9", " ", "\t"]) {
      const mangled = withJunk(rootPem, junk);
      const body = mangled.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "");
      expect(new X509Certificate(Buffer.from(body, "base64")).fingerprint256, "the lenient decoder still finds the root").toBe(new X509Certificate(rootPem).fingerprint256);
      expect(outcome(() => parseCertificateCached(mangled, "mangled"))).toBe(outcome(() => parseCertificate(mangled, "mangled")));
    }
  });

  it("every copy of the Intel root, PEM or DER, is the one trust anchor parsed from the embedded DER, even after the caches are emptied", () => {
    const anchor = parseCertificateCached(rootPem, "root in TCB info's chain");
    expect(anchor.fingerprint256.replaceAll(":", "").toLowerCase()).toBe(INTEL_SGX_ROOT_CA.sha256);
    clearDcapCaches();
    expect(parseCertificateCached(new Uint8Array(new X509Certificate(rootPem).raw), "root as DER")).toBe(anchor);
  });

  // Were the anchor handed to anything that only resembles the root (same length, same prefix, same signature), a
  // forged root would chain as Intel's.
  it("a copy of the Intel root that differs in one byte is parsed as itself and is not trusted", () => {
    const anchor = parseCertificateCached(rootPem, "root");
    const rootDer = Buffer.from(new X509Certificate(rootPem).raw);
    const subjectByte = rootDer.indexOf(Buffer.from("Intel SGX Root CA")) + 6;
    for (const at of [subjectByte, rootDer.length - 1]) {
      const forgedDer = Buffer.from(rootDer);
      forgedDer[at]! ^= 0x01;
      const forged = parseCertificateCached(new Uint8Array(forgedDer), "forged root");
      expect(forged).not.toBe(anchor);
      expect(forged.fingerprint256).toBe(new X509Certificate(forgedDer).fingerprint256);
      expect(outcome(() => verifyCertificateChainCached({ chain: [forged], pinnedRoots: [INTEL_SGX_ROOT_CA], at: VALID, what: "forged root" }))).toBe("CERT_CHAIN_INVALID");
    }
  });

  it("a failure is not remembered: a malformed block is refused on every call", () => {
    const broken = rootPem.replace("MII", "MIJ");
    for (let round = 0; round < 2; round++) expect(outcome(() => parseCertificateCached(broken, "broken"))).toBe("CERT_PARSE");
  });
});

describe("remembered certificate signatures", () => {
  beforeEach(() => clearDcapCaches());

  it("after the Intel root's self-signature was remembered, a certificate it did not sign still fails", () => {
    const root = parseCertificateCached(rootPem, "root");
    const signing = parseCertificateCached(signingPem, "signing");
    verifyCertificateChainCached({ chain: [signing, root], pinnedRoots: [INTEL_SGX_ROOT_CA], at: VALID, what: "TCB signing chain" });
    const forgedDer = Buffer.from(signing.raw);
    forgedDer[forgedDer.length - 1]! ^= 0x01;
    const forged = new X509Certificate(forgedDer);
    expect(outcome(() => verifyCertificateChainCached({ chain: [forged, root], pinnedRoots: [INTEL_SGX_ROOT_CA], at: VALID, what: "TCB signing chain" }))).toBe("SIGNATURE_INVALID");
  });
});

describe("hex fields of dcap-qvl collateral", () => {
  // Node's hex decoder stops at the first pair that is not hex and returns what it decoded so far.
  it("binaryField refuses hex that Node's decoder would silently cut short", () => {
    for (const bad of ["ab0g", "0gab", "abcdzz", "ab cd", "abc"]) expect(outcome(() => binaryField(bad, "field", 16))).toBe("COLLATERAL_INVALID");
    expect(Array.from(binaryField("0xAbcD", "field", 16))).toEqual([0xab, 0xcd]);
    expect(outcome(() => binaryField("ab".repeat(17), "field", 16))).toBe("COLLATERAL_INVALID");
  });

  it("refuses hex with a character that is not hex anywhere in it, as the full-string check did", () => {
    const crl = collateral.pck_crl!;
    for (const bad of [`${crl.slice(0, -2)}0g`, `zz${crl.slice(2)}`, `${crl.slice(0, 100)}x1${crl.slice(102)}`, `${crl.slice(0, -1)}`]) {
      const json = { ...collateral, pck_crl: bad };
      expect(outcome(() => parseDcapQvlCollateral(new TextEncoder().encode(JSON.stringify(json)), "collateral.json"))).toBe("COLLATERAL_INVALID");
    }
    expect(outcome(() => parseDcapQvlCollateral(new TextEncoder().encode(JSON.stringify({ ...collateral, pck_crl: crl.toUpperCase() })), "collateral.json"))).toBe("ok");
  });
});
