import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keccak256, recoverTypedDataAddress, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { committeeDomain, verdictTypes } from "../../src/chain/typedData.js";
import { computeBinding, encodeClaims, type Claims } from "../../src/claims/index.js";
import { parseReferenceValues } from "../../src/policy/index.js";
import { serveApp, type ServeAppReturnType } from "../../src/services/http/index.js";
import { MAX_VERIFY_BODY_BYTES, NO_CLAIMS_HASH, createVerifierNode, requestVerdict, type VerifierNode } from "../../src/services/verifier/index.js";
import { openArchive, type Archive } from "../../src/store/index.js";
import { getDevRoots, simulateEvidence } from "../../src/tee/simulated/index.js";
import { nitroMeasurement, rootHashOf, sample, sampleCollateral, sampleFile, tdxExpected } from "./support/realEvidence.js";
import { rejection } from "../support/rejection.js";

const tdxSample = sample("tdx/dcapqvl-v4-b0c06f");
const nitroSample = sample("nitro/evervault-beta-2022-10");
const debugNitroSample = sample("nitro/blocky-debug-2024-09");
const tdxQuote = sampleFile(tdxSample);
const nitroFile = sampleFile(nitroSample);
const tdx = tdxExpected(tdxQuote);
type RequestBody = string | ReadableStream<Uint8Array>;
const committee = { chainId: 31337, verifyingContract: "0x00000000000000000000000000000000c0ffee01" as Hex };

const post = (url: string, body: RequestBody, headers: Record<string, string> = { "content-type": "application/json" }) =>
  fetch(`${url}/v1/verify`, { method: "POST", body, headers, duplex: "half" } as RequestInit);

