import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import type { Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sealForAttestedEnclave } from "../../src/channel/index.js";
import { delegateProof, verifyAttestation } from "../../src/client/index.js";
import { TeezkError } from "../../src/errors/index.js";
import { createGroth16Prover, type Groth16Proof, type Prover } from "../../src/prover/index.js";
import { serveApp } from "../../src/services/http/index.js";
import { createNonceTable, createProverNode, createSimulatedEvidenceSource, createTeeEvidenceSource, MAX_PROVE_BODY_BYTES } from "../../src/services/prover/index.js";
import { devRootPin, getDevRoots, simulateEvidence } from "../../src/tee/simulated/index.js";
import { verifyEvidence } from "../../src/evidence/verifyEvidence.js";
import { openArchive } from "../../src/store/index.js";
import { membershipFixture } from "../prover/membershipFixture.js";
import { devReferenceValues, rejection, startTestProver, type TestProver } from "./proverSupport.js";

const referenceValues = devReferenceValues(["tdx", "sevsnp", "nitro"]);
// A policy naming GPU measurements requires the GPU half: the composite node's client uses its own.
const compositeReferenceValues = devReferenceValues(["tdx", "nvidia"]);
const randomNonce = (): Hex => `0x${randomBytes(32).toString("hex")}`;
const json = { "content-type": "application/json" };

type ErrorBody = { error: { code: string; message: string; details?: string } };
async function errorOf(response: Response): Promise<{ status: number; code: string; body: ErrorBody }> {
  const body = (await response.json()) as ErrorBody;
  return { status: response.status, code: body.error.code, body };
}

/** What an honest client does up to sealing, for tests that then send something of their own. */
async function attestAndSeal(url: string, witness: object, circuit = "membership"): Promise<{ nonce: Hex; sealed: unknown }> {
  const nonce = randomNonce();
  const attestation = await (await fetch(`${url}/v1/attestation?nonce=${nonce}`)).json();
  const attested = verifyAttestation({ attestation, nonce, referenceValues, allowDevRoots: true, now: new Date() });
  const sealed = await sealForAttestedEnclave({
    hpkePublicKey: attested.hpkePublicKey,
    binding: attested.binding,
    circuitId: circuit,
    plaintext: new Uint8Array(Buffer.from(JSON.stringify(witness))),
    attestation: { verified: attested.verified, appraisal: attested.appraisal, enclaveAddress: attested.enclaveAddress, nonce },
  });
  return { nonce, sealed };
}

const prove = (url: string, body: unknown) => fetch(`${url}/v1/prove`, { method: "POST", headers: json, body: JSON.stringify(body) });

/** A stand-in prover (no proof is the point of these tests) that blocks until released, then fails. */
function blockingProver(): Prover<Groth16Proof> & { started: Promise<void>; release: () => void } {
  let release = () => {};
  let markStarted = () => {};
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const gate = new Promise<void>((resolve) => (release = resolve));
  return {
    backend: "groth16",
    started,
    release: () => release(),
    async prove() {
      markStarted();
      await gate;
      throw new TeezkError("WITNESS_INVALID", "signal identityNullifier is not an integer", { details: 'got "SECRET-witness-value"' });
    },
    verify: async () => false,
    close: async () => {},
  };
}

