import type { Address, Hex } from "viem";
import { describe, expect, it } from "vitest";
import { encodeAttestationResponse, encodeProveResponse, parseAttestationResponse, parseProveResponse } from "../../src/protocol/index.js";

/** What the node encodes is what the client parses, through JSON, and a malformed answer is the node's fault. */
describe("the prover wire protocol round-trips through JSON", () => {
  const enclaveAddress = "0x00000000000000000000000000000000000e0c1a" as Address;
  const receiptDomain = { chainId: 31337n, verifyingContract: "0x00000000000000000000000000000000c0ffee03" as Address };
  const through = <T>(value: T): unknown => JSON.parse(JSON.stringify(value));

  it("an attestation answer: evidence bytes, collateral files, keys, nonce and domain come back as sent", () => {
    const evidence = new Uint8Array(Array.from({ length: 300 }, (_, i) => (i * 7) & 255));
    const gpuEvidence = new Uint8Array([0, 1, 2, 250]);
    const body = encodeAttestationResponse({
      kind: "tdx",
      evidence,
      collateral: { "tcb_info.json": "{}", "pck_platform_crl.pem": "-----BEGIN X509 CRL-----" },
      gpuEvidence,
      gpuCollateral: { "a.swidtag": "<x/>" },
      enclaveAddress,
      hpkePublicKey: `0x${"ab".repeat(32)}` as Hex,
      nonce: `0x${"cd".repeat(32)}` as Hex,
      binding: `0x${"ef".repeat(32)}` as Hex,
      receiptDomain,
      programIds: { membership: `0x${"12".repeat(32)}` as Hex },
    });
    const parsed = parseAttestationResponse(through(body));
    expect(parsed.evidence).toEqual(evidence);
    expect(parsed.gpuEvidence).toEqual(gpuEvidence);
    expect(parsed.collateral).toEqual(body.collateral);
    expect(parsed.gpuCollateral).toEqual(body.gpuCollateral);
    expect(parsed.receiptDomain).toEqual({ chainId: 31337, verifyingContract: receiptDomain.verifyingContract });
    expect(parsed.programIds).toEqual(body.programIds);
  });

  it("an attestation answer whose collateral names a path is not a teezk answer: SERVICE_UNREACHABLE", () => {
    const body = through(
      encodeAttestationResponse({
        kind: "tdx",
        evidence: new Uint8Array([1]),
        collateral: { "../../etc/cron.d/x": "* * * * * root sh" },
        enclaveAddress,
        hpkePublicKey: `0x${"ab".repeat(32)}` as Hex,
        nonce: `0x${"cd".repeat(32)}` as Hex,
        binding: `0x${"ef".repeat(32)}` as Hex,
        receiptDomain,
        programIds: {},
      }),
    );
    expect(() => parseAttestationResponse(body)).toThrowError(expect.objectContaining({ code: "SERVICE_UNREACHABLE" }));
  });

  it("a prove answer: receipt (issuedAt as a bigint), signature, proof and signals come back as sent", () => {
    const receipt = {
      programId: `0x${"01".repeat(32)}` as Hex,
      inputDigest: `0x${"02".repeat(32)}` as Hex,
      outputDigest: `0x${"03".repeat(32)}` as Hex,
      proofDigest: `0x${"04".repeat(32)}` as Hex,
      issuedAt: 1_765_000_000n,
      nonce: `0x${"05".repeat(32)}` as Hex,
    };
    const proof = { pi_a: ["1", "2", "1"], pi_b: [["1", "2"], ["3", "4"], ["1", "0"]], pi_c: ["5", "6", "1"], protocol: "groth16", curve: "bn128" };
    const body = encodeProveResponse({
      circuit: "membership",
      requestId: "req-1",
      proof: proof as never,
      publicSignals: ["7", "8"],
      calldata: { a: [1n, 2n], b: [[3n, 4n], [5n, 6n]], c: [7n, 8n], pubSignals: [7n, 8n] },
      receipt,
      signature: `0x${"aa".repeat(65)}` as Hex,
      enclaveAddress,
      receiptDomain,
      timings: { openMs: 1, proveMs: 2, signMs: 3, archiveMs: 4, totalMs: 10 },
    });
    expect(body.calldata.b).toEqual([["3", "4"], ["5", "6"]]);
    const parsed = parseProveResponse(through(body));
    expect(parsed.receipt).toEqual(receipt);
    expect(parsed.proof).toEqual(proof);
    expect(parsed.publicSignals).toEqual(["7", "8"]);
    expect(parsed.requestId).toBe("req-1");
    expect(parsed.timings).toEqual(body.timings);
  });
});
