import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OCSPRequest, OCSPResponse, OCSPResponseStatus } from "@peculiar/asn1-ocsp";
import { AsnConvert } from "@peculiar/asn1-schema";
import { describe, expect, it } from "vitest";
import { buildOcspRequest, checkOcspResponse, type OcspPair } from "../../../src/evidence/nvidia/gpuOcsp.js";
import { devRootPin, getDevRoots, simulateGpuReport } from "../../../src/tee/simulated/index.js";
import { simulateGpuOcsp } from "../../../src/tee/simulated/simulateGpuOcsp.js";
import { codeOf } from "../../support/rejection.js";

const NOW = new Date();
const devRoots = getDevRoots();
const pinnedRoots = [devRootPin(devRoots, "nvidia")];
const { certificateChain } = simulateGpuReport({ binding: `0x${"11".repeat(32)}`, devRoots });
const pairs: OcspPair[] = certificateChain.slice(0, -1).map((certificate, i) => ({ certificate, issuer: certificateChain[i + 1]! }));
const check = (response: Uint8Array, index = 0, extra: { now?: Date; nonce?: Uint8Array } = {}) =>
  checkOcspResponse({ response, pair: pairs[index]!, issuerChain: certificateChain.slice(index + 1), now: extra.now ?? NOW, pinnedRoots, ...(extra.nonce ? { nonce: extra.nonce } : {}) });

describe("OCSP for the GPU device chain (issue 15 item 4)", () => {
  it("the request is one SHA-384 CertID (as NVIDIA's verifier asks), with the nonce extension when given", () => {
    const request = AsnConvert.parse(Buffer.from(buildOcspRequest(pairs[0]!, new Uint8Array(32).fill(7))), OCSPRequest);
    expect(request.tbsRequest.requestList).toHaveLength(1);
    expect(request.tbsRequest.requestList[0]!.reqCert.hashAlgorithm.algorithm).toBe("2.16.840.1.101.3.4.2.2");
    expect(request.tbsRequest.requestExtensions?.[0]?.extnID).toBe("1.3.6.1.5.5.7.48.1.2");
  });

  it("good answers signed by each issuing CA pass for every certificate below the root", () => {
    const responses = simulateGpuOcsp({ devRoots, certificateChain, now: NOW });
    expect(responses).toHaveLength(3);
    responses.forEach((response, index) => expect(check(response, index).status).toBe("good"));
  });

  it("a revoked device certificate refuses: CERT_REVOKED", () => {
    const [leaf] = simulateGpuOcsp({ devRoots, certificateChain, now: NOW, status: "revoked" });
    expect(codeOf(() => check(leaf!))).toBe("CERT_REVOKED");
  });

  it("a stale answer (nextUpdate passed) or one from the future refuses: COLLATERAL_EXPIRED", () => {
    const stale = simulateGpuOcsp({ devRoots, certificateChain, now: NOW, thisUpdate: new Date(NOW.getTime() - 48 * 3_600_000), nextUpdate: new Date(NOW.getTime() - 1000) });
    expect(codeOf(() => check(stale[0]!))).toBe("COLLATERAL_EXPIRED");
    const early = simulateGpuOcsp({ devRoots, certificateChain, now: new Date(NOW.getTime() + 3 * 3_600_000) });
    expect(codeOf(() => check(early[0]!))).toBe("COLLATERAL_EXPIRED");
  });

  it("an unknown status is a typed refusal, never a pass: OCSP_CERT_UNKNOWN", () => {
    expect(codeOf(() => check(simulateGpuOcsp({ devRoots, certificateChain, now: NOW, status: "unknown" })[0]!))).toBe("OCSP_CERT_UNKNOWN");
  });

  it("an answer from another PKI, for another certificate, with a flipped signature bit, or a tryLater status: OCSP_RESPONSE_INVALID", () => {
    const stranger = getDevRoots({ dir: mkdtempSync(join(tmpdir(), "teezk-other-roots-")) });
    const foreignChain = simulateGpuReport({ binding: `0x${"11".repeat(32)}`, devRoots: stranger }).certificateChain;
    expect(codeOf(() => check(simulateGpuOcsp({ devRoots: stranger, certificateChain: foreignChain, now: NOW })[0]!))).toBe("OCSP_RESPONSE_INVALID");
    const responses = simulateGpuOcsp({ devRoots, certificateChain, now: NOW });
    expect(codeOf(() => check(responses[1]!, 0))).toBe("OCSP_RESPONSE_INVALID");
    const flipped = new Uint8Array(responses[0]!);
    flipped[flipped.length - 10] = flipped[flipped.length - 10]! ^ 0x01;
    expect(codeOf(() => check(flipped))).toBe("OCSP_RESPONSE_INVALID");
    const tryLater = new Uint8Array(AsnConvert.serialize(new OCSPResponse({ responseStatus: OCSPResponseStatus.tryLater })));
    expect(codeOf(() => check(tryLater))).toBe("OCSP_RESPONSE_INVALID");
    expect(codeOf(() => check(new Uint8Array([0x30, 0x03, 0x0a, 0x01])))).toBe("OCSP_RESPONSE_INVALID");
  });

  it("with a nonce sent, the answer must echo it (a replayed answer refuses)", () => {
    const nonce = new Uint8Array(32).fill(9);
    expect(check(simulateGpuOcsp({ devRoots, certificateChain, now: NOW, nonce })[0]!, 0, { nonce }).status).toBe("good");
    expect(codeOf(() => check(simulateGpuOcsp({ devRoots, certificateChain, now: NOW })[0]!, 0, { nonce }))).toBe("OCSP_RESPONSE_INVALID");
    expect(codeOf(() => check(simulateGpuOcsp({ devRoots, certificateChain, now: NOW, nonce: new Uint8Array(32) })[0]!, 0, { nonce }))).toBe("OCSP_RESPONSE_INVALID");
  });
});
