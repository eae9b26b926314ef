import { X509Certificate, createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fixturePath } from "../../../src/fixtures/fixturesDir.js";
import {
  SNP_PINNED_ROOTS,
  createSnpCollateral,
  loadSnpCollateral,
  verifySnpReport,
} from "../../../src/evidence/sevsnp/index.js";
import { TeezkError } from "../../../src/errors/index.js";
import { amdOid, extensionValue, loadSamples, roots, sampleCollateral, signerDer } from "./samples.js";
import { codeOf } from "../../support/rejection.js";

const samples = loadSamples();
const sha256 = (bytes: Uint8Array) => `0x${createHash("sha256").update(bytes).digest("hex")}`;
const hex = (bytes: Uint8Array) => `0x${Buffer.from(bytes).toString("hex")}`;

function pemDer(relative: string): Uint8Array {
  const text = readFileSync(fixturePath(relative), "latin1");
  const first = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(text)![1]!;
  return new Uint8Array(Buffer.from(first.replace(/\s+/g, ""), "base64"));
}

describe("SNP_PINNED_ROOTS", () => {
  it("pins the SHA-256 of each ARK in roots/amd-sev-snp, and the prefixes PROVENANCE.md publishes", () => {
    const provenance = readFileSync(fixturePath("roots/amd-sev-snp/PROVENANCE.md"), "utf8");
    for (const product of ["milan", "genoa", "turin"]) {
      const fingerprint = sha256(pemDer(`roots/amd-sev-snp/ark_${product}.pem`)).slice(2);
      const pin = SNP_PINNED_ROOTS.find((root) => root.name.toLowerCase() === `ark-${product}`);
      expect(pin?.sha256).toBe(fingerprint);
      expect(provenance).toContain(`sha256(DER)=${fingerprint.slice(0, 16)}`);
    }
  });
});

