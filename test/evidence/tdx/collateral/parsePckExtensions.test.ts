import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TeezkError } from "../../../../src/errors/index.js";
import { parsePckExtensions } from "../../../../src/evidence/tdx/collateral/index.js";
import { fixturePath } from "../../../../src/fixtures/fixturesDir.js";
import { parseCertificate } from "../../../../src/util/x509.js";
import { quoteFields } from "./quoteFields.js";

// FMSPCs as listed in each sample's PROVENANCE.md (and its folder name).
const SAMPLES: [string, string][] = [
  ["tdx/dcapqvl-v4-b0c06f/quote.bin", "b0c06f000000"],
  ["tdx/dcapqvl-near-v4-20a06f/quote.hex", "20a06f000000"],
  ["tdx/automata-v4-00806f05/quote.bin", "00806f050000"],
  ["tdx/automata-v5-90c06f/quote.bin", "90c06f000000"],
  ["tdx/gotdx-spr-e4-v4-50806f/quote.bin", "50806f000000"],
  ["tdx/gotdx-cos113-v4-00806f05/quote.bin", "00806f050000"],
  ["tdx/trustee-v4-00a06d08/quote.bin", "00a06d080000"],
  ["sgx/dcapqvl-v3-00a06711/quote.bin", "00a067110000"],
  ["sgx/automata-v3-00606a/quote.hex", "00606a000000"],
  ["sgx/trustee-occlum-v3-00606a/quote.bin", "00606a000000"],
];

describe("parsePckExtensions on every real PCK leaf", () => {
  for (const [quote, fmspc] of SAMPLES) {
    it(`${quote}: FMSPC ${fmspc}, PCE-ID 0000, CPUSVN bytes = the 16 SGX TCB components`, () => {
      const leaf = quoteFields(quote).pckChain[0]!;
      const extensions = parsePckExtensions(leaf);
      expect(Buffer.from(extensions.fmspc).toString("hex")).toBe(fmspc);
      expect(Buffer.from(extensions.pceId).toString("hex")).toBe("0000");
      expect(extensions.ppid).toHaveLength(16);
      // TCB type 0: each CPUSVN byte is the matching component SVN (Intel PCK profile), so two independent
      // encodings in the certificate must agree.
      expect(Array.from(extensions.cpuSvn)).toEqual(extensions.sgxTcbComponents);
      expect(extensions.pceSvn).toBeGreaterThan(0);
      expect([0, 1, 2]).toContain(extensions.sgxType);
    });
  }

  it("Platform-CA leaves carry the configuration; the Processor-CA leaf (dcapqvl-v3) does not", () => {
    const platform = parsePckExtensions(quoteFields("tdx/dcapqvl-v4-b0c06f/quote.bin").pckChain[0]!);
    expect(platform.configuration).toBeDefined();
    expect(platform.platformInstanceId).toHaveLength(16);
    const processor = parsePckExtensions(quoteFields("sgx/dcapqvl-v3-00a06711/quote.bin").pckChain[0]!);
    expect(processor.configuration).toBeUndefined();
    expect(processor.platformInstanceId).toBeUndefined();
  });

  it("a certificate without the SGX extension (the Intel root) → CERT_PARSE", () => {
    const rootCert = parseCertificate(readFileSync(fixturePath("roots/intel-sgx/Intel_SGX_Root_CA.der")));
    expect(() => parsePckExtensions(rootCert)).toThrow(TeezkError);
    try {
      parsePckExtensions(rootCert);
    } catch (error) {
      expect((error as TeezkError).code).toBe("CERT_PARSE");
    }
  });
});
