/**
 * A mutation corpus generated from the four real samples: every mutant must be rejected with a TeezkError,
 * with the code this verifier promises where the failing check is determinate.
 */
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { fixturePath } from "../../../src/fixtures/fixturesDir.js";
import {
  MAX_SNP_EVIDENCE_BYTES,
  createSnpCollateral,
  loadSnpCollateral,
  verifySnpReport,
  type SnpCollateral,
} from "../../../src/evidence/sevsnp/index.js";
import { TeezkError } from "../../../src/errors/index.js";
import { amdOid, extensionValue, loadSamples, roots, sampleCollateral, signerDer, type Sample } from "./samples.js";
import { AMD_OID } from "../../../src/evidence/sevsnp/constants.js";
import { derIa5 } from "../../../src/tee/simulated/der.js";
import { signSnpReport } from "../../../src/tee/simulated/signSnpReport.js";
import { amdName, generateKey, mintCertificate } from "../../support/pki.js";

type Mutation = {
  name: string;
  evidence?: Uint8Array;
  collateral?: SnpCollateral;
  now?: Date;
  /** Expected code, or a set of acceptable ones where several checks fail at once. */
  expect: string | readonly string[];
};

const samples = loadSamples();
const ANY_REJECTION = [
  "SIGNATURE_INVALID",
  "SNP_TCB_MISMATCH",
  "SNP_REPORT_INVALID",
  "UNSUPPORTED_VERSION",
  "UNSUPPORTED_ALGORITHM",
  "COLLATERAL_MISSING",
  "COLLATERAL_MISMATCH",
  "COLLATERAL_INVALID",
] as const;

function edit(report: Uint8Array, changes: (b: Uint8Array, view: DataView) => void): Uint8Array {
  const b = new Uint8Array(report);
  changes(b, new DataView(b.buffer));
  return b;
}

function otherProduct(product: string): string {
  return product === "Milan" ? "genoa" : "milan";
}

let fakeRootCollateral: Map<string, { report: Uint8Array; collateral: SnpCollateral }>;

beforeAll(() => {
  // One fake AMD hierarchy per sample: same names, TCB and hwID as the real one, so only the root differs.
  fakeRootCollateral = new Map();
  const ark = generateKey("RSA");
  const ask = generateKey("RSA");
  for (const sample of samples) {
    const der = signerDer(sample);
    const vcek = generateKey("P-384");
    const intermediateCn = sample.signingKey === "vlek" ? `SEV-VLEK-${sample.product}` : `SEV-${sample.product}`;
    const amdExtensions: Record<string, Uint8Array> = {
      [AMD_OID.productName]: derIa5(sample.product),
      [AMD_OID.blSpl]: extensionValue(der, amdOid(3, 1))!,
      [AMD_OID.teeSpl]: extensionValue(der, amdOid(3, 2))!,
      [AMD_OID.snpSpl]: extensionValue(der, amdOid(3, 3))!,
      [AMD_OID.ucodeSpl]: extensionValue(der, amdOid(3, 8))!,
    };
    if (sample.signingKey === "vcek") amdExtensions[AMD_OID.hwId] = sample.report.slice(0x1a0, 0x1e0);
    const certificates: X509Certificate[] = [
      mintCertificate({ subject: amdName(`ARK-${sample.product}`), key: ark, serial: 1, ca: true }),
      mintCertificate({ subject: amdName(intermediateCn), key: ask, issuer: { name: amdName(`ARK-${sample.product}`), privateKey: ark.privateKey }, serial: 2, ca: true }),
      mintCertificate({
        subject: amdName(sample.signingKey === "vlek" ? "SEV-VLEK" : "SEV-VCEK"),
        key: vcek,
        issuer: { name: amdName(intermediateCn), privateKey: ask.privateKey },
        serial: 3,
        extensions: amdExtensions,
        // No AKI: the same VCEK must link by name to the fake ASK here and to the real one below.
        keyIdentifiers: false,
      }),
    ].map((minted) => minted.certificate);
    fakeRootCollateral.set(sample.name, { report: signSnpReport(sample.report, vcek.privateKey), collateral: createSnpCollateral({ certificates }) });
  }
});