describe("verifySnpReport on real samples", () => {
  for (const sample of samples) {
    it(`${sample.name}: verifies at ${sample.at.toISOString().slice(0, 10)} with claims read independently`, () => {
      const result = verifySnpReport({ evidence: sample.evidence, now: sample.at, collateral: sampleCollateral(sample) });
      const b = sample.report;
      const ark = pemDer(`roots/amd-sev-snp/ark_${sample.product.toLowerCase()}.pem`);
      expect(result.claims.teeType).toBe(2);
      // VMPL 0 without a migration agent: the bare MEASUREMENT; otherwise VMPL and MIGRATE_MA join it (issue 12 item 13).
      const vmpl = b.subarray(0x30, 0x34);
      const migrateMa = (b[0x0a]! >> 2) & 1;
      const plain = vmpl.every((x) => x === 0) && migrateMa === 0;
      expect(result.claims.measurement).toBe(sha256(plain ? b.subarray(0x90, 0xc0) : Buffer.concat([b.subarray(0x90, 0xc0), vmpl, Uint8Array.of(migrateMa)])));
      expect(result.claims.reportData).toBe(hex(b.subarray(0x50, 0x70)));
      expect(result.claims.platformId).toBe(sha256(b.subarray(0x1a0, 0x1e0)));
      expect(result.claims.rootHash).toBe(sha256(ark));
      expect(result.claims.timestamp).toBe(BigInt(sample.at.getTime() / 1000));
      // No AMD CRL ships with the samples: revocation was not judged, so the status is UNKNOWN, not NOT_APPLICABLE.
      expect(result.claims.tcbStatus).toBe(254);
      const t = sample.reportedTcbHex;
      const byte = (i: number) => parseInt(t.slice(2 * i, 2 * i + 2), 16);
      // svn lanes: microcode, snp, tee, bootloader (Milan/Genoa: the bytes of the former packing).
      expect(result.claims.svn).toBe(byte(7) + byte(6) * 2 ** 8 + byte(1) * 2 ** 16 + byte(0) * 2 ** 24);
      expect(result.claims.debug).toBe(((b[0x0a]! >> 3) & 1) === 1);
      expect(result.product).toBe(sample.product);
      expect(result.registers.signingKey).toBe(sample.signingKey);
      expect(result.registers.hostData).toBe(hex(b.subarray(0xc0, 0xe0)));
      expect(result.registers.reportDataFull).toBe(hex(b.subarray(0x50, 0x90)));
      expect(result.registers.reportedTcb).toBe(`0x${t}`);
      expect(result.checks).toMatchObject({ signature: "passed", certChain: "passed", validity: "passed", tcbExtensions: "passed", revocation: "not_checked" });

      // The signer's TCB extensions (read here by scanning the DER) are the report's REPORTED_TCB.
      const der = signerDer(sample);
      const spl = (n: number) => extensionValue(der, amdOid(3, n))!;
      expect(spl(1).at(-1)).toBe(byte(0));
      expect(spl(2).at(-1)).toBe(byte(1));
      expect(spl(3).at(-1)).toBe(byte(6));
      expect(spl(8).at(-1)).toBe(byte(7));
      const hwId = extensionValue(der, amdOid(4));
      if (sample.signingKey === "vcek") {
        const raw = hwId!.length === 66 ? hwId!.subarray(2) : hwId!;
        expect(hex(raw)).toBe(hex(b.subarray(0x1a0, 0x1e0)));
      } else {
        expect(hwId).toBeUndefined();
        expect(b.subarray(0x1a0, 0x1e0).every((x) => x === 0)).toBe(true);
      }
    });
  }

  it("the Azure sample is recognised as JSON, as a bare HCL report and as the raw report cut at [32, 1216)", () => {
    const sample = samples[3]!;
    const collateral = sampleCollateral(sample);
    const json = JSON.parse(Buffer.from(sample.evidence).toString("utf8")) as { report: number[] };
    const hcl = Uint8Array.from(json.report);
    expect(Buffer.from(hcl.subarray(0, 4)).toString("latin1")).toBe("HCLA");
    const viaJson = verifySnpReport({ evidence: sample.evidence, now: sample.at, collateral });
    const viaHcl = verifySnpReport({ evidence: hcl, now: sample.at, collateral });
    const viaRaw = verifySnpReport({ evidence: sample.report, now: sample.at, collateral });
    expect([viaJson.container, viaHcl.container, viaRaw.container]).toEqual(["azure-json", "azure-hcl", "raw"]);
    expect(viaHcl.claims).toEqual(viaJson.claims);
    expect(viaRaw.claims).toEqual(viaJson.claims);
  });

  it("the Azure JSON's embedded VCEK is used when the collateral has only the roots", () => {
    const sample = samples[3]!;
    expect(verifySnpReport({ evidence: sample.evidence, now: sample.at, collateral: roots() }).product).toBe("Genoa");
    // A raw report has no embedded VCEK: the missing one is named.
    const error = (() => {
      try {
        verifySnpReport({ evidence: sample.report, now: sample.at, collateral: roots() });
      } catch (e) {
        return e as TeezkError;
      }
    })();
    expect(error?.code).toBe("COLLATERAL_MISSING");
    expect(error?.message).toContain(`VCEK for chip ${hex(sample.report.subarray(0x1a0, 0x1e0))}`);
    expect(error?.message).toContain("not in collateral folder");
  });

  it("VCEK samples still verify today (their VCEKs run to 2029+)", () => {
    for (const sample of samples.filter((s) => s.signingKey === "vcek")) {
      expect(verifySnpReport({ evidence: sample.evidence, now: new Date(), collateral: sampleCollateral(sample) }).claims.teeType).toBe(2);
    }
  });

  it("the VLEK sample is rejected today: its VLEK expired 2025-12-10", () => {
    const sample = samples[2]!;
    expect(codeOf(() => verifySnpReport({ evidence: sample.evidence, now: new Date(), collateral: sampleCollateral(sample) }))).toBe("CERT_EXPIRED");
    expect(codeOf(() => verifySnpReport({ evidence: sample.evidence, now: new Date("2025-12-11T00:00:00Z"), collateral: sampleCollateral(sample) }))).toBe("CERT_EXPIRED");
  });

  it("rejects the two NEGATIVE VCEKs of trustee-milan-vcek (not signed by the Milan ASK)", () => {
    const sample = samples[1]!;
    for (const file of ["NEGATIVE-vcek-invalid-legacy.der", "NEGATIVE-vcek-invalid-new.der"]) {
      const negative = new Uint8Array(readFileSync(fixturePath(`sev-snp/trustee-milan-vcek/${file}`)));
      const collateral = createSnpCollateral({ certificates: [new X509Certificate(Buffer.from(negative))], merge: [roots()] });
      expect(codeOf(() => verifySnpReport({ evidence: sample.evidence, now: sample.at, collateral }))).toBe("SIGNATURE_INVALID");
    }
  });

  it("with the NEGATIVE VCEKs in the same folder, the real VCEK is picked by hwID", () => {
    const sample = samples[1]!;
    const collateral = loadSnpCollateral([fixturePath("sev-snp/trustee-milan-vcek"), fixturePath("roots/amd-sev-snp")]);
    expect(collateral.vceks).toHaveLength(3);
    expect(verifySnpReport({ evidence: sample.evidence, now: sample.at, collateral }).checks.signature).toBe("passed");
  });
});
