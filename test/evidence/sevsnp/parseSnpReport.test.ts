import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseSnpReport, unwrapSnpEvidence } from "../../../src/evidence/sevsnp/index.js";
import { TeezkError } from "../../../src/errors/index.js";
import { loadSamples } from "./samples.js";

const samples = loadSamples();
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const u32 = (b: Uint8Array, o: number) => Buffer.from(b).readUInt32LE(o);
const u64 = (b: Uint8Array, o: number) => Buffer.from(b).readBigUInt64LE(o);

describe("parseSnpReport on real reports", () => {
  for (const sample of samples) {
    it(`${sample.name}: every field equals the bytes at its ABI offset`, () => {
      const b = sample.report;
      const r = parseSnpReport(b);
      expect(r.version).toBe(sample.version);
      expect(r.version).toBe(u32(b, 0x00));
      expect(r.guestSvn).toBe(u32(b, 0x04));
      expect(r.policy).toBe(u64(b, 0x08));
      expect(r.guestPolicy.debug).toBe(((b[0x0a]! >> 3) & 1) === 1);
      expect(r.guestPolicy.migrateMa).toBe(((b[0x0a]! >> 2) & 1) === 1);
      expect(r.guestPolicy.smt).toBe((b[0x0a]! & 1) === 1);
      expect(r.guestPolicy.abiMinor).toBe(b[0x08]);
      expect(r.guestPolicy.abiMajor).toBe(b[0x09]);
      expect(hex(r.familyId)).toBe(hex(b.subarray(0x10, 0x20)));
      expect(hex(r.imageId)).toBe(hex(b.subarray(0x20, 0x30)));
      expect(r.vmpl).toBe(u32(b, 0x30));
      expect(r.signatureAlgorithm).toBe(1);
      expect(r.currentTcb.raw).toBe(hex(b.subarray(0x38, 0x40)));
      expect(r.platformInfo).toBe(u64(b, 0x40));
      expect(r.platformInfoFlags.smtEnabled).toBe((b[0x40]! & 1) === 1);
      expect(r.signingKey).toBe(sample.signingKey);
      expect(r.keyInfo).toBe(u32(b, 0x48));
      expect(hex(r.reportData)).toBe(hex(b.subarray(0x50, 0x90)));
      expect(hex(r.measurement)).toBe(hex(b.subarray(0x90, 0xc0)));
      expect(hex(r.hostData)).toBe(hex(b.subarray(0xc0, 0xe0)));
      expect(hex(r.idKeyDigest)).toBe(hex(b.subarray(0xe0, 0x110)));
      expect(hex(r.authorKeyDigest)).toBe(hex(b.subarray(0x110, 0x140)));
      expect(hex(r.reportId)).toBe(hex(b.subarray(0x140, 0x160)));
      expect(hex(r.reportIdMa)).toBe(hex(b.subarray(0x160, 0x180)));
      // PROVENANCE.md states the reported TCB of each sample.
      expect(r.reportedTcb.raw).toBe(sample.reportedTcbHex);
      expect(r.reportedTcb.bootloader).toBe(parseInt(sample.reportedTcbHex.slice(0, 2), 16));
      expect(r.reportedTcb.tee).toBe(parseInt(sample.reportedTcbHex.slice(2, 4), 16));
      expect(r.reportedTcb.snp).toBe(parseInt(sample.reportedTcbHex.slice(12, 14), 16));
      expect(r.reportedTcb.microcode).toBe(parseInt(sample.reportedTcbHex.slice(14, 16), 16));
      expect(r.reportedTcb.fmc).toBeUndefined();
      expect(hex(r.chipId)).toBe(hex(b.subarray(0x1a0, 0x1e0)));
      expect(r.committedTcb.raw).toBe(hex(b.subarray(0x1e0, 0x1e8)));
      expect(r.current).toEqual({ build: b[0x1e8], minor: b[0x1e9], major: b[0x1ea] });
      expect(r.committed).toEqual({ build: b[0x1ec], minor: b[0x1ed], major: b[0x1ee] });
      expect(r.launchTcb.raw).toBe(hex(b.subarray(0x1f0, 0x1f8)));
      expect(r.launchMitVector).toBeUndefined();
      expect(hex(r.signatureR)).toBe(hex(b.subarray(0x2a0, 0x2e8)));
      expect(hex(r.signatureS)).toBe(hex(b.subarray(0x2e8, 0x330)));
      expect(r.signedBytes.length).toBe(0x2a0);
      if (sample.version >= 3) {
        expect(r.cpuid).toEqual({ family: b[0x188], model: b[0x189], stepping: b[0x18a] });
        expect(r.product).toBe(sample.product);
      } else {
        expect(r.cpuid).toBeUndefined();
        expect(r.product).toBeUndefined();
      }
    });
  }

  it("VLEK sample: SIGNING_KEY is 1 and CHIP_ID is zero (PROVENANCE); CPUID family 25 model 1", () => {
    const r = parseSnpReport(samples[2]!.report);
    expect((r.keyInfo >> 2) & 7).toBe(1);
    expect(r.chipId.every((byte) => byte === 0)).toBe(true);
    expect(r.cpuid).toMatchObject({ family: 25, model: 1 });
  });

  it("Azure sample: CPUID family 25 model 17 (Genoa, PROVENANCE)", () => {
    expect(parseSnpReport(samples[3]!.report).cpuid).toMatchObject({ family: 25, model: 17 });
  });

  it("decodes a Turin TCB_VERSION with the FMC byte first, and v5 mitigation vectors", () => {
    const b = new Uint8Array(samples[0]!.report);
    b.set([5, 0, 0, 0], 0); // version 5
    b.set([0x1a, 0x02, 0x01], 0x188); // family 1Ah model 02h: Turin
    b.set([7, 3, 4, 25, 0, 0, 0, 0x44], 0x180);
    b.set([1, 2, 3, 4, 5, 6, 7, 8], 0x1f8);
    b.set([9, 0, 0, 0, 0, 0, 0, 0], 0x200);
    const r = parseSnpReport(b);
    expect(r.product).toBe("Turin");
    expect(r.reportedTcb).toMatchObject({ fmc: 7, bootloader: 3, tee: 4, snp: 25, microcode: 0x44 });
    expect(r.launchMitVector).toBe(0x0807060504030201n);
    expect(r.currentMitVector).toBe(9n);
  });

  it("rejects lengths other than 1184, unsupported versions, reserved signing keys and a non-zero unsigned tail", () => {
    const base = samples[0]!.report;
    const code = (bytes: Uint8Array) => {
      try {
        parseSnpReport(bytes);
        return "ok";
      } catch (error) {
        expect(error).toBeInstanceOf(TeezkError);
        return (error as TeezkError).code;
      }
    };
    expect(code(base.subarray(0, 1183))).toBe("SNP_REPORT_INVALID");
    expect(code(new Uint8Array([...base, 0]))).toBe("SNP_REPORT_INVALID");
    for (const version of [0, 1, 6, 0xffffffff]) {
      const b = new Uint8Array(base);
      new DataView(b.buffer).setUint32(0, version, true);
      expect(code(b)).toBe("UNSUPPORTED_VERSION");
    }
    for (const key of [2, 3, 4, 5, 6]) {
      const b = new Uint8Array(base);
      b[0x48] = key << 2;
      expect(code(b)).toBe("SNP_REPORT_INVALID");
    }
    const tail = new Uint8Array(base);
    tail[0x49f] = 1;
    expect(code(tail)).toBe("SNP_REPORT_INVALID");
  });
});

