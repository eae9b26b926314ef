import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkProveResponse, delegateProof, type DelegateProgress, type DelegateProofReturnType } from "../../src/client/index.js";
import { createGroth16Prover, formatGroth16Calldata, normalizeWitnessInput, proofDigest, type Groth16Proof } from "../../src/prover/index.js";
import { recoverReceiptSigner, signReceipt } from "../../src/receipts/index.js";
import { serveApp } from "../../src/services/http/index.js";
import { publicSignalsDigest } from "../../src/protocol/index.js";
import { circuitProgramId } from "../../src/services/prover/index.js";
import { openArchive, type Archive } from "../../src/store/index.js";
import { membershipFixture } from "../prover/membershipFixture.js";
import { ensureNativeGroth16Binary } from "../prover/nativeGroth16Binary.js";
import { createProxyApp, devReferenceValues, rejection, startTestProver, testReceiptDomain, type TestProver } from "../services/proverSupport.js";

const fixture = membershipFixture();
const circuit = "membership";

describe("delegateProof: a private membership proof delegated to an attested (simulated TDX) prover node", () => {
  const prover = createGroth16Prover();
  const referenceValues = devReferenceValues(["tdx"]);
  const closers: (() => Promise<void>)[] = [];
  let dir: string;
  let archive: Archive;
  let tdx: TestProver;
  let happy: { result: DelegateProofReturnType; response: Record<string, unknown>; progress: DelegateProgress[] };

  const delegate = (proverUrl: string, onProgress?: (progress: DelegateProgress) => void) =>
    delegateProof({
      proverUrl,
      circuit,
      witnessInput: fixture.witnessInput,
      referenceValues,
      allowDevRoots: true,
      verifier: prover,
      expectedPublicSignals: fixture.expectedPublicSignals,
      ...(onProgress ? { onProgress } : {}),
    });

  const serve = async (app: Parameters<typeof serveApp>[0]) => {
    const served = await serveApp(app);
    closers.push(served.close);
    return served.url;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "teezk-delegate-"));
    archive = openArchive(join(dir, "archive.sqlite"));
    tdx = await startTestProver({ vendor: "tdx", prover, archive });
  });

  afterAll(async () => {
    for (const close of closers) await close();
    await tdx?.close();
    archive?.close();
    await prover.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("returns a proof that verifies and a receipt signed by the attested enclave, archived by the node, and the nonce cannot be replayed", async () => {
    // A transparent proxy: forwards bytes unchanged and keeps the prove request, to replay it below.
    const proxy = createProxyApp(tdx.url);
    const progress: DelegateProgress[] = [];
    const result = await delegate(await serve(proxy.app), (event) => progress.push(event));
    const response = proxy.lastProveResponse()!;
    happy = { result, response, progress };

    expect(result.kind).toBe("tdx");
    expect(result.enclaveAddress).toBe(tdx.node.enclaveAddress);
    expect(result.hpkePublicKey).toBe(tdx.node.hpkePublicKey);
    expect(result.claims.reportData).toBe(result.binding);
    expect(result.appraisal.ok).toBe(true);
    expect(result.publicSignals).toEqual(fixture.expectedPublicSignals.map(String));
    expect(await prover.verify({ circuit, proof: result.proof, publicSignals: result.publicSignals })).toBe(true);
    expect(await recoverReceiptSigner({ receipt: result.receipt, signature: result.signature, domain: testReceiptDomain })).toBe(tdx.node.enclaveAddress);
    expect(result.receipt.proofDigest).toBe(proofDigest(formatGroth16Calldata(result.proof, result.publicSignals)));
    expect(result.receipt.nonce).toBe(result.nonce);
    expect(result.receipt.programId).toBe(circuitProgramId({ circuit }));
    expect(progress.map((event) => `${event.step}:${event.phase}`)).toEqual([
      "attest:start", "attest:done", "verify:start", "verify:done", "seal:start", "seal:done", "prove:start", "prove:done", "check:start", "check:done",
    ]);

    // Acknowledged ⇒ archived: the node answered with the ids of what it had already committed.
    const receipts = archive.list("receipts", { where: { nonce: result.nonce } });
    expect(receipts).toHaveLength(1);
    expect(receipts[0]!.id).toBe(result.proverArchived!.receiptId);
    expect(receipts[0]!.signer.toLowerCase()).toBe(tdx.node.enclaveAddress.toLowerCase());
    expect(receipts[0]!.signature).toBe(result.signature.toLowerCase());
    expect(receipts[0]!.proofDigest).toBe(result.receipt.proofDigest);
    const proof = archive.get("proofs", receipts[0]!.proofId!)!;
    expect(proof.id).toBe(result.proverArchived!.proofId);
    expect(proof.publicSignals).toEqual(result.publicSignals);
    expect(proof.requestId).toBe(result.requestId);

    // The witness is nowhere in the archive: not in its export, not in the database or WAL bytes.
    let exported = "";
    await archive.exportJsonLines(new Writable({ write: (chunk, _encoding, done) => ((exported += String(chunk)), done()) }));
    const secrets = [fixture.member.identityNullifier.toString(), fixture.member.identityTrapdoor.toString()];
    const files = readdirSync(dir).map((name) => readFileSync(join(dir, name)).toString("latin1"));
    for (const secret of secrets) {
      expect(exported).not.toContain(secret);
      for (const file of files) expect(file).not.toContain(secret);
    }

    // The same sealed request again, byte for byte: the nonce was used up by the first proof.
    const before = tdx.node.stats.proofs;
    const replay = await fetch(`${tdx.url}/v1/prove`, { method: "POST", headers: { "content-type": "application/json" }, body: proxy.lastProveBody()! });
    expect(replay.status).toBe(409);
    expect(((await replay.json()) as { error: { code: string } }).error.code).toBe("NONCE_REPLAYED");
    expect(tdx.node.stats.proofs).toBe(before);
  });

  it("refuses a prover whose measurement is not in the reference values: MEASUREMENT_NOT_ALLOWED, and the witness never reaches it", async () => {
    const rogue = await startTestProver({ vendor: "tdx", prover, registers: { mrTd: `0x${"ab".repeat(48)}` } });
    closers.push(rogue.close);
    const progress: DelegateProgress[] = [];
    const error = await rejection(delegate(rogue.url, (event) => progress.push(event)));
    expect(error.code).toBe("MEASUREMENT_NOT_ALLOWED");
    expect(rogue.node.stats.attestations).toBe(1);
    expect(rogue.node.stats.proveRequests).toBe(0);
    expect(progress.some((event) => event.step === "seal")).toBe(false);
  });

  it("refuses evidence made for another nonce: NONCE_REPLAYED when the answer says so, BINDING_MISMATCH when it claims our nonce", async () => {
    let counter = 0;
    // Each proxy asks the real node for a fresh nonce of its own choosing (the node refuses a nonce twice).
    const fresh = () => `0x${(++counter).toString(16).padStart(64, "0")}`;
    const provesBefore = tdx.node.stats.proveRequests;

    const honestAboutIt = createProxyApp(tdx.url, { attestationNonce: fresh });
    expect((await rejection(delegate(await serve(honestAboutIt.app)))).code).toBe("NONCE_REPLAYED");

    let clientNonce = "";
    const lying = createProxyApp(tdx.url, {
      attestationNonce: (nonce) => ((clientNonce = nonce), fresh()),
      attestation: (body) => ({ ...body, nonce: clientNonce }),
    });
    expect((await rejection(delegate(await serve(lying.app)))).code).toBe("BINDING_MISMATCH");
    expect(tdx.node.stats.proveRequests).toBe(provesBefore);
  });

  it("refuses an answer whose proof was altered on the way (PROOF_DIGEST_MISMATCH)", async () => {
    const tampering = createProxyApp(tdx.url, {
      prove: (body) => {
        const proof = body.proof as Groth16Proof;
        return { ...body, proof: { ...proof, pi_c: proof.pi_a } };
      },
    });
    expect((await rejection(delegate(await serve(tampering.app)))).code).toBe("PROOF_DIGEST_MISMATCH");
  });

  // Each alteration of the recorded answer is refused with its own code, whichever engine verifies the proof.
  const refusesEveryAlteration = async (verifier: Pick<typeof prover, "verify">) => {
    expect(happy).toBeDefined();
    const { result, response } = happy;
    const witness = new Uint8Array(Buffer.from(JSON.stringify(normalizeWitnessInput(fixture.witnessInput))));
    const base = {
      circuit,
      witness,
      enclaveAddress: result.enclaveAddress,
      nonce: result.nonce,
      programId: result.programId,
      receiptDomain: testReceiptDomain,
      notBefore: new Date(Number(result.receipt.issuedAt) * 1000),
      now: new Date(Number(result.receipt.issuedAt) * 1000),
      verifier,
    };
    const check = (changes: Record<string, unknown>, overrides: Partial<typeof base> & { expectedPublicSignals?: bigint[] } = {}) =>
      checkProveResponse({ ...base, ...overrides, response: { ...structuredClone(response), ...changes } });
    const receipt = response.receipt as Record<string, string>;
    const signals = response.publicSignals as string[];

    // The unaltered answer passes, so each refusal below is caused by its one alteration.
    expect((await check({})).receipt.proofDigest).toBe(result.receipt.proofDigest);
    expect((await rejection(check({ publicSignals: signals.map((s, i) => (i === 2 ? "7" : s)) }))).code).toBe("PROOF_DIGEST_MISMATCH");
    expect((await rejection(check({ receipt: { ...receipt, nonce: `0x${"11".repeat(32)}` } }))).code).toBe("RECEIPT_CONTEXT_MISMATCH");
    expect((await rejection(check({ receipt: { ...receipt, programId: `0x${"22".repeat(32)}` } }))).code).toBe("RECEIPT_CONTEXT_MISMATCH");
    expect((await rejection(check({ receipt: { ...receipt, issuedAt: String(BigInt(receipt.issuedAt!) + 86_400n) } }))).code).toBe("RECEIPT_CONTEXT_MISMATCH");
    expect((await rejection(check({}, { witness: new Uint8Array(Buffer.from("{}")) }))).code).toBe("RECEIPT_MISMATCH");
    expect((await rejection(check({ enclaveAddress: privateKeyToAccount(generatePrivateKey()).address }))).code).toBe("RECEIPT_SIGNER_MISMATCH");
    expect((await rejection(check({}, { expectedPublicSignals: [1n, 2n, 3n, 4n] }))).code).toBe("PROOF_INVALID");

    // The same receipt signed by a key that is not the attested enclave's.
    const stranger = privateKeyToAccount(generatePrivateKey());
    const forged = await signReceipt({ account: stranger, receipt: result.receipt, domain: testReceiptDomain });
    expect((await rejection(check({ signature: forged }))).code).toBe("RECEIPT_SIGNER_MISMATCH");
    // Signed under another ReceiptVerifier's domain: recovers to someone else.
    expect((await rejection(check({}, { receiptDomain: { chainId: 1, verifyingContract: testReceiptDomain.verifyingContract } }))).code).toBe("RECEIPT_SIGNER_MISMATCH");

    // A proof that does not verify, with a receipt that honestly commits to it, signed by "the enclave" (a test
    // key standing in for one): only the Groth16 verification itself can refuse it.
    const proof = response.proof as Groth16Proof;
    const bad = { ...proof, pi_c: proof.pi_a };
    const badReceipt = { ...result.receipt, proofDigest: proofDigest(formatGroth16Calldata(bad, signals)) };
    const badSignature = await signReceipt({ account: stranger, receipt: badReceipt, domain: testReceiptDomain });
    const error = await rejection(
      check(
        { proof: bad, receipt: { ...badReceipt, issuedAt: badReceipt.issuedAt.toString() }, signature: badSignature, enclaveAddress: stranger.address },
        { enclaveAddress: stranger.address as Hex },
      ),
    );
    expect(error.code).toBe("PROOF_INVALID");

    // A valid proof presented for other public signals, the receipt honestly committing to those signals: the
    // pairing check alone refuses it (no expectedPublicSignals given).
    const otherSignals = signals.map((s, i) => (i === 0 ? String(BigInt(s) + 1n) : s));
    const otherReceipt = { ...result.receipt, proofDigest: proofDigest(formatGroth16Calldata(proof, otherSignals)), outputDigest: publicSignalsDigest(otherSignals.map(BigInt)) };
    const otherSignature = await signReceipt({ account: stranger, receipt: otherReceipt, domain: testReceiptDomain });
    const forOtherSignals = await rejection(
      check(
        { publicSignals: otherSignals, receipt: { ...otherReceipt, issuedAt: otherReceipt.issuedAt.toString() }, signature: otherSignature, enclaveAddress: stranger.address },
        { enclaveAddress: stranger.address as Hex },
      ),
    );
    expect(forOtherSignals.code).toBe("PROOF_INVALID");
  };

  it("checks every part of an answer: each alteration of the recorded answer is refused with its own code", () => refusesEveryAlteration(prover));

  it("refuses the same alterations when the native engine verifies in the client's own process", async () => {
    const native = createGroth16Prover({ engine: "native", nativeBinary: ensureNativeGroth16Binary() });
    try {
      expect(native.engine).toBe("native");
      await refusesEveryAlteration(native);
    } finally {
      await native.close();
    }
  });
});