function mutationsFor(sample: Sample): Mutation[] {
  const r = sample.report;
  const isVcek = sample.signingKey === "vcek";
  const m: Mutation[] = [];
  const flip = (name: string, offset: number, expected: Mutation["expect"], mask = 0x01) =>
    m.push({ name, evidence: edit(r, (b) => (b[offset]! ^= mask)), expect: expected });

  // Signature: R, S, their zero-extension bytes, the unsigned reserved tail.
  for (const offset of [0x2a0, 0x2a0 + 10, 0x2a0 + 47, 0x2e8, 0x2e8 + 30, 0x2e8 + 47]) flip(`signature byte 0x${offset.toString(16)}`, offset, "SIGNATURE_INVALID");
  flip("R zero-extension byte", 0x2a0 + 50, "SIGNATURE_INVALID");
  flip("S zero-extension byte", 0x2e8 + 71, "SIGNATURE_INVALID");
  m.push({ name: "signature zeroed", evidence: edit(r, (b) => b.fill(0, 0x2a0, 0x4a0)), expect: "SIGNATURE_INVALID" });
  m.push({ name: "R and S swapped", evidence: edit(r, (b) => { const rr = r.slice(0x2a0, 0x2e8); b.set(r.subarray(0x2e8, 0x330), 0x2a0); b.set(rr, 0x2e8); }), expect: "SIGNATURE_INVALID" });
  flip("reserved signature tail", 0x2a0 + 144 + 5, "SNP_REPORT_INVALID");
  // Signed fields.
  flip("measurement first byte", 0x90, "SIGNATURE_INVALID");
  flip("measurement last byte", 0xbf, "SIGNATURE_INVALID", 0x80);
  flip("report data first byte", 0x50, "SIGNATURE_INVALID");
  flip("report data byte 63", 0x8f, "SIGNATURE_INVALID");
  flip("host data", 0xc0, "SIGNATURE_INVALID");
  flip("policy DEBUG bit 19", 0x0a, "SIGNATURE_INVALID", 0x08);
  flip("policy MIGRATE_MA bit 18", 0x0a, "SIGNATURE_INVALID", 0x04);
  flip("guest SVN", 0x04, "SIGNATURE_INVALID");
  flip("VMPL", 0x30, "SIGNATURE_INVALID");
  flip("family id", 0x10, "SIGNATURE_INVALID");
  flip("image id", 0x20, "SIGNATURE_INVALID");
  flip("current TCB", 0x38, "SIGNATURE_INVALID");
  flip("platform info", 0x40, "SIGNATURE_INVALID", 0x02);
  flip("id key digest", 0xe0, "SIGNATURE_INVALID");
  flip("report id", 0x140, "SIGNATURE_INVALID");
  flip("launch TCB", 0x1f0, "SIGNATURE_INVALID");
  // Reported TCB: the signer's TCB extensions no longer match.
  flip("reported TCB bootloader", 0x180, "SNP_TCB_MISMATCH");
  flip("reported TCB microcode", 0x187, "SNP_TCB_MISMATCH");
  flip("reported TCB snp", 0x186, "SNP_TCB_MISMATCH");
  // Chip id: a VCEK's hwID no longer matches. With one VCEK in the folder it is still tried and fails the
  // hwID check; with several (trustee-milan-vcek also holds the two NEGATIVE ones) none is for this chip.
  // A VLEK has no hwID, so the signature fails.
  const vcekFiles = sample.name === "trustee-milan-vcek" ? 3 : 1;
  const chipIdCode = !isVcek ? "SIGNATURE_INVALID" : vcekFiles === 1 ? "SNP_TCB_MISMATCH" : "COLLATERAL_MISSING";
  flip("chip id", 0x1a0, chipIdCode);
  m.push({ name: "chip id all 0xff", evidence: edit(r, (b) => b.fill(0xff, 0x1a0, 0x1e0)), expect: chipIdCode });
  // Version and algorithm.
  for (const version of [0, 1, 6, 0xffffffff]) {
    m.push({ name: `version ${version}`, evidence: edit(r, (_b, v) => v.setUint32(0, version, true)), expect: "UNSUPPORTED_VERSION" });
  }
  m.push({ name: "version within 2..5 but different", evidence: edit(r, (_b, v) => v.setUint32(0, sample.version === 2 ? 4 : 2, true)), expect: "SIGNATURE_INVALID" });
  for (const algo of [0, 2, 0x100]) {
    m.push({ name: `signature algorithm ${algo}`, evidence: edit(r, (_b, v) => v.setUint32(0x34, algo, true)), expect: "UNSUPPORTED_ALGORITHM" });
  }
  // Signing key field.
  m.push({ name: "SIGNING_KEY none", evidence: edit(r, (b) => (b[0x48] = (b[0x48]! & 3) | (7 << 2))), expect: "SIGNATURE_INVALID" });
  m.push({ name: "SIGNING_KEY reserved 3", evidence: edit(r, (b) => (b[0x48] = (b[0x48]! & 3) | (3 << 2))), expect: "SNP_REPORT_INVALID" });
  m.push({ name: "SIGNING_KEY swapped VCEK/VLEK", evidence: edit(r, (b) => (b[0x48] = (b[0x48]! & 3) | ((isVcek ? 1 : 0) << 2))), expect: "COLLATERAL_MISSING" });
  // Truncation at field boundaries, trailing data, oversized input.
  for (const length of [1, 4, 0x08, 0x34, 0x48, 0x50, 0x90, 0x180, 0x1a0, 0x1e0, 0x2a0, 0x2e8, 0x330, 0x49f]) {
    m.push({ name: `truncated to ${length}`, evidence: r.slice(0, length), expect: "SNP_REPORT_INVALID" });
  }
  m.push({ name: "empty", evidence: new Uint8Array(0), expect: "INPUT_EMPTY" });
  m.push({ name: "one trailing zero byte", evidence: new Uint8Array([...r, 0]), expect: "SNP_REPORT_INVALID" });
  m.push({ name: "trailing garbage (a second report)", evidence: new Uint8Array([...r, ...r]), expect: "SNP_REPORT_INVALID" });
  m.push({ name: "oversized input", evidence: new Uint8Array(MAX_SNP_EVIDENCE_BYTES + 1), expect: "INPUT_TOO_LARGE" });
  // Collateral swaps.
  const other = samples.find((s) => s.name !== sample.name && s.signingKey === "vcek" && s.signerFile !== sample.signerFile)!;
  const otherVcek = new X509Certificate(Buffer.from(signerDer(other)));
  m.push({
    name: `wrong VCEK (${other.name})`,
    collateral: createSnpCollateral({ certificates: [otherVcek], merge: [roots()] }),
    expect: !isVcek ? "COLLATERAL_MISSING" : other.product === sample.product ? "SNP_TCB_MISMATCH" : "COLLATERAL_MISMATCH",
  });
  const signerOnly = isVcek ? { vceks: sampleCollateral(sample).vceks.filter((c) => !c.subject.includes("NEGATIVE")) } : { vleks: sampleCollateral(sample).vleks };
  const productRoots = (product: string) =>
    loadSnpCollateral(fixturePath("roots/amd-sev-snp")).arks.concat(
      loadSnpCollateral(fixturePath("roots/amd-sev-snp")).asks,
      loadSnpCollateral(fixturePath("roots/amd-sev-snp")).asvks,
    ).filter((c) => c.subject.toLowerCase().includes(product));
  const base: SnpCollateral = { arks: [], asks: [], asvks: [], vceks: [], vleks: [], crls: [], ...signerOnly };
  m.push({
    name: "ASK/ARK of another product",
    collateral: createSnpCollateral({ certificates: productRoots(otherProduct(sample.product)), merge: [base] }),
    expect: "COLLATERAL_MISSING",
  });
  const own = productRoots(sample.product.toLowerCase());
  const foreign = productRoots(otherProduct(sample.product));
  m.push({
    name: "ARK of another product",
    collateral: createSnpCollateral({ certificates: [...own.filter((c) => !c.subject.includes("CN=ARK")), ...foreign.filter((c) => c.subject.includes("CN=ARK"))], merge: [base] }),
    expect: "COLLATERAL_MISSING",
  });
  m.push({ name: "no VCEK/VLEK", collateral: roots(), expect: "COLLATERAL_MISSING" });
  m.push({ name: "no collateral at all", collateral: undefined, expect: "COLLATERAL_MISSING" });
  // Time outside the certificates' windows.
  m.push({ name: "verified in 2060", now: new Date("2060-01-01T00:00:00Z"), expect: "CERT_EXPIRED" });
  m.push({ name: "verified in 2019", now: new Date("2019-01-01T00:00:00Z"), expect: "CERT_EXPIRED" });
  // Deterministic pseudo-random byte flips across the signed region.
  let seed = 0x5eed ^ r[0x1a1]!;
  for (let i = 0; i < 12; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const offset = seed % 0x2a0;
    m.push({ name: `random flip at 0x${offset.toString(16)}`, evidence: edit(r, (b) => (b[offset]! ^= 0x10)), expect: ANY_REJECTION });
  }
  return m;
}

