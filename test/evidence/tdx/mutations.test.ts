import { createHash, createPublicKey, generateKeyPairSync, sign } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { TeeType } from "../../../src/claims/types.js";
import { TeezkError } from "../../../src/errors/index.js";
import { verifyDcapQuote } from "../../../src/evidence/tdx/index.js";
import { DCAP_SAMPLES, layoutOf, loadSampleBytes, pemOf, withPem, type DcapSample } from "./dcapSamples.js";
import { mutationsOf } from "./dcapMutations.js";
import { makeFakeIntelChain, type FakeChain } from "./fakeIntelChain.js";

let fake: FakeChain;
beforeAll(() => {
  fake = makeFakeIntelChain();
});

function outcome(run: () => unknown): { code: string } | { crash: unknown } | { accepted: true } {
  try {
    run();
    return { accepted: true };
  } catch (error) {
    return error instanceof TeezkError ? { code: error.code } : { crash: error };
  }
}

describe.each(DCAP_SAMPLES)("mutations of $name", (sample) => {
  it("rejects every mutation with a TeezkError and the expected code", () => {
    const mutations = mutationsOf(sample, fake);
    expect(mutations.length).toBeGreaterThanOrEqual(30);
    const failures: string[] = [];
    for (const mutation of mutations) {
      const result = outcome(() => verifyDcapQuote({ evidence: mutation.bytes, now: mutation.now ?? new Date(sample.now) }));
      if ("accepted" in result) failures.push(`${mutation.name}: accepted`);
      else if ("crash" in result) failures.push(`${mutation.name}: non-Teezk ${String(result.crash)}`);
      else if (!mutation.codes.includes(result.code as never)) failures.push(`${mutation.name}: ${result.code}, expected ${mutation.codes.join("|")}`);
    }
    expect(failures).toEqual([]);
  });
});

/**
 * A quote re-signed end to end under a chain we hold the keys of: a fresh root named "Intel SGX Root CA", a
 * PCK CA and a PCK leaf. Every check but the pin passes, so it must fail with ROOT_NOT_TRUSTED, and pass once
 * that root is pinned as an extra root, with the forged body's fields in the claims.
 */
function forge(sample: DcapSample, chain: FakeChain, editBody: (bytes: Buffer, bodyStart: number) => void): Uint8Array {
  const original = loadSampleBytes(sample);
  const layout = layoutOf(original);
  const out = Buffer.from(original.subarray(0, layout.end));
  const attestation = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = attestation.publicKey.export({ format: "jwk" });
  const rawKey = Buffer.concat([Buffer.from(jwk.x!, "base64url"), Buffer.from(jwk.y!, "base64url")]);
  rawKey.copy(out, layout.attKeyAt);
  const binding = createHash("sha256").update(rawKey).update(out.subarray(layout.authAt, layout.authAt + layout.authLength)).digest();
  binding.copy(out, layout.qeReportAt + 320);
  out.fill(0, layout.qeReportAt + 352, layout.qeReportAt + 384);
  sign("sha256", out.subarray(layout.qeReportAt, layout.qeReportAt + 384), { key: chain.leafKey, dsaEncoding: "ieee-p1363" }).copy(out, layout.qeSigAt);
  editBody(out, layout.bodyStart);
  sign("sha256", out.subarray(0, layout.sigLenAt), { key: attestation.privateKey, dsaEncoding: "ieee-p1363" }).copy(out, layout.sigAt);
  return withPem(new Uint8Array(out), pemOf([chain.leafPem, chain.intermediatePem, chain.rootPem]));
}

describe("a quote forged under a fresh chain with Intel's names", () => {
  for (const sample of [DCAP_SAMPLES[0]!, DCAP_SAMPLES[3]!, DCAP_SAMPLES[7]!]) {
    it(`${sample.name}: fails only on the pin`, () => {
      const forged = forge(sample, fake, (bytes, body) => {
        bytes[body + (sample.tee === "tdx" ? 136 : 64)]! ^= 0xff; // MRTD / MRENCLAVE
        bytes[body + (sample.tee === "tdx" ? 120 : 48)]! |= sample.tee === "tdx" ? 0x01 : 0x02; // DEBUG
      });
      const now = new Date(Date.now() + 60_000);
      expect(outcome(() => verifyDcapQuote({ evidence: forged, now }))).toEqual({ code: "ROOT_NOT_TRUSTED" });
      const accepted = verifyDcapQuote({ evidence: forged, now, extraTrustedRoots: [{ name: "test root", sha256: fake.rootSha256 }] });
      expect(accepted.claims.rootHash).toBe(`0x${fake.rootSha256}`);
      expect(accepted.claims.teeType).toBe(sample.tee === "tdx" ? TeeType.TDX : TeeType.SGX);
      expect(accepted.claims.debug).toBe(true);
      const real = verifyDcapQuote({ evidence: loadSampleBytes(sample), now: new Date(sample.now) });
      expect(accepted.claims.measurement).not.toBe(real.claims.measurement);
      // The fresh leaf has no Intel SGX extension: no FMSPC register, nothing invented.
      expect(accepted.registers.fmspc).toBeUndefined();
    });
  }

  it("rejects a forged quote whose QE report is signed by the attestation key instead of the PCK key", () => {
    const sample = DCAP_SAMPLES[0]!;
    const wrongSigner = { ...fake, leafKey: generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey };
    const forged = forge(sample, wrongSigner, () => undefined);
    const now = new Date(Date.now() + 60_000);
    expect(outcome(() => verifyDcapQuote({ evidence: forged, now, extraTrustedRoots: [{ name: "test root", sha256: fake.rootSha256 }] }))).toEqual({ code: "QE_REPORT_INVALID" });
    expect(createPublicKey(fake.leafPem).asymmetricKeyType).toBe("ec");
  });
});