describe("prover node on loopback", () => {
  const prover = createGroth16Prover();
  const nodes: TestProver[] = [];
  let tdx: TestProver;
  const start = async (parameters: Omit<Parameters<typeof startTestProver>[0], "prover"> & { prover?: Prover<Groth16Proof> }) => {
    const node = await startTestProver({ prover, ...parameters });
    nodes.push(node);
    return node;
  };

  beforeAll(async () => {
    tdx = await start({ vendor: "tdx" });
  });
  afterAll(async () => {
    for (const node of nodes) await node.close();
    await prover.close();
  });

  it("serves evidence that binds its keys to the client's nonce, for each simulated vendor and for a composite CPU+GPU TEE", async () => {
    const others = await Promise.all([start({ vendor: "sevsnp" }), start({ vendor: "nitro" }), start({ vendor: "tdx", gpu: true })]);
    for (const [node, kind, gpus] of [[tdx, "tdx", 0], [others[0], "sevsnp", 0], [others[1], "nitro", 0], [others[2], "tdx", 1]] as const) {
      const nonce = randomNonce();
      const answer = (await (await fetch(`${node.url}/v1/attestation?nonce=${nonce}`)).json()) as Record<string, unknown>;
      expect(answer.nonce).toBe(nonce);
      const policy = gpus ? compositeReferenceValues : referenceValues;
      const attested = verifyAttestation({ attestation: answer, nonce, referenceValues: policy, allowDevRoots: true, now: new Date() });
      expect(attested.kind).toBe(kind);
      expect(attested.enclaveAddress).toBe(node.node.enclaveAddress);
      expect(attested.verified.claims.reportData).toBe(attested.binding);
      expect(attested.gpu?.length ?? 0).toBe(gpus);
      expect(node.node.stats.attestations).toBe(1);
      // The same evidence checked for another nonce is a replay.
      const other = randomNonce();
      expect(() => verifyAttestation({ attestation: { ...answer, nonce: other }, nonce: other, referenceValues: policy, allowDevRoots: true, now: new Date() })).toThrow(
        expect.objectContaining({ code: "BINDING_MISMATCH" }),
      );
      // Without the dev roots the same evidence is not trusted.
      expect(() => verifyAttestation({ attestation: answer, nonce, referenceValues, now: new Date() })).toThrow(expect.objectContaining({ code: "ROOT_NOT_TRUSTED" }));
    }
  });

  it("takes evidence from the TEE it runs in (createTeeEvidenceSource): the Nitro helper is asked for exactly the binding", async () => {
    const asked: string[] = [];
    const node = await createProverNode({
      // A stand-in for the NSM helper binary: it gets the binding as its only argument and prints evidence.
      evidenceSource: createTeeEvidenceSource({
        kind: "nitro",
        collect: {
          env: { TEEZK_NITRO_ATTEST_CMD: "/opt/nsm-attest" },
          runCommand: (command, args) => {
            asked.push(command, ...args);
            return simulateEvidence({ vendor: "nitro", binding: args[0] as Hex }).evidence;
          },
        },
      }),
      receiptDomain: { chainId: 1, verifyingContract: `0x${"00".repeat(19)}01` },
      prover,
    });
    const served = await serveApp(node.app);
    try {
      const nonce = randomNonce();
      const attested = verifyAttestation({ attestation: await (await fetch(`${served.url}/v1/attestation?nonce=${nonce}`)).json(), nonce, referenceValues, allowDevRoots: true, now: new Date() });
      expect(asked).toEqual(["/opt/nsm-attest", attested.binding]);
      expect(attested.kind).toBe("nitro");
      // Without a configured helper the node says what to set up.
      const bare = await createProverNode({ evidenceSource: createTeeEvidenceSource({ kind: "nitro", collect: { env: {} } }), receiptDomain: { chainId: 1, verifyingContract: `0x${"00".repeat(19)}01` }, prover });
      const bareServed = await serveApp(bare.app);
      const again = randomNonce();
      expect(await errorOf(await fetch(`${bareServed.url}/v1/attestation?nonce=${again}`))).toMatchObject({ status: 503, code: "TEE_UNAVAILABLE" });
      // Not NONCE_REPLAYED: a failed attestation does not use the nonce up.
      expect(await errorOf(await fetch(`${bareServed.url}/v1/attestation?nonce=${again}`))).toMatchObject({ code: "TEE_UNAVAILABLE" });
      await bareServed.close();
    } finally {
      await served.close();
    }
  });

  it("answers malformed attestation requests with JSON errors, and attests a nonce only once", async () => {
    expect(await errorOf(await fetch(`${tdx.url}/v1/attestation`))).toMatchObject({ status: 400, code: "REQUEST_INVALID" });
    expect(await errorOf(await fetch(`${tdx.url}/v1/attestation?nonce=0x1234`))).toMatchObject({ status: 400, code: "REQUEST_INVALID" });
    const nonce = randomNonce();
    expect((await fetch(`${tdx.url}/v1/attestation?nonce=${nonce}`)).status).toBe(200);
    expect(await errorOf(await fetch(`${tdx.url}/v1/attestation?nonce=${nonce}`))).toMatchObject({ status: 409, code: "NONCE_REPLAYED" });
    expect(await errorOf(await fetch(`${tdx.url}/v1/nothing`))).toMatchObject({ code: "REQUEST_INVALID" });
  });

  it("refuses bad prove bodies with stable codes and keeps serving", async () => {
    const before = tdx.node.stats.proveRequests;
    expect(await errorOf(await fetch(`${tdx.url}/v1/prove`, { method: "POST", headers: json, body: "{not json" }))).toMatchObject({ status: 400, code: "REQUEST_INVALID" });
    expect(await errorOf(await fetch(`${tdx.url}/v1/prove`, { method: "POST", headers: { "content-type": "text/plain" }, body: "{}" }))).toMatchObject({ code: "REQUEST_INVALID" });
    expect(await errorOf(await prove(tdx.url, [1, 2]))).toMatchObject({ code: "REQUEST_INVALID" });
    expect(await errorOf(await prove(tdx.url, { circuit: "membership", nonce: randomNonce(), sealed: {}, extra: 1 }))).toMatchObject({ code: "REQUEST_INVALID" });
    expect(await errorOf(await prove(tdx.url, { circuit: "../etc", nonce: randomNonce(), sealed: {} }))).toMatchObject({ code: "REQUEST_INVALID" });
    expect(await errorOf(await prove(tdx.url, { circuit: "sha256_64", nonce: randomNonce(), sealed: {} }))).toMatchObject({ code: "REQUEST_INVALID" });
    expect(await errorOf(await prove(tdx.url, { circuit: "membership", nonce: "0x12", sealed: {} }))).toMatchObject({ code: "REQUEST_INVALID" });
    expect(tdx.node.stats.proveRequests).toBe(before + 7);
    expect(tdx.node.stats.proofs).toBe(0);

    // Oversize bodies go to a node of their own: the server answers before reading them and drops the
    // connection, which the client's pool would otherwise hand to the next POST of this file.
    const sizes = await start({ vendor: "tdx" });
    const oversize = "x".repeat(MAX_PROVE_BODY_BYTES + 1);
    expect(await errorOf(await fetch(`${sizes.url}/v1/prove`, { method: "POST", headers: json, body: oversize }))).toMatchObject({ status: 413, code: "REQUEST_TOO_LARGE" });
    // Chunked, with no Content-Length to refuse up front: the cap holds while reading.
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 5; i++) controller.enqueue(new Uint8Array(MAX_PROVE_BODY_BYTES / 4));
        controller.close();
      },
    });
    const streamed = await fetch(`${sizes.url}/v1/prove`, { method: "POST", headers: json, body: chunks, duplex: "half" } as RequestInit);
    expect(await errorOf(streamed)).toMatchObject({ status: 413, code: "REQUEST_TOO_LARGE" });
    expect(sizes.node.stats.proveRequests).toBe(2);
    expect(((await (await fetch(`${sizes.url}/v1/health`)).json()) as { ok: boolean }).ok).toBe(true);
    expect(((await (await fetch(`${tdx.url}/v1/health`)).json()) as { ok: boolean }).ok).toBe(true);
  });

  it("uses each attested nonce for one prove: never-attested is refused, garbage does not burn it, a witness error does", async () => {
    expect(await errorOf(await prove(tdx.url, { circuit: "membership", nonce: randomNonce(), sealed: {} }))).toMatchObject({ status: 409, code: "NONCE_REPLAYED" });

    const secret = "987654321987654321";
    const { nonce, sealed } = await attestAndSeal(tdx.url, { identityNullifier: `${secret}oops` });
    // Garbage under the nonce (anyone who saw it could send it) does not open, and leaves the nonce usable.
    expect(await errorOf(await prove(tdx.url, { circuit: "membership", nonce, sealed: { ...(sealed as object), ciphertext: `0x${"00".repeat(64)}` } }))).toMatchObject({
      status: 400,
      code: "CHANNEL_INVALID",
    });
    // Sealed for another circuit: does not open either.
    const other = await attestAndSeal(tdx.url, { a: 1 }, "sha256_64");
    expect(await errorOf(await prove(tdx.url, { circuit: "membership", nonce: other.nonce, sealed: other.sealed }))).toMatchObject({ code: "CHANNEL_INVALID" });

    const refused = await errorOf(await prove(tdx.url, { circuit: "membership", nonce, sealed }));
    expect(refused).toMatchObject({ status: 422, code: "WITNESS_INVALID" });
    // The witness is not echoed: no value, no details.
    expect(JSON.stringify(refused.body)).not.toContain(secret);
    expect(refused.body.error.details).toBeUndefined();
    expect(await errorOf(await prove(tdx.url, { circuit: "membership", nonce, sealed }))).toMatchObject({ status: 409, code: "NONCE_REPLAYED" });
  });

  it("bounds proofs in flight (PROVER_BUSY), times out (REQUEST_TIMEOUT), and strips the prover's error details", async () => {
    const stub = blockingProver();
    const busy = await start({ vendor: "tdx", prover: stub, maxQueuedProofs: 1 });
    const first = await attestAndSeal(busy.url, { x: 1 });
    const second = await attestAndSeal(busy.url, { x: 2 });
    const pending = prove(busy.url, { circuit: "membership", ...first });
    await stub.started;
    expect(await errorOf(await prove(busy.url, { circuit: "membership", ...second }))).toMatchObject({ status: 503, code: "PROVER_BUSY" });
    stub.release();
    const answered = await errorOf(await pending);
    expect(answered).toMatchObject({ status: 422, code: "WITNESS_INVALID" });
    expect(JSON.stringify(answered.body)).not.toContain("SECRET");

    const slowStub = blockingProver();
    const slow = await start({ vendor: "tdx", prover: slowStub, proveTimeoutMs: 300 });
    const job = await attestAndSeal(slow.url, { x: 3 });
    expect(await errorOf(await prove(slow.url, { circuit: "membership", ...job }))).toMatchObject({ status: 504, code: "REQUEST_TIMEOUT" });
    slowStub.release();
  });

  it("does not answer a proof it could not archive (ARCHIVE_WRITE_FAILED)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "teezk-prover-archive-"));
    const archive = openArchive(join(dir, "archive.sqlite"));
    try {
      const node = await start({ vendor: "tdx", archive });
      archive.close(); // the disk goes away between attestation and proof
      const fixture = membershipFixture();
      const error = await rejection(
        delegateProof({ proverUrl: node.url, circuit: "membership", witnessInput: fixture.witnessInput, referenceValues, allowDevRoots: true, verifier: prover }),
      );
      expect(error.code).toBe("ARCHIVE_WRITE_FAILED");
      expect(node.node.stats.proveRequests).toBe(1);
      expect(node.node.stats.proofs).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("nonce table", () => {
  const a = `0x${"0a".repeat(32)}` as Hex;
  const b = `0x${"0b".repeat(32)}` as Hex;
  const c = `0x${"0c".repeat(32)}` as Hex;
  const binding = `0x${"ff".repeat(32)}` as Hex;

  it("gives each nonce one use within its lifetime", () => {
    const table = createNonceTable({ ttlMs: 1000, maxEntries: 10 });
    table.issue(a, binding, 0);
    expect(() => table.issue(a, binding, 1)).toThrow(expect.objectContaining({ code: "NONCE_REPLAYED" }));
    expect(table.peek(a, 10)).toBe(binding);
    expect(table.consume(a, 20)).toBe(binding);
    expect(() => table.consume(a, 30)).toThrow(expect.objectContaining({ code: "NONCE_REPLAYED" }));
    table.issue(b, binding, 0);
    expect(() => table.peek(b, 1000)).toThrow(expect.objectContaining({ code: "NONCE_REPLAYED" }));
    expect(table.size).toBe(0);
  });

  it("stays within its bound by refusing new nonces (never forgetting a live one), and forgets failed attestations", () => {
    const table = createNonceTable({ ttlMs: 1000, maxEntries: 2 });
    table.issue(a, binding, 0);
    table.issue(b, binding, 1);
    expect(() => table.issue(c, binding, 2)).toThrow(expect.objectContaining({ code: "SERVICE_BUSY" }));
    expect(table.size).toBe(2);
    expect(table.peek(a, 3)).toBe(binding);
    table.issue(c, binding, 1000); // a has expired: room again
    expect(table.peek(c, 1001)).toBe(binding);
    table.forget(c);
    table.issue(c, binding, 4);
    table.consume(c, 5);
    table.forget(c); // a used nonce is not forgotten early
    expect(() => table.consume(c, 6)).toThrow(expect.objectContaining({ code: "NONCE_REPLAYED" }));
  });
});

describe("simulated evidence source", () => {
  it("issues DCAP collateral once and serves it with every quote until it is an hour old; each quote binds its own binding", async () => {
    const devRoots = getDevRoots();
    const start = Date.now();
    let now = start;
    const source = createSimulatedEvidenceSource({ vendor: "tdx", devRoots, clock: () => new Date(now) });
    const bindings = [randomNonce(), randomNonce(), randomNonce()];
    const first = await source({ binding: bindings[0]!, nonce: bindings[0]! });
    now = start + 59 * 60_000;
    const second = await source({ binding: bindings[1]!, nonce: bindings[1]! });
    now = start + 61 * 60_000;
    const third = await source({ binding: bindings[2]!, nonce: bindings[2]! });
    expect(second.collateral).toEqual(first.collateral);
    expect(third.collateral).not.toEqual(first.collateral);
    // The reused collateral still verifies a new quote at the later time, and each quote carries its binding.
    const dir = mkdtempSync(join(tmpdir(), "teezk-sim-collateral-"));
    try {
      for (const [name, text] of Object.entries(second.collateral!)) writeFileSync(join(dir, name), text);
      const verified = verifyEvidence({ evidence: second.evidence, now: new Date(start + 59 * 60_000), collateralDir: dir, extraTrustedRoots: [devRootPin(devRoots, "tdx")] });
      expect(verified.evidence.claims.reportData).toBe(bindings[1]);
      expect(verified.evidence.checks.tcbInfo).toBe("passed");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
