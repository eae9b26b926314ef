/**
 * Layouts no real sample here uses (SGX in quote v4 and v5, TDX 1.0 body in quote v5), built from real
 * bodies and QE reports and re-signed end to end under a fresh chain with Intel's names. They must verify once
 * that root is pinned as an extra root, and parse to the same fields as @phala/dcap-qvl's parser.
 */
import { createHash, generateKeyPairSync, sign } from "node:crypto";
import * as dcapQvl from "@phala/dcap-qvl";
import { beforeAll, describe, expect, it } from "vitest";
import { TeeType } from "../../../src/claims/types.js";
import { parseDcapQuote, verifyDcapQuote } from "../../../src/evidence/tdx/index.js";
import { toHex } from "../../../src/util/bytes.js";
import { DCAP_SAMPLES, layoutOf, loadSampleBytes } from "./dcapSamples.js";
import { makeFakeIntelChain, type FakeChain } from "./fakeIntelChain.js";

let fake: FakeChain;
beforeAll(() => {
  fake = makeFakeIntelChain();
});

const u16 = (value: number) => { const b = Buffer.alloc(2); b.writeUInt16LE(value); return b; };
const u32 = (value: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(value); return b; };

/** Builds a quote from the spec's pieces: header ‖ [v5 descriptor] ‖ body ‖ u32 len ‖ signature data. */
function buildQuote(chain: FakeChain, version: 3 | 4 | 5, teeType: number, body: Uint8Array, bodyType: number | undefined, qeReportTemplate: Uint8Array): Uint8Array {
  const header = Buffer.alloc(48);
  header.writeUInt16LE(version, 0);
  header.writeUInt16LE(2, 2);
  header.writeUInt32LE(teeType, 4);
  Buffer.from("939a7233f79c4ca9940a0db3957f0607", "hex").copy(header, 12);
  header.fill(0x5a, 28, 48);
  const signed = Buffer.concat([header, ...(bodyType === undefined ? [] : [u16(bodyType), u32(body.length)]), body]);

  const attestation = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = attestation.publicKey.export({ format: "jwk" });
  const attKey = Buffer.concat([Buffer.from(jwk.x!, "base64url"), Buffer.from(jwk.y!, "base64url")]);
  const auth = Buffer.alloc(32, 7);
  const qeReport = Buffer.from(qeReportTemplate);
  createHash("sha256").update(attKey).update(auth).digest().copy(qeReport, 320);
  qeReport.fill(0, 352, 384);
  const qeSig = sign("sha256", qeReport, { key: chain.leafKey, dsaEncoding: "ieee-p1363" });
  const pem = Buffer.from(`${chain.leafPem}${chain.intermediatePem}${chain.rootPem}\0`, "latin1");
  const inner = Buffer.concat([qeReport, qeSig, u16(auth.length), auth, u16(5), u32(pem.length), pem]);
  const quoteSig = sign("sha256", signed, { key: attestation.privateKey, dsaEncoding: "ieee-p1363" });
  const sigData = version === 3 ? Buffer.concat([quoteSig, attKey, inner]) : Buffer.concat([quoteSig, attKey, u16(6), u32(inner.length), inner]);
  return new Uint8Array(Buffer.concat([signed, u32(sigData.length), sigData]));
}

const sgxSample = loadSampleBytes(DCAP_SAMPLES.find((sample) => sample.name === "sgx/dcapqvl-v3-00a06711")!);
const tdxV5Sample = loadSampleBytes(DCAP_SAMPLES.find((sample) => sample.name === "tdx/automata-v5-90c06f")!);
const sgxLayout = layoutOf(sgxSample);
const sgxBody = sgxSample.subarray(48, 48 + 384);
const td15Body = tdxV5Sample.subarray(54, 54 + 648);
const qeTemplate = () => sgxSample.subarray(sgxLayout.qeReportAt, sgxLayout.qeReportAt + 384);

const CASES = [
  { name: "SGX in quote v4", version: 4, tee: 0, body: () => sgxBody, bodyType: undefined, kind: "sgx" },
  { name: "SGX in quote v5 (body type 1)", version: 5, tee: 0, body: () => sgxBody, bodyType: 1, kind: "sgx" },
  { name: "TDX 1.0 body in quote v5 (body type 2)", version: 5, tee: 0x81, body: () => td15Body.subarray(0, 584), bodyType: 2, kind: "td10" },
  { name: "TDX 1.5 body in quote v5 (body type 3)", version: 5, tee: 0x81, body: () => td15Body, bodyType: 3, kind: "td15" },
  { name: "TDX 1.0 body in quote v4", version: 4, tee: 0x81, body: () => td15Body.subarray(0, 584), bodyType: undefined, kind: "td10" },
  { name: "SGX in quote v3", version: 3, tee: 0, body: () => sgxBody, bodyType: undefined, kind: "sgx" },
] as const;

describe.each(CASES)("$name", (layout) => {
  it("verifies under a pinned test root, is refused without the pin, and parses like dcap-qvl", () => {
    const quote = buildQuote(fake, layout.version, layout.tee, layout.body(), layout.bodyType, qeTemplate());
    const now = new Date(Date.now() + 60_000);
    expect(() => verifyDcapQuote({ evidence: quote, now })).toThrowError(expect.objectContaining({ code: "ROOT_NOT_TRUSTED" }));
    const result = verifyDcapQuote({ evidence: quote, now, extraTrustedRoots: [{ name: "test", sha256: fake.rootSha256 }] });
    expect(result.claims.teeType).toBe(layout.kind === "sgx" ? TeeType.SGX : TeeType.TDX);
    expect(parseDcapQuote(quote).body.kind).toBe(layout.kind);
    const body = layout.body();
    const theirs = dcapQvl.Quote.parse(Buffer.from(quote));
    expect(theirs.signedLength()).toBe(parseDcapQuote(quote).signedBytes.length);
    if (layout.kind === "sgx") {
      expect(result.registers.mrEnclave).toBe(toHex(body.subarray(64, 96)));
      expect(result.registers.mrEnclave).toBe(toHex(theirs.report.asSgx()!.mrEnclave));
    } else {
      expect(result.registers.mrTd).toBe(toHex(body.subarray(136, 184)));
      expect(result.registers.mrTd).toBe(toHex(theirs.report.asTd10()!.mrTd));
      expect(result.registers.rtmr3).toBe(toHex(theirs.report.asTd10()!.rtMr3));
      if (layout.kind === "td15") expect(result.registers.mrServiceTd).toBe(toHex(theirs.report.asTd15()!.mrServiceTd));
      else expect(result.registers.mrServiceTd).toBeUndefined();
    }
  });
});