describe("SEV-SNP mutation corpus", () => {
  for (const sample of samples) {
    it(`${sample.name}: ≥ 30 mutants all rejected with the expected code`, () => {
      const mutations = mutationsFor(sample);
      expect(mutations.length).toBeGreaterThanOrEqual(30);
      const collateral = sampleCollateral(sample);
      // The unmutated raw report verifies with the same inputs: each rejection is the mutation's doing.
      expect(verifySnpReport({ evidence: sample.report, now: sample.at, collateral }).claims.teeType).toBe(2);
      const failures: string[] = [];
      for (const mutation of mutations) {
        let code = "accepted";
        try {
          verifySnpReport({
            evidence: mutation.evidence ?? sample.report,
            now: mutation.now ?? sample.at,
            ...("collateral" in mutation ? (mutation.collateral ? { collateral: mutation.collateral } : {}) : { collateral }),
          });
        } catch (error) {
          if (!(error instanceof TeezkError)) {
            failures.push(`${mutation.name}: non-Teezk ${String(error)}`);
            continue;
          }
          code = error.code;
        }
        const allowed = typeof mutation.expect === "string" ? [mutation.expect] : mutation.expect;
        if (!allowed.includes(code)) failures.push(`${mutation.name}: got ${code}, expected ${allowed.join("|")}`);
      }
      expect(failures).toEqual([]);
    });

    it(`${sample.name}: a self-signed fake ARK with the real names is ROOT_NOT_TRUSTED`, () => {
      const fake = fakeRootCollateral.get(sample.name)!;
      const code = (() => {
        try {
          verifySnpReport({ evidence: fake.report, now: sample.at, collateral: fake.collateral });
          return "accepted";
        } catch (error) {
          return (error as TeezkError).code;
        }
      })();
      expect(code).toBe("ROOT_NOT_TRUSTED");
      // The real ARK and ASK with the fake VCEK: the chain breaks at the ASK's signature.
      const mixed = createSnpCollateral({ certificates: [...fake.collateral.vceks, ...fake.collateral.vleks], merge: [roots()] });
      expect(() => verifySnpReport({ evidence: fake.report, now: sample.at, collateral: mixed })).toThrow(/SIGNATURE_INVALID/);
    });
  }

  it("Azure containers: bad HCL request type, non-byte array, missing report, broken JSON", () => {
    const sample = samples[3]!;
    const collateral = sampleCollateral(sample);
    const json = JSON.parse(Buffer.from(sample.evidence).toString("utf8")) as Record<string, unknown> & { report: number[] };
    const hcl = Uint8Array.from(json.report);
    const cases: [string, Uint8Array, string][] = [
      ["HCL request type 3 (TDX)", edit(hcl, (_b, v) => v.setUint32(12, 3, true)), "SNP_REPORT_INVALID"],
      ["HCL cut inside the SNP report", hcl.slice(0, 1000), "SNP_REPORT_INVALID"],
      ["JSON report byte 256", Buffer.from(JSON.stringify({ ...json, report: [...json.report.slice(0, 10), 256] })), "SNP_REPORT_INVALID"],
      ["JSON without report", Buffer.from(JSON.stringify({ quote: json.quote })), "SNP_REPORT_INVALID"],
      ["JSON cut in half", sample.evidence.slice(0, 2000), "SNP_REPORT_INVALID"],
      ["JSON array", Buffer.from("{}".replace("{}", "{\"report\": \"zz\"}")), "SNP_REPORT_INVALID"],
      ["JSON with a flipped measurement byte", Buffer.from(JSON.stringify({ ...json, report: json.report.map((x, i) => (i === 32 + 0x90 ? x ^ 1 : x)) })), "SIGNATURE_INVALID"],
    ];
    for (const [name, evidence, expected] of cases) {
      let code = "accepted";
      try {
        verifySnpReport({ evidence, now: sample.at, collateral });
      } catch (error) {
        expect(error, name).toBeInstanceOf(TeezkError);
        code = (error as TeezkError).code;
      }
      expect(code, name).toBe(expected);
    }
  });
});
