import { readFileSync } from "node:fs";
import { AsnConvert } from "@peculiar/asn1-schema";
import { Certificate, CertificateList } from "@peculiar/asn1-x509";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TeezkError } from "../../../../src/errors/index.js";
import { isCrlIssuedBy, loadDcapCollateral, parseDcapCrl } from "../../../../src/evidence/tdx/collateral/index.js";
import { normalizeSerial } from "../../../../src/evidence/tdx/collateral/parseDcapCrl.js";
import { readCertificateFields } from "../../../../src/evidence/tdx/collateral/readCertificateFields.js";
import { fixturePath } from "../../../../src/fixtures/fixturesDir.js";
import { quoteFields } from "./quoteFields.js";

/**
 * parseDcapCrl and readCertificateFields walk the DER by hand for speed; @peculiar/asn1-x509 (a full schema
 * parser, independent of that walk) is the oracle here on every real CRL and certificate of the fixtures.
 */
const CRL_FILES = [
  "tdx/automata-v4-00806f05/pck_platform_crl.der",
  "tdx/automata-v4-00806f05/intel_root_ca_crl.der",
  "tdx/gotdx-spr-e4-v4-50806f/pck_platform_crl.der",
  "tdx/gotdx-spr-e4-v4-50806f/intel_root_ca_crl.der",
  "sgx/automata-v3-00606a/pck_platform_crl.der",
];
const QVL_DIRS = ["tdx/dcapqvl-v4-b0c06f", "tdx/dcapqvl-near-v4-20a06f", "sgx/dcapqvl-v3-00a06711"];

function realCrls(): Array<{ name: string; der: Uint8Array }> {
  const out = CRL_FILES.map((file) => ({ name: file, der: new Uint8Array(readFileSync(fixturePath(file))) }));
  for (const dir of QVL_DIRS) {
    const json = JSON.parse(readFileSync(fixturePath(`${dir}/collateral.json`), "utf8")) as Record<string, string>;
    out.push({ name: `${dir} pck_crl`, der: new Uint8Array(Buffer.from(json.pck_crl!, "hex")) });
    out.push({ name: `${dir} root_ca_crl`, der: new Uint8Array(Buffer.from(json.root_ca_crl!, "hex")) });
  }
  return out;
}

describe("parseDcapCrl agrees with @peculiar/asn1-x509 on every real CRL", () => {
  for (const { name, der } of realCrls()) {
    it(name, () => {
      const ours = parseDcapCrl(der, name);
      const oracle = AsnConvert.parse(der, CertificateList);
      expect(ours.thisUpdate.getTime()).toBe(oracle.tbsCertList.thisUpdate.getTime().getTime());
      expect(ours.nextUpdate?.getTime()).toBe(oracle.tbsCertList.nextUpdate?.getTime().getTime());
      expect(ours.signatureAlgorithm).toBe(oracle.signatureAlgorithm.algorithm);
      expect(Buffer.from(ours.issuerDer)).toEqual(Buffer.from(AsnConvert.serialize(oracle.tbsCertList.issuer)));
      expect(Buffer.from(ours.signature)).toEqual(Buffer.from(oracle.signature));
      expect(ours.signature[0]).toBe(0x30); // an ECDSA-Sig-Value SEQUENCE
      const serials = (oracle.tbsCertList.revokedCertificates ?? []).map((entry) => normalizeSerial(Buffer.from(entry.userCertificate).toString("hex")));
      expect([...ours.revokedSerials].sort()).toEqual([...new Set(serials)].sort());
    });
  }

  it("mutated and truncated real CRLs: only COLLATERAL_INVALID TeezkErrors, never a crash", () => {
    const crls = realCrls();
    fc.assert(
      fc.property(fc.nat(crls.length - 1), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean(), (which, at, byte, cut) => {
        const source = crls[which]!.der;
        const der = new Uint8Array(source);
        const offset = at % der.length;
        der[offset] = byte;
        const input = cut ? der.subarray(0, offset) : der;
        try {
          parseDcapCrl(input, "fuzz");
        } catch (error) {
          if (!(error instanceof TeezkError) || error.code !== "COLLATERAL_INVALID") throw error;
        }
      }),
      { numRuns: 1500 },
    );
  });
});

describe("readCertificateFields agrees with @peculiar/asn1-x509 on real certificates", () => {
  const certificates = [
    ...QVL_DIRS.flatMap((dir) => {
      const collateral = loadDcapCollateral(fixturePath(dir));
      return [...collateral.tcbInfo!.issuerChain!, ...collateral.pckCrlIssuerChain!];
    }),
    ...["tdx/dcapqvl-v4-b0c06f/quote.bin", "sgx/dcapqvl-v3-00a06711/quote.bin", "tdx/automata-v5-90c06f/quote.bin"].flatMap((quote) => quoteFields(quote).pckChain),
  ];
  it(`subject DER and extensions of ${certificates.length} certificates`, () => {
    for (const cert of certificates) {
      const ours = readCertificateFields(cert.raw);
      const oracle = AsnConvert.parse(cert.raw, Certificate).tbsCertificate;
      expect(Buffer.from(ours.subjectDer)).toEqual(Buffer.from(AsnConvert.serialize(oracle.subject)));
      expect(ours.extensions.map((extension) => [extension.oid, extension.critical, Buffer.from(extension.value).toString("hex")])).toEqual(
        (oracle.extensions ?? []).map((extension) => [extension.extnID, extension.critical, Buffer.from(extension.extnValue.buffer).toString("hex")]),
      );
    }
  });

  it("each real CRL is issued by the certificate its collateral names, and not by the other CA", () => {
    for (const dir of QVL_DIRS) {
      const collateral = loadDcapCollateral(fixturePath(dir));
      const [pckCa, root] = collateral.pckCrlIssuerChain!;
      expect(isCrlIssuedBy(collateral.pckCrls![0]!, pckCa!)).toBe(true);
      expect(isCrlIssuedBy(collateral.pckCrls![0]!, root!)).toBe(false);
      expect(isCrlIssuedBy(collateral.rootCaCrl!, root!)).toBe(true);
      expect(isCrlIssuedBy(collateral.rootCaCrl!, pckCa!)).toBe(false);
    }
  });

  it("mutated certificates: only CERT_PARSE TeezkErrors", () => {
    const der = certificates[0]!.raw;
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 0, max: 255 }), (at, byte) => {
        const copy = new Uint8Array(der);
        copy[at % copy.length] = byte;
        try {
          readCertificateFields(copy);
        } catch (error) {
          if (!(error instanceof TeezkError) || error.code !== "CERT_PARSE") throw error;
        }
      }),
      { numRuns: 1500 },
    );
  });
});
