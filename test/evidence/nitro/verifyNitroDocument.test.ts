import { createHash, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { Tag, encode } from "cbor2";
import { describe, expect, it } from "vitest";
import { TeeType, TcbStatus, encodeClaims, decodeClaims } from "../../../src/claims/index.js";
import { TeezkError, type ErrorCode } from "../../../src/errors/index.js";
import { fixturePath } from "../../../src/fixtures/fixturesDir.js";
import { NITRO_PINNED_ROOTS, verifyNitroDocument } from "../../../src/evidence/nitro/index.js";
import { parsePemBundle } from "../../../src/util/x509.js";
import { mintCertificate } from "../../support/pki.js";
import { encodeCbor, es384Sign } from "./forgeNitro.js";
import { bytesOf, hex, loadNitroFile, loadNitroSamples, pcrsOf, type NitroSample } from "./nitroSamples.js";

const TODAY = new Date("2026-11-23T00:00:00Z");
/** The fingerprint AWS publishes for Root-G1 (docs.aws.amazon.com/enclaves/latest/user/verify-root.html). */
const AWS_ROOT_G1_SHA256 = "641a0321a3e244efe456463195d606317ed7cdcc3c1756e09893f3c68f79bb5b";

/**
 * PROVENANCE.md errata found while writing these tests: eternis-2024-09's PROVENANCE describes module
 * `i-0bbf1bfe232b8c2ce-enc019201afdaee4f17` at 2024-09-17T20:47:10.288Z, but the file (whose sha256 matches the
 * table) holds an earlier document of the same instance (`…-enc0191ba35c9d1b77a`, 2024-09-09T19:49:12.400Z), as
 * an independent cbor2 decode and the leaf certificate's three-hour window both show. For such samples only the
 * instance part of the module id is compared with PROVENANCE.
 */
const PROVENANCE_ERRATA = new Set(["eternis-2024-09"]);

const samples = loadNitroSamples();
const sha256 = (bytes: Uint8Array) => `0x${createHash("sha256").update(bytes).digest("hex")}`;

function expectTeezk(fn: () => unknown, code: ErrorCode): TeezkError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TeezkError);
    expect((error as TeezkError).code).toBe(code);
    return error as TeezkError;
  }
  throw new Error(`expected ${code}, but verification passed`);
}

