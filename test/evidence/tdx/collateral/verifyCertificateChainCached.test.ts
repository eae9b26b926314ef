import { X509Certificate } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { TeezkError } from "../../../../src/errors/index.js";
import { clearDcapCaches, INTEL_SGX_ROOT_CA, loadDcapCollateral } from "../../../../src/evidence/tdx/collateral/index.js";
import { verifyCertificateChainCached } from "../../../../src/evidence/tdx/collateral/verifyCertificateChainCached.js";
import { fixturePath } from "../../../../src/fixtures/fixturesDir.js";
import { verifyCertificateChain, type VerifyChainParameters } from "../../../../src/util/x509.js";
import { makeFakeIntelChain } from "../fakeIntelChain.js";

// The TCB signing chain of dcapqvl-v4: signing certificate valid 2025-05-06 09:25 .. 2032-05-06 09:25 (read
// with `openssl x509 -dates`), then the Intel SGX Root CA.
const chain = loadDcapCollateral(fixturePath("tdx/dcapqvl-v4-b0c06f")).tcbInfo!.issuerChain!;
const VALID = new Date("2025-06-20T12:00:00Z");
const params = (at: Date, overrides: Partial<VerifyChainParameters> = {}): VerifyChainParameters => ({
  chain,
  pinnedRoots: [INTEL_SGX_ROOT_CA],
  at,
  what: "TCB signing chain",
  ...overrides,
});

function outcome(fn: () => unknown): string {
  try {
    fn();
    return "ok";
  } catch (error) {
    if (error instanceof TeezkError) return `${error.code}: ${error.shortMessage}`;
    throw error;
  }
}

describe("verifyCertificateChainCached", () => {
  beforeEach(() => clearDcapCaches());

  it("returns what the uncached check returns, cold and warm", () => {
    const cold = verifyCertificateChain(params(VALID));
    for (let round = 0; round < 2; round++) {
      const result = verifyCertificateChainCached(params(VALID));
      expect(result.rootSha256).toBe(cold.rootSha256);
      expect(result.rootName).toBe(cold.rootName);
      expect(result.chain.map((cert) => cert.fingerprint256)).toEqual(cold.chain.map((cert) => cert.fingerprint256));
    }
  });

  it("after a success, validity is still judged at each call's time, with the uncached error", () => {
    verifyCertificateChainCached(params(VALID));
    for (const at of [new Date("2025-05-06T09:24:59Z"), new Date("2032-05-06T09:25:01Z"), new Date("2050-01-01T00:00:00Z")]) {
      const expected = outcome(() => verifyCertificateChain(params(at)));
      expect(expected).toMatch(/^CERT_EXPIRED/);
      expect(outcome(() => verifyCertificateChainCached(params(at)))).toBe(expected);
    }
    expect(outcome(() => verifyCertificateChainCached(params(new Date("2025-05-06T09:25:01Z"))))).toBe("ok");
  });

  it("after a success, other pins do not reuse it: the pins are part of the key", () => {
    verifyCertificateChainCached(params(VALID));
    const otherPin = { name: "Some other root", sha256: "00".repeat(32) };
    expect(outcome(() => verifyCertificateChainCached(params(VALID, { pinnedRoots: [otherPin] })))).toMatch(/^ROOT_NOT_TRUSTED/);
    expect(verifyCertificateChainCached(params(VALID, { pinnedRoots: [{ ...INTEL_SGX_ROOT_CA, name: "renamed" }] })).rootName).toBe("renamed");
  });

  it("after the real chain passed, the same leaf under a fake root with Intel's names fails its signature", () => {
    verifyCertificateChainCached(params(VALID));
    const fake = makeFakeIntelChain();
    const forged = [chain[0]!, new X509Certificate(fake.rootPem)];
    expect(outcome(() => verifyCertificateChainCached(params(VALID, { chain: forged })))).toMatch(/^(SIGNATURE_INVALID|CERT_CHAIN_INVALID)/);
  });

  it("a failure is not remembered: an unpinned chain fails on every call", () => {
    const fake = makeFakeIntelChain();
    const unpinned = [new X509Certificate(fake.intermediatePem), new X509Certificate(fake.rootPem)];
    for (let round = 0; round < 2; round++) {
      expect(outcome(() => verifyCertificateChainCached(params(new Date(), { chain: unpinned })))).toMatch(/^ROOT_NOT_TRUSTED/);
    }
    const pinned = { name: "test root", sha256: fake.rootSha256 };
    expect(verifyCertificateChainCached(params(new Date(), { chain: unpinned, pinnedRoots: [pinned] })).rootName).toBe("test root");
  });
});
