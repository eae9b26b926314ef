import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  loadNvidiaCollateral,
  parseGpuEvidenceJson,
  parseGpuOpaqueData,
  parseGpuReport,
  verifyGpuEvidence,
  verifyGpuEvidenceSet,
} from "../../../src/evidence/nvidia/index.js";
import { fixturePath } from "../../../src/fixtures/fixturesDir.js";
import { HOPPER_DIR, hopperReport, ppcieReport } from "./samples.js";
import { codeOf } from "../../support/rejection.js";

const NOW = new Date("2025-06-01T00:00:00Z");


const reports = [hopperReport(), ppcieReport(0), ppcieReport(7)];
const collateral = loadNvidiaCollateral(fixturePath(HOPPER_DIR));

/** A real report with random edits, a random cut and random bytes appended. */
const mutatedReport = fc
  .record({
    which: fc.integer({ min: 0, max: reports.length - 1 }),
    edits: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
    cut: fc.option(fc.nat(), { nil: undefined }),
    tail: fc.uint8Array({ maxLength: 12 }),
  })
  .map(({ which, edits, cut, tail }) => {
    const base = reports[which]!.slice();
    for (const [at, value] of edits) base[at % base.length] = value;
    const cutAt = cut === undefined ? base.length : cut % (base.length + 1);
    return new Uint8Array([...base.subarray(0, cutAt), ...tail]);
  });

describe("fuzz: NVIDIA parsers and verifiers never crash (fast-check, > 10,000 inputs in all)", () => {
  it("parseGpuReport on arbitrary bytes: parses or throws TeezkError (3,000 inputs)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        codeOf(() => parseGpuReport(bytes));
      }),
      { numRuns: 3000 },
    );
  });

  it("parseGpuReport on mutated real reports: TeezkError, or a parse whose signed bytes prefix the input (4,000 inputs)", () => {
    fc.assert(
      fc.property(mutatedReport, (bytes) => {
        let parsed: ReturnType<typeof parseGpuReport> | undefined;
        const code = codeOf(() => {
          parsed = parseGpuReport(bytes);
        });
        if (code === "OK") {
          expect(parsed!.response.signature).toHaveLength(96);
          expect(Buffer.from(bytes.subarray(0, parsed!.signedBytes.length)).equals(Buffer.from(parsed!.signedBytes))).toBe(true);
          expect(parsed!.signedBytes.length + 96 + parsed!.trailingZeroBytes).toBe(bytes.length);
        }
      }),
      { numRuns: 4000 },
    );
  });

  it("parseGpuOpaqueData on arbitrary bytes (1,000 inputs)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        codeOf(() => parseGpuOpaqueData(bytes));
      }),
      { numRuns: 1000 },
    );
  });

  it("verifyGpuEvidence rejects every change to the real report's bytes (800 inputs)", () => {
    const raw = reports[0]!;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 3 }), (edits) => {
        const bytes = raw.slice();
        for (const [at, mask] of edits) bytes[at % bytes.length] = bytes[at % bytes.length]! ^ mask;
        fc.pre(!Buffer.from(bytes).equals(Buffer.from(raw)));
        expect(codeOf(() => verifyGpuEvidence({ evidence: bytes, now: NOW, collateral }))).not.toBe("OK");
      }),
      { numRuns: 800 },
    );
  });

  it("parseGpuEvidenceJson and verifyGpuEvidenceSet on arbitrary JSON and JSON-like text never crash or pass (1,600 inputs)", () => {
    const entry = fc.record(
      {
        evidence: fc.oneof(fc.string(), fc.base64String(), mutatedReport.map((bytes) => Buffer.from(bytes).toString("base64"))),
        certificate: fc.oneof(fc.string(), fc.base64String()),
        nonce: fc.oneof(fc.string(), fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => Buffer.from(bytes).toString("hex"))),
        arch: fc.string(),
      },
      { requiredKeys: [] },
    );
    const document = fc.oneof(
      fc.json(),
      fc.array(entry, { maxLength: 3 }).map((list) => JSON.stringify(list)),
      fc.record({ evidence_list: fc.array(entry, { maxLength: 3 }), nonce: fc.string() }).map((doc) => JSON.stringify(doc)),
      fc.string().map((text) => `[${text}`),
    );
    fc.assert(
      fc.property(document, (text) => {
        codeOf(() => parseGpuEvidenceJson(text));
        expect(codeOf(() => verifyGpuEvidenceSet({ evidence: new TextEncoder().encode(text), now: NOW }))).not.toBe("OK");
      }),
      { numRuns: 1600 },
    );
  });
});