describe("verifyNitroDocument on real samples", () => {
  it("finds the four shared samples", () => {
    expect(samples.map((s) => s.name)).toEqual(
      expect.arrayContaining(["blocky-debug-2024-09", "eternis-2024-09", "evervault-beta-2022-10", "evervault-ga-2023-09"]),
    );
  });

  describe.each(samples.map((sample) => [sample.name, sample] as const))("%s", (_name, sample: NitroSample) => {
    const asOf = new Date(sample.timestampMs);

    it("verifies as of its own document time, with claims matching an independent decode", () => {
      const { claims, registers, checks } = verifyNitroDocument({ evidence: sample.bytes, now: asOf });
      const pcrs = pcrsOf(sample.doc);
      const moduleId = sample.doc.get("module_id") as string;
      const userData = bytesOf(sample.doc, "user_data");
      const cabundle = sample.doc.get("cabundle") as Uint8Array[];

      expect(claims.teeType).toBe(TeeType.NITRO);
      expect(claims.measurement).toBe(sha256(Buffer.concat([pcrs.get(0)!, pcrs.get(1)!, pcrs.get(2)!])));
      const expectedReportData = Buffer.alloc(32);
      if (userData) Buffer.from(userData).copy(expectedReportData, 0, 0, 32);
      expect(claims.reportData).toBe(hex(expectedReportData));
      expect(claims.platformId).toBe(sha256(Buffer.from(moduleId, "utf8")));
      expect(claims.rootHash).toBe(sha256(cabundle[0]!));
      expect(claims.rootHash).toBe(`0x${AWS_ROOT_G1_SHA256}`);
      expect(claims.timestamp).toBe(BigInt(Math.floor(sample.timestampMs / 1000)));
      expect(claims.tcbStatus).toBe(TcbStatus.NOT_APPLICABLE);
      expect(claims.svn).toBe(0);
      expect(claims.debug).toBe(pcrs.get(0)!.every((byte) => byte === 0));
      expect(checks).toEqual({ signature: "passed", certChain: "passed", validity: "passed" });

      for (const [index, value] of pcrs) expect(registers[`pcr${index}`]).toBe(hex(value));
      expect(Object.keys(registers).filter((key) => key.startsWith("pcr"))).toHaveLength(pcrs.size);
      expect(registers.moduleId).toBe(moduleId);
      expect(registers.digest).toBe("SHA384");
      for (const [field, key] of [["userData", "user_data"], ["publicKey", "public_key"], ["nonce", "nonce"]] as const) {
        const value = bytesOf(sample.doc, key);
        expect(registers[field]).toBe(value ? hex(value) : undefined);
      }
      expect(decodeClaims(encodeClaims(claims))).toEqual(claims);
    });

    it("agrees with PROVENANCE.md (time, module id, debug) and with the leaf's own validity window", () => {
      const moduleId = sample.doc.get("module_id") as string;
      const instance = /\b(i-[0-9a-f]{17})/.exec(sample.provenance)?.[1];
      expect(instance, "PROVENANCE names the instance").toBeDefined();
      expect(moduleId.startsWith(`${instance}-enc`)).toBe(true);
      const leaf = new X509Certificate(Buffer.from(sample.doc.get("certificate") as Uint8Array));
      expect(sample.timestampMs).toBeGreaterThanOrEqual(leaf.validFromDate.getTime());
      expect(sample.timestampMs).toBeLessThanOrEqual(leaf.validToDate.getTime());
      if (!PROVENANCE_ERRATA.has(sample.name)) {
        const stated = /timestamp (\d{4}-\d{2}-\d{2}T[\d:.]+Z)/.exec(sample.provenance)?.[1];
        expect(stated, "PROVENANCE states the timestamp").toBeDefined();
        expect(sample.timestampMs).toBe(Date.parse(stated!));
        const statedModule = /\b(i-[0-9a-f]{17}-enc[0-9a-f]{16})\b/.exec(sample.provenance)?.[1];
        if (statedModule) expect(moduleId).toBe(statedModule);
      }
      const debug = verifyNitroDocument({ evidence: sample.bytes, now: asOf }).claims.debug;
      if (/debug-mode/.test(sample.provenance)) expect(debug).toBe(true);
      if (/production enclave/.test(sample.provenance)) expect(debug).toBe(false);
    });

    it("is rejected at 2026-11-23 with CERT_EXPIRED (its certificates have long expired)", () => {
      expectTeezk(() => verifyNitroDocument({ evidence: sample.bytes, now: TODAY }), "CERT_EXPIRED");
    });

    it("still passes a few minutes before or after the document time, and rejects a verifier clock far behind", () => {
      verifyNitroDocument({ evidence: sample.bytes, now: new Date(sample.timestampMs - 60_000) });
      verifyNitroDocument({ evidence: sample.bytes, now: new Date(sample.timestampMs + 10 * 60_000) });
      expectTeezk(() => verifyNitroDocument({ evidence: sample.bytes, now: new Date(sample.timestampMs - 60 * 60_000) }), "EVIDENCE_FROM_FUTURE");
    });

    it("rejects at a time after the leaf expired but before the intermediates did", () => {
      const leaf = new X509Certificate(Buffer.from(sample.doc.get("certificate") as Uint8Array));
      expectTeezk(() => verifyNitroDocument({ evidence: sample.bytes, now: new Date(leaf.validToDate.getTime() + 1000) }), "CERT_EXPIRED");
    });

    it("accepts the document as a Node Buffer and wrapped in the COSE_Sign1 tag (18)", () => {
      verifyNitroDocument({ evidence: Buffer.from(sample.bytes), now: asOf });
      const tagged = encode(new Tag(18, sample.cose.map((part) => (part instanceof Uint8Array ? new Uint8Array(part) : part))));
      expect(verifyNitroDocument({ evidence: tagged, now: asOf }).claims.measurement).toBe(
        verifyNitroDocument({ evidence: sample.bytes, now: asOf }).claims.measurement,
      );
    });
  });

  it("rejects the upstream NEGATIVE sample with SIGNATURE_INVALID although its chain verifies", () => {
    const negative = loadNitroFile("eternis-negative", fixturePath("nitro/eternis-2024-09/NEGATIVE-invalid-attestation-doc.b64"));
    const asOf = new Date(negative.timestampMs);
    const error = expectTeezk(() => verifyNitroDocument({ evidence: negative.bytes, now: asOf }), "SIGNATURE_INVALID");
    expect(error.shortMessage).toMatch(/COSE/);
    // Its chain on its own is sound (checked here with node:crypto directly): only the COSE signature is bad.
    const cabundle = (negative.doc.get("cabundle") as Uint8Array[]).map((der) => new X509Certificate(Buffer.from(der)));
    const leaf = new X509Certificate(Buffer.from(negative.doc.get("certificate") as Uint8Array));
    const chain = [leaf, ...cabundle.reverse()];
    for (let i = 0; i < chain.length - 1; i++) expect(chain[i]!.verify(chain[i + 1]!.publicKey)).toBe(true);
    for (const cert of chain) expect(asOf >= cert.validFromDate && asOf <= cert.validToDate).toBe(true);
  });
});