describe("verifier node on loopback: real evidence, verdicts, refusals, archive", () => {
  let dir: string;
  let archive: Archive;
  let node: VerifierNode;
  let server: ServeAppReturnType;
  let simulatedNitro: Uint8Array;
  const account = privateKeyToAccount(generatePrivateKey());

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "teezk-verifier-"));
    archive = openArchive(join(dir, "archive.sqlite"));
    // Dev roots are generated before the server accepts connections: the key generation blocks the event loop for
    // seconds on a loaded machine, long enough for the server's keep-alive timer to close the client's pooled
    // connection just as the next request goes out on it (SERVICE_UNREACHABLE under load).
    simulatedNitro = simulateEvidence({ vendor: "nitro", binding: `0x${"33".repeat(32)}`, devRoots: getDevRoots({ dir: join(dir, "dev-roots") }) }).evidence;
    const referenceValues = parseReferenceValues({
      version: 1,
      tee: {
        TDX: {
          allowedMeasurements: [tdx.measurement],
          allowedRoots: [rootHashOf("roots/intel-sgx/Intel_SGX_Root_CA.pem")],
          acceptedTcbStatuses: ["UP_TO_DATE"],
          requiredChecks: ["tcbInfo", "qeIdentity", "pckRevocation"],
        },
        NITRO: {
          allowedMeasurements: [nitroMeasurement(nitroFile)],
          allowedRoots: [rootHashOf("roots/aws-nitro/root.pem")],
          acceptedTcbStatuses: ["NOT_APPLICABLE"],
        },
      },
    });
    node = createVerifierNode({ account, committee, referenceValues, archive, allowRequestTime: true, collateral: { tdx: sampleCollateral(tdxSample) } });
    server = await serveApp(node.app, { port: 0 });
  });

  afterAll(async () => {
    await server?.close();
    archive?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("health names the node's address and committee domain", async () => {
    const health = (await (await fetch(`${server.url}/v1/health`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ ok: true, service: "verifier", address: account.address, committee, collateralKinds: ["tdx"] });
  });

  it("a real TDX quote with its collateral, at its own time: claims, and a verdict that recovers to the node", async () => {
    const answer = await requestVerdict(server.url, { evidence: tdxQuote, at: tdxSample.at, committee, expectedSigner: node.address });
    expect(answer.kind).toBe("tdx");
    expect(answer.claims.measurement).toBe(tdx.measurement);
    expect(answer.claims.reportData).toBe(tdx.reportData);
    expect(answer.claims.tcbStatus).toBe(0);
    expect(answer.claimsHash).toBe(keccak256(encodeClaims(answer.claims)));
    expect(answer.appraisal.ok).toBe(true);
    // Recovered here with viem directly, not only inside requestVerdict.
    const recovered = await recoverTypedDataAddress({
      domain: committeeDomain(committee),
      types: verdictTypes,
      primaryType: "Verdict",
      message: { claimsHash: answer.claimsHash },
      signature: answer.verdict.signature,
    });
    expect(recovered).toBe(account.address);

    const ids = answer.archived!;
    const evidence = archive.get("evidence", ids.evidenceId!)!;
    expect(evidence.evidence).toBe(`0x${Buffer.from(tdxQuote).toString("hex")}`);
    expect(evidence.claimsHash).toBe(answer.claimsHash);
    expect(archive.get("appraisals", ids.appraisalId!)).toMatchObject({ ok: true, evidenceId: ids.evidenceId });
    expect(archive.get("verdicts", ids.verdictId)).toMatchObject({
      accepted: true,
      claimsHash: answer.claimsHash,
      signature: answer.verdict.signature,
      verifier: account.address.toLowerCase(),
    });
  });

  it("a real Nitro document (binary CBOR, sent as base64) at its own time; the JSON claims equal the signed encoding", async () => {
    const response = await post(server.url, JSON.stringify({ evidence: Buffer.from(nitroFile).toString("base64"), at: nitroSample.at }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { claims: { timestamp: number; measurement: Hex }; encodedClaims: Hex; verdict: { signer: Hex } };
    expect(body.claims.measurement).toBe(nitroMeasurement(nitroFile));
    expect(body.claims.timestamp).toBe(Math.floor(Date.parse(nitroSample.at) / 1000));
    expect(body.encodedClaims).toBe(encodeClaims({ ...(body.claims as unknown as Claims), timestamp: BigInt(body.claims.timestamp) }));
    expect(body.verdict.signer).toBe(account.address);
  });

  it("the same Nitro document as of now: CERT_EXPIRED, recorded as a refused verdict without claims", async () => {
    const before = archive.count("verdicts", { accepted: false });
    const error = await rejection(requestVerdict(server.url, { evidence: nitroFile }));
    expect(error.code).toBe("CERT_EXPIRED");
    const refused = archive.list("verdicts", { where: { accepted: false }, order: "desc", limit: 1 })[0]!;
    expect(archive.count("verdicts", { accepted: false })).toBe(before + 1);
    expect(refused.claimsHash).toBe(NO_CLAIMS_HASH);
    expect(refused.signature).toBeNull();
    // A refusal is archived by the evidence's digest and the code, never by its body.
    expect(refused.payload).toMatchObject({ refused: { code: "CERT_EXPIRED" }, evidence: { sha256: `0x${createHash("sha256").update(nitroFile).digest("hex")}`, bytes: nitroFile.length } });
    expect(refused.evidenceId).toBeNull();
  });

  it("a real debug Nitro document that verifies but fails the policy: VERDICT_REFUSED listing the rules, archived with its appraisal", async () => {
    const file = sampleFile(debugNitroSample);
    const response = await post(server.url, JSON.stringify({ evidence: Buffer.from(file).toString("utf8"), at: debugNitroSample.at }));
    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: { code: string; details: string }; verdict?: unknown };
    expect(body.error.code).toBe("VERDICT_REFUSED");
    expect(body.error.details).toContain("DEBUG_ENCLAVE");
    expect(body.error.details).toContain("MEASUREMENT_NOT_ALLOWED");
    expect(body.verdict).toBeUndefined();
    const refused = archive.list("verdicts", { where: { accepted: false }, order: "desc", limit: 1 })[0]!;
    expect(refused.claimsHash).not.toBe(NO_CLAIMS_HASH);
    expect(refused.evidenceId).toBeNull();
    const appraisal = archive.get("appraisals", (refused.payload as { appraisalId: string }).appraisalId)!;
    expect(appraisal.ok).toBe(false);
    expect(appraisal.failures.map((failure) => failure.code)).toEqual(expect.arrayContaining(["DEBUG_ENCLAVE", "MEASUREMENT_NOT_ALLOWED"]));
  });

  it("an expected binding the report data does not carry: VERDICT_REFUSED with BINDING_MISMATCH", async () => {
    const binding = computeBinding({ enclaveAddress: account.address, hpkePublicKey: `0x${"11".repeat(32)}`, nonce: `0x${"22".repeat(32)}` });
    const error = await rejection(requestVerdict(server.url, { evidence: tdxQuote, at: tdxSample.at, expectedBinding: binding }));
    expect(error.code).toBe("VERDICT_REFUSED");
    expect(error.details).toContain("BINDING_MISMATCH");
  });

  it("evidence from a simulated TEE without --simulate-roots: ROOT_NOT_TRUSTED", async () => {
    const error = await rejection(requestVerdict(server.url, { evidence: simulatedNitro }));
    expect({ code: error.code, message: error.message }).toMatchObject({ code: "ROOT_NOT_TRUSTED" });
  });

  it("a client expecting another committee or another node refuses the answer (VERDICT_INVALID)", async () => {
    const otherCommittee = { chainId: 1, verifyingContract: committee.verifyingContract };
    expect((await rejection(requestVerdict(server.url, { evidence: tdxQuote, at: tdxSample.at, committee: otherCommittee }))).code).toBe("VERDICT_INVALID");
    const stranger = privateKeyToAccount(generatePrivateKey()).address;
    expect((await rejection(requestVerdict(server.url, { evidence: tdxQuote, at: tdxSample.at, expectedSigner: stranger }))).code).toBe("VERDICT_INVALID");
  });

  it("a node without allowRequestTime refuses an `at` beyond its clock skew (REQUEST_TIME_SKEWED) and verifies as of its clock", async () => {
    const strict = createVerifierNode({
      account,
      committee,
      referenceValues: parseReferenceValues({ version: 1, tee: {} }),
      collateral: { tdx: sampleCollateral(tdxSample) },
    });
    const strictServer = await serveApp(strict.app);
    try {
      // The sample's own time is months away: re-verifying it needs --allow-request-time.
      expect((await rejection(requestVerdict(strictServer.url, { evidence: tdxQuote, at: tdxSample.at }))).code).toBe("REQUEST_TIME_SKEWED");
      // An `at` within the bound is used, and the quote's collateral is just as stale as of it.
      expect((await rejection(requestVerdict(strictServer.url, { evidence: tdxQuote, at: new Date(Date.now() - 60_000) }))).code).toBe("COLLATERAL_EXPIRED");
      // As of today the quote's collateral (TCB info, QE identity, CRLs) is past its nextUpdate.
      expect((await rejection(requestVerdict(strictServer.url, { evidence: tdxQuote }))).code).toBe("COLLATERAL_EXPIRED");
    } finally {
      await strictServer.close();
    }
  });

  it("garbage, malformed and oversized bodies get JSON errors with stable codes, and the node keeps serving", async () => {
    const cases: Array<[RequestBody, Record<string, string> | undefined, number, string]> = [
      ["{not json", undefined, 400, "REQUEST_INVALID"],
      ["[1,2,3]", undefined, 400, "REQUEST_INVALID"],
      ["null", undefined, 400, "REQUEST_INVALID"],
      [JSON.stringify({ evidence: "00" }), { "content-type": "text/plain" }, 400, "REQUEST_INVALID"],
      [JSON.stringify({ evidence: 42 }), undefined, 400, "REQUEST_INVALID"],
      [JSON.stringify({ evidence: "", kind: "tdx" }), undefined, 400, "REQUEST_INVALID"],
      [JSON.stringify({ evidence: "00ff", kind: "sgx2" }), undefined, 400, "REQUEST_INVALID"],
      [JSON.stringify({ evidence: "00ff", policy: {} }), undefined, 400, "REQUEST_INVALID"],
      [JSON.stringify({ evidence: "00ff", at: "yesterday" }), undefined, 400, "REQUEST_INVALID"],
      [JSON.stringify({ evidence: "00ff", expectedBinding: "0x1234" }), undefined, 400, "REQUEST_INVALID"],
      [JSON.stringify({ evidence: "%%% not evidence %%%" }), undefined, 422, "UNKNOWN_EVIDENCE_TYPE"],
      [JSON.stringify({ evidence: Buffer.from(new Uint8Array(4096).fill(0xd2)).toString("base64") }), undefined, 422, "UNKNOWN_EVIDENCE_TYPE"],
      [JSON.stringify({ evidence: `0x${"84".repeat(40)}`, kind: "nitro" }), undefined, 422, "COSE_INVALID"],
      [JSON.stringify({ evidence: `0x${"04".repeat(70_000)}`, kind: "tdx" }), undefined, 422, "INPUT_TOO_LARGE"],
    ];
    for (const [body, headers, status, code] of cases) {
      const response = await post(server.url, body, headers);
      const json = (await response.json()) as { error?: { code?: string } };
      expect({ status: response.status, code: json.error?.code }).toEqual({ status, code });
    }
    // Over the cap with a Content-Length: refused before it is read.
    const big = JSON.stringify({ evidence: "a".repeat(MAX_VERIFY_BODY_BYTES) });
    const declared = await post(server.url, big);
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as { error: { code: string } }).error.code).toBe("REQUEST_TOO_LARGE");
    // Over the cap streamed without a length (chunked): refused once the cap is passed.
    const chunk = new Uint8Array(256 * 1024).fill(0x61);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > MAX_VERIFY_BODY_BYTES + chunk.length) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const chunked = await post(server.url, stream);
    expect(chunked.status).toBe(413);
    expect(((await chunked.json()) as { error: { code: string } }).error.code).toBe("REQUEST_TOO_LARGE");
    // Unknown routes are JSON too.
    const missing = await fetch(`${server.url}/v1/nothing`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("REQUEST_INVALID");
    // Still serving.
    expect((await fetch(`${server.url}/v1/health`)).status).toBe(200);
    expect((await requestVerdict(server.url, { evidence: tdxQuote, at: tdxSample.at })).appraisal.ok).toBe(true);
  });
});