describe("parseSnpReport fuzz", () => {
  const isExpected = (bytes: Uint8Array) => {
    try {
      parseSnpReport(bytes);
      return true;
    } catch (error) {
      return error instanceof TeezkError;
    }
  };

  it("never throws anything but TeezkError on random bytes (5,000 inputs)", () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 1300 }), fc.uint8Array({ minLength: 1184, maxLength: 1184 })), isExpected),
      { numRuns: 5000 },
    );
  });

  it("never throws anything but TeezkError on real reports with random bytes overwritten (5,000 inputs)", () => {
    const reports = samples.map((sample) => sample.report);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: reports.length - 1 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1183 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1100, max: 1250 }),
        (which, edits, length) => {
          const b = new Uint8Array(length);
          b.set(reports[which]!.subarray(0, Math.min(length, 1184)));
          for (const [offset, value] of edits) if (offset < length) b[offset] = value;
          return isExpected(b);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it("unwrapping never throws anything but TeezkError on JSON-ish and HCL-prefixed inputs (2,000 inputs)", () => {
    const hcl = Uint8Array.from(Buffer.from("HCLA"));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }).map((text) => new Uint8Array(Buffer.from(`{${text}`))),
          fc.json().map((text) => new Uint8Array(Buffer.from(`{"report": ${text}}`))),
          fc.uint8Array({ maxLength: 1400 }).map((bytes) => new Uint8Array([...hcl, ...bytes])),
        ),
        (bytes) => {
          try {
            unwrapSnpEvidence(bytes);
            return true;
          } catch (error) {
            return error instanceof TeezkError;
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