describe("verifyNitroDocument trust anchors", () => {
  const sample = samples[0]!;
  const asOf = new Date(sample.timestampMs);
  const window = { notBefore: new Date(sample.timestampMs - 86_400_000), notAfter: new Date(sample.timestampMs + 86_400_000) };

  function forgedDocument(): { bytes: Uint8Array; rootDer: Uint8Array } {
    const root = mintCertificate({ subject: "teezk test root", ca: true, ...window });
    const leaf = mintCertificate({ subject: "teezk test leaf", issuer: root, ca: false, ...window });
    const doc = new Map(sample.doc);
    doc.set("certificate", leaf.der);
    doc.set("cabundle", [root.der]);
    const payload = encodeCbor(doc);
    const protectedHeader = sample.cose[0];
    return { bytes: encodeCbor([protectedHeader, new Map(), payload, es384Sign(leaf.privateKey, protectedHeader, payload)]), rootDer: root.der };
  }

  it("pins exactly the AWS Root-G1 fingerprint, the one of the root shipped in fixtures/roots", () => {
    expect(NITRO_PINNED_ROOTS.map((root) => root.sha256)).toEqual([AWS_ROOT_G1_SHA256]);
    const [root] = parsePemBundle(readFileSync(fixturePath("roots/aws-nitro/root.pem"), "utf8"));
    expect(createHash("sha256").update(root!.raw).digest("hex")).toBe(AWS_ROOT_G1_SHA256);
  });

  it("rejects a well-formed document signed under a forged root with ROOT_NOT_TRUSTED", () => {
    expectTeezk(() => verifyNitroDocument({ evidence: forgedDocument().bytes, now: asOf }), "ROOT_NOT_TRUSTED");
  });

  it("accepts the forged root only when it is added through extraTrustedRoots, and reports its hash", () => {
    const { bytes, rootDer } = forgedDocument();
    const rootSha = createHash("sha256").update(rootDer).digest("hex");
    const { claims } = verifyNitroDocument({ evidence: bytes, now: asOf, extraTrustedRoots: [{ name: "dev", sha256: rootSha }] });
    expect(claims.rootHash).toBe(`0x${rootSha}`);
    expect(claims.measurement).toBe(verifyNitroDocument({ evidence: sample.bytes, now: asOf }).claims.measurement);
  });

  it("refuses a leaf whose key is not P-384 with UNSUPPORTED_ALGORITHM", () => {
    const root = mintCertificate({ subject: "teezk test root", ca: true, ...window });
    const leaf = mintCertificate({ subject: "teezk P-256 leaf", issuer: root, ca: false, key: "P-256", ...window });
    const doc = new Map(sample.doc);
    doc.set("certificate", leaf.der);
    doc.set("cabundle", [root.der]);
    const payload = encodeCbor(doc);
    const bytes = encodeCbor([sample.cose[0], new Map(), payload, es384Sign(leaf.privateKey, sample.cose[0], payload)]);
    const rootSha = createHash("sha256").update(root.der).digest("hex");
    expectTeezk(
      () => verifyNitroDocument({ evidence: bytes, now: asOf, extraTrustedRoots: [{ name: "dev", sha256: rootSha }] }),
      "UNSUPPORTED_ALGORITHM",
    );
  });
});
