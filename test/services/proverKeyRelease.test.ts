import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkProveResponse } from "../../src/client/checkProveResponse.js";
import { createGroth16Prover, normalizeWitnessInput, type Groth16Proof, type Prover } from "../../src/prover/index.js";
import { recoverReceiptSigner, parseReceipt } from "../../src/receipts/index.js";
import { serveApp, type ServeAppReturnType } from "../../src/services/http/index.js";
import {
  createKeyReleaseService,
  decryptStoredWitness,
  encryptWitnessForKeyRelease,
  keyReleaseChannelId,
  type EncryptedWitness,
} from "../../src/services/keys/index.js";
import { createSimulatedEvidenceSource } from "../../src/services/prover/index.js";
import type { ReceiptJson } from "../../src/services/prover/types.js";
import { openArchive, type Archive } from "../../src/store/index.js";
import { devRootPin, getDevRoots } from "../../src/tee/simulated/index.js";
import { membershipFixture } from "../prover/membershipFixture.js";
import { devReferenceValues, startTestProver, testReceiptDomain, type TestProver } from "./proverSupport.js";

const json = { "content-type": "application/json" };
type ErrorBody = { error: { code: string; message: string } };

describe("prover node proving a stored witness with a key from the key-release service (simulated TDX, loopback)", () => {
  const groth16 = createGroth16Prover();
  // Every proof the nodes start goes through here, so a test can tell that a refused node never proved.
  let proveCalls = 0;
  const prover: Prover<Groth16Proof> = {
    backend: "groth16",
    prove: (parameters) => {
      proveCalls += 1;
      return groth16.prove(parameters);
    },
    verify: (parameters) => groth16.verify(parameters),
    close: async () => {},
  };
  const dataKey = new Uint8Array(randomBytes(32));
  const fixture = membershipFixture();
  const witnessBytes = new Uint8Array(Buffer.from(JSON.stringify(normalizeWitnessInput(fixture.witnessInput))));
  let dir: string;
  let keyArchive: Archive;
  let nodeArchive: Archive;
  let keyServer: ServeAppReturnType;
  const nodes: TestProver[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "teezk-prover-keys-"));
    // The key service checks TDX quotes against its own collateral folder: the simulated Intel collateral.
    const collateralDir = join(dir, "tdx-collateral");
    mkdirSync(collateralDir);
    const collateral = (await createSimulatedEvidenceSource({ vendor: "tdx" })({ binding: `0x${"00".repeat(32)}`, nonce: `0x${"00".repeat(32)}` })).collateral!;
    for (const [name, text] of Object.entries(collateral)) writeFileSync(join(collateralDir, name), text);
    keyArchive = openArchive(join(dir, "keys.sqlite"));
    nodeArchive = openArchive(join(dir, "node.sqlite"));
    const service = createKeyReleaseService({
      keys: [{ id: "witness-store", material: dataKey, referenceValues: devReferenceValues(["tdx"]) }],
      archive: keyArchive,
      collateral: { tdx: collateralDir },
      extraTrustedRoots: [devRootPin(getDevRoots(), "tdx")],
    });
    keyServer = await serveApp(service.app);
  });

  afterAll(async () => {
    for (const node of nodes) await node.close();
    await keyServer?.close();
    await groth16.close();
    keyArchive?.close();
    nodeArchive?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const start = async (registers?: Record<string, Hex>, withKeyRelease = true) => {
    const node = await startTestProver({
      vendor: "tdx",
      prover,
      archive: nodeArchive,
      ...(registers ? { registers } : {}),
      ...(withKeyRelease ? { keyRelease: { url: keyServer.url } } : {}),
    });
    nodes.push(node);
    return node;
  };
  const proveStored = (url: string, body: unknown) => fetch(`${url}/v1/prove-stored`, { method: "POST", headers: json, body: JSON.stringify(body) });
  const encrypted = (): EncryptedWitness => encryptWitnessForKeyRelease({ key: dataKey, keyId: "witness-store", circuit: "membership", witnessInput: fixture.witnessInput });
  const lastRelease = () => keyArchive.list("keyReleases", { order: "desc", limit: 1 })[0]!;

  it("the stored-witness encryption is authenticated: it opens only under its key, key id and circuit, in hex or base64", () => {
    const sealed = encrypted();
    const open = (overrides: Partial<Parameters<typeof decryptStoredWitness>[0]>) =>
      decryptStoredWitness({ key: dataKey, keyId: "witness-store", circuit: "membership", encryptedWitness: sealed, ...overrides });
    expect(Buffer.from(open({})).equals(Buffer.from(witnessBytes))).toBe(true);
    const base64 = { iv: Buffer.from(sealed.iv.slice(2), "hex").toString("base64"), ciphertext: Buffer.from(sealed.ciphertext.slice(2), "hex").toString("base64") };
    expect(Buffer.from(open({ encryptedWitness: base64 })).equals(Buffer.from(witnessBytes))).toBe(true);
    expect(() => open({ keyId: "witness-store2" })).toThrow(expect.objectContaining({ code: "CHANNEL_INVALID" }));
    expect(() => open({ circuit: "other" })).toThrow(expect.objectContaining({ code: "CHANNEL_INVALID" }));
    expect(() => open({ key: new Uint8Array(randomBytes(32)) })).toThrow(expect.objectContaining({ code: "CHANNEL_INVALID" }));
    expect(() => open({ encryptedWitness: { iv: sealed.iv, ciphertext: "0x00" } })).toThrow(expect.objectContaining({ code: "REQUEST_INVALID" }));
    expect(() => open({ encryptedWitness: { iv: "not base64!", ciphertext: sealed.ciphertext } })).toThrow(expect.objectContaining({ code: "REQUEST_INVALID" }));
  });

  it("a node whose measurement the key's policy allows gets the key, proves the stored witness and signs a receipt for the challenge", async () => {
    const node = await start();
    const notBefore = new Date();
    const response = await proveStored(node.url, { circuit: "membership", keyId: "witness-store", encryptedWitness: encrypted() });
    const body = (await response.json()) as { receipt: ReceiptJson; signature: Hex; archived?: { proofId: string; receiptId: string } };
    expect(response.status, JSON.stringify(body).slice(0, 300)).toBe(200);

    const release = lastRelease();
    expect(release).toMatchObject({ decision: "released", reasonCodes: [], circuitId: keyReleaseChannelId("witness-store"), enclaveAddress: node.node.enclaveAddress.toLowerCase() });
    expect(body.receipt.nonce).toBe(release.requestId);
    // The proof verifies, the digests commit to the witness the owner stored, and the receipt is the node's.
    await checkProveResponse({
      response: body,
      circuit: "membership",
      witness: witnessBytes,
      enclaveAddress: node.node.enclaveAddress,
      nonce: body.receipt.nonce,
      programId: node.node.programIds.membership!,
      receiptDomain: testReceiptDomain,
      notBefore,
      now: new Date(),
      verifier: groth16,
    });
    expect(await recoverReceiptSigner({ receipt: parseReceipt({ ...body.receipt, issuedAt: BigInt(body.receipt.issuedAt) }), signature: body.signature, domain: testReceiptDomain })).toBe(node.node.enclaveAddress);
    expect(nodeArchive.get("proofs", body.archived!.proofId)).toBeDefined();
    expect(node.node.stats).toMatchObject({ proveStoredRequests: 1, keysReleased: 1, proofs: 1, proveRequests: 0 });
  });

  it("a node with another measurement is refused the key (KEY_RELEASE_REFUSED) and never proves; the refusal is archived", async () => {
    const node = await start({ mrTd: `0x${"42".repeat(48)}` });
    const [calls, proofs] = [proveCalls, nodeArchive.count("proofs")];
    const response = await proveStored(node.url, { circuit: "membership", keyId: "witness-store", encryptedWitness: encrypted() });
    const body = (await response.json()) as ErrorBody;
    expect(body.error.code).toBe("KEY_RELEASE_REFUSED");
    expect(response.status).toBe(403);
    expect(lastRelease()).toMatchObject({ decision: "refused", enclaveAddress: node.node.enclaveAddress.toLowerCase() });
    expect(lastRelease().reasonCodes).toContain("MEASUREMENT_NOT_ALLOWED");
    expect(proveCalls).toBe(calls);
    expect(nodeArchive.count("proofs")).toBe(proofs);
    expect(node.node.stats).toMatchObject({ proveStoredRequests: 1, keysReleased: 0, proofs: 0 });
  });

  it("a tampered ciphertext gets the key released but fails authentication (CHANNEL_INVALID): no proof", async () => {
    const node = await start();
    const sealed = encrypted();
    const bytes = Buffer.from(sealed.ciphertext.slice(2), "hex");
    bytes[5]! ^= 0x01;
    const [calls, proofs] = [proveCalls, nodeArchive.count("proofs")];
    const response = await proveStored(node.url, { circuit: "membership", keyId: "witness-store", encryptedWitness: { iv: sealed.iv, ciphertext: `0x${bytes.toString("hex")}` } });
    const body = (await response.json()) as ErrorBody;
    expect(body.error.code).toBe("CHANNEL_INVALID");
    expect(proveCalls).toBe(calls);
    expect(nodeArchive.count("proofs")).toBe(proofs);
    expect(node.node.stats).toMatchObject({ keysReleased: 1, proofs: 0 });
  });

  it("malformed bodies and a node without a key-release service are typed errors before any key is asked for", async () => {
    const releases = keyArchive.count("keyReleases");
    const node = await start(undefined, false);
    const plain = (await (await proveStored(node.url, { circuit: "membership", keyId: "witness-store", encryptedWitness: encrypted() })).json()) as ErrorBody;
    expect(plain.error.code).toBe("CONFIG_INVALID");
    const configured = await start();
    for (const bad of [{ circuit: "membership", keyId: "../x", encryptedWitness: encrypted() }, { circuit: "membership", keyId: "witness-store" }, { circuit: "membership", keyId: "witness-store", encryptedWitness: { ...encrypted(), extra: 1 } }]) {
      const answer = (await (await proveStored(configured.url, bad)).json()) as ErrorBody;
      expect(answer.error.code).toBe("REQUEST_INVALID");
    }
    expect(keyArchive.count("keyReleases")).toBe(releases);
  });
});
