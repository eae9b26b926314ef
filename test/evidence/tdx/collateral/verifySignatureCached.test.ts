import { verify as verifySignature } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { clearDcapCaches, loadDcapCollateral } from "../../../../src/evidence/tdx/collateral/index.js";
import { verifySignatureCached } from "../../../../src/evidence/tdx/collateral/verifySignatureCached.js";
import { fixturePath } from "../../../../src/fixtures/fixturesDir.js";

const collateral = loadDcapCollateral(fixturePath("tdx/dcapqvl-v4-b0c06f"));
const tcbInfo = collateral.tcbInfo!;
const signer = tcbInfo.issuerChain![0]!;
const root = tcbInfo.issuerChain![1]!;

const params = (data: Uint8Array = tcbInfo.signedBytes, signature: Uint8Array = tcbInfo.signature) => ({
  signer,
  data,
  signature,
  dsaEncoding: "ieee-p1363" as const,
});

describe("verifySignatureCached (real TCB info signed by Intel's TCB signing key)", () => {
  beforeEach(() => clearDcapCaches());

  it("agrees with a direct node:crypto check, cold and warm", () => {
    const direct = verifySignature("sha256", tcbInfo.signedBytes, { key: signer.publicKey, dsaEncoding: "ieee-p1363" }, tcbInfo.signature);
    expect(direct).toBe(true);
    expect(verifySignatureCached(params())).toBe(true);
    expect(verifySignatureCached(params())).toBe(true);
  });

  it("after a success, one changed body byte (a copy) fails", () => {
    expect(verifySignatureCached(params())).toBe(true);
    const body = new Uint8Array(tcbInfo.signedBytes);
    body[10]! ^= 1;
    expect(verifySignatureCached(params(body))).toBe(false);
  });

  it("after a success, the same buffer changed in place fails: the key is the content, not the object", () => {
    const body = new Uint8Array(tcbInfo.signedBytes);
    expect(verifySignatureCached(params(body))).toBe(true);
    body[body.length - 2]! ^= 0x20;
    expect(verifySignatureCached(params(body))).toBe(false);
    body[body.length - 2]! ^= 0x20;
    expect(verifySignatureCached(params(body))).toBe(true);
  });

  it("after a success, a changed signature or another signer fails", () => {
    expect(verifySignatureCached(params())).toBe(true);
    const signature = new Uint8Array(tcbInfo.signature);
    signature[63]! ^= 1;
    expect(verifySignatureCached(params(undefined, signature))).toBe(false);
    expect(verifySignatureCached({ ...params(), signer: root })).toBe(false);
  });

  it("a failure is not remembered as a success, and a signature of the wrong encoding is false, not a throw", () => {
    const signature = new Uint8Array(tcbInfo.signature);
    signature[0]! ^= 1;
    expect(verifySignatureCached(params(undefined, signature))).toBe(false);
    expect(verifySignatureCached(params(undefined, signature))).toBe(false);
    expect(verifySignatureCached({ ...params(), dsaEncoding: "der" })).toBe(false);
  });
});
