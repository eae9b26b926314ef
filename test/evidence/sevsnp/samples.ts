/** The four real SEV-SNP samples, with dates and values taken from each sample's PROVENANCE.md. */
import { readFileSync } from "node:fs";
import { fixturePath } from "../../../src/fixtures/fixturesDir.js";
import { createSnpCollateral, loadSnpCollateral, type SnpCollateral } from "../../../src/evidence/sevsnp/index.js";

export type Sample = {
  name: string;
  /** The evidence file as shipped. */
  evidence: Uint8Array;
  /** The raw 1184-byte SNP report, cut out independently of the code under test. */
  report: Uint8Array;
  /** A time inside the signer's validity window (PROVENANCE dates). */
  at: Date;
  product: "Milan" | "Genoa";
  signingKey: "vcek" | "vlek";
  /** REPORTED_TCB as PROVENANCE.md prints it. */
  reportedTcbHex: string;
  version: number;
  signerFile: string;
};

function read(relative: string): Uint8Array {
  return new Uint8Array(readFileSync(fixturePath(relative)));
}

function azureReport(): Uint8Array {
  const json = JSON.parse(Buffer.from(read("sev-snp/trustee-azure-genoa-hcl/evidence.json")).toString("utf8")) as { report: number[] };
  // PROVENANCE: "the SNP report is bytes [32:1216] of the `report` byte array".
  return Uint8Array.from(json.report.slice(32, 1216));
}

export function loadSamples(): Sample[] {
  return [
    {
      name: "gosevguest-milan-vcek",
      evidence: read("sev-snp/gosevguest-milan-vcek/report.bin"),
      report: read("sev-snp/gosevguest-milan-vcek/report.bin"),
      at: new Date("2024-01-01T00:00:00Z"),
      product: "Milan",
      signingKey: "vcek",
      reportedTcbHex: "0200000000000544",
      version: 2,
      signerFile: "sev-snp/gosevguest-milan-vcek/vcek.der",
    },
    {
      name: "trustee-milan-vcek",
      evidence: read("sev-snp/trustee-milan-vcek/report.bin"),
      report: read("sev-snp/trustee-milan-vcek/report.bin"),
      at: new Date("2024-01-01T00:00:00Z"),
      product: "Milan",
      signingKey: "vcek",
      reportedTcbHex: "0300000000000873",
      version: 2,
      signerFile: "sev-snp/trustee-milan-vcek/vcek.der",
    },
    {
      name: "trustee-milan-vlek",
      evidence: read("sev-snp/trustee-milan-vlek/report.bin"),
      report: read("sev-snp/trustee-milan-vlek/report.bin"),
      at: new Date("2025-06-01T00:00:00Z"),
      product: "Milan",
      signingKey: "vlek",
      reportedTcbHex: "04000000000018d9",
      version: 3,
      signerFile: "sev-snp/trustee-milan-vlek/vlek.der",
    },
    {
      name: "trustee-azure-genoa-hcl",
      evidence: read("sev-snp/trustee-azure-genoa-hcl/evidence.json"),
      report: azureReport(),
      at: new Date("2025-06-01T00:00:00Z"),
      product: "Genoa",
      signingKey: "vcek",
      reportedTcbHex: "0a00000000001754",
      version: 3,
      signerFile: "sev-snp/trustee-azure-genoa-hcl/vcek.pem",
    },
  ];
}

let rootsCache: SnpCollateral | undefined;
export function roots(): SnpCollateral {
  rootsCache ??= loadSnpCollateral(fixturePath("roots/amd-sev-snp"));
  return rootsCache;
}

/** The sample folder plus roots/amd-sev-snp, as DESIGN asks callers to combine them. */
export function sampleCollateral(sample: Sample): SnpCollateral {
  return createSnpCollateral({ merge: [loadSnpCollateral(fixturePath(`sev-snp/${sample.name}`)), roots()] });
}

/** The certificate file's DER (PEM bodies decoded here, independently of the loader). */
export function signerDer(sample: Sample): Uint8Array {
  const bytes = read(sample.signerFile);
  const text = Buffer.from(bytes).toString("latin1");
  if (!text.startsWith("-----BEGIN")) return bytes;
  const body = text.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
  return new Uint8Array(Buffer.from(body, "base64"));
}

/** Finds an AMD extension's OCTET STRING value by its OID bytes in the certificate DER (no ASN.1 library). */
export function extensionValue(der: Uint8Array, oidBody: number[]): Uint8Array | undefined {
  const needle = Buffer.from([0x06, oidBody.length, ...oidBody]);
  const at = Buffer.from(der).indexOf(needle);
  if (at < 0) return undefined;
  let p = at + needle.length;
  if (der[p] === 0x01) p += 3; // critical BOOLEAN
  if (der[p] !== 0x04) return undefined;
  let length = der[p + 1]!;
  let header = 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + der[p + 2 + i]!;
    header += count;
  }
  return der.subarray(p + header, p + header + length);
}

/** 1.3.6.1.4.1.3704.1.<suffix> encoded as OID content bytes. */
export function amdOid(...suffix: number[]): number[] {
  return [0x2b, 0x06, 0x01, 0x04, 0x01, 0x9c, 0x78, 0x01, ...suffix];
}
