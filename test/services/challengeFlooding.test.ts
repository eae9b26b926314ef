/**
 * Issue 12 item 9, challenge flooding: the key-release challenge endpoint and the prover's attestation endpoint
 * need no authentication. A flood (here 10,001 requests, in process: nothing leaves the machine) must neither
 * invalidate an honest client's outstanding challenge nor make the service do unbounded work (the prover runs an
 * evidence collection per attestation).
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toHex, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateHpkeKeyPair } from "../../src/channel/index.js";
import { computeBinding } from "../../src/claims/index.js";
import { parseReferenceValues } from "../../src/policy/index.js";
import { TeezkError } from "../../src/errors/index.js";
import type { Groth16Proof, Prover } from "../../src/prover/index.js";
import { createKeyReleaseService } from "../../src/services/keys/index.js";
import { createProverNode, createSimulatedEvidenceSource, type EvidenceSource } from "../../src/services/prover/index.js";
import { devRootPin, getDevRoots, simulateEvidence, simulatedRegister, type DevRoots } from "../../src/tee/simulated/index.js";
import { testReceiptDomain } from "./proverSupport.js";

const FLOOD = 10_001;
const randomNonce = (): Hex => `0x${randomBytes(32).toString("hex")}`;
const simulatedNitroMeasurement = `0x${createHash("sha256")
  .update(Buffer.concat(["pcr0", "pcr1", "pcr2"].map((pcr) => simulatedRegister("nitro", pcr))))
  .digest("hex")}` as Hex;

/** Sends `count` requests made by `request`, 500 at a time; returns how many got each HTTP status. */
async function flood(count: number, request: () => Response | Promise<Response>): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  for (let sent = 0; sent < count; sent += 500) {
    const batch = await Promise.all(Array.from({ length: Math.min(500, count - sent) }, () => request()));
    for (const response of batch) {
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      await response.body?.cancel();
    }
  }
  return statuses;
}

/** No proof is made here: the probe below never gets past the nonce and the channel. */
const noProver: Prover<Groth16Proof> = {
  backend: "groth16",
  prove: async () => {
    throw new TeezkError("PROVER_FAILED", "this test proves nothing");
  },
  verify: async () => false,
  close: async () => {},
};

const codeOf = async (response: Response) => ((await response.json()) as { error?: { code: string } }).error?.code ?? `ok ${response.status}`;

describe("challenge flooding", () => {
  let dir: string;
  let devRoots: DevRoots;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "teezk-flood-"));
    devRoots = getDevRoots({ dir: join(dir, "dev-roots") });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("key release: 10,001 unauthenticated challenge requests do not invalidate an honest client's challenge", async () => {
    const service = createKeyReleaseService({
      keys: [{ id: "k", material: new Uint8Array(32).fill(7), referenceValues: parseReferenceValues({ version: 1, tee: { NITRO: { allowedMeasurements: [simulatedNitroMeasurement] } } }) }],
      extraTrustedRoots: [devRootPin(devRoots, "nitro")],
    });
    const post = (path: string, body?: unknown) =>
      service.app.request(`/v1/keys/k/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body ?? {}) });
    const honest = ((await (await post("challenge")).json()) as { nonce: Hex }).nonce;

    const statuses = await flood(FLOOD, () => post("challenge"));
    expect(statuses.get(200)).toBe(FLOOD);

    const address = privateKeyToAccount(generatePrivateKey()).address;
    const keyPair = await generateHpkeKeyPair();
    const binding = computeBinding({ enclaveAddress: address, hpkePublicKey: keyPair.publicKey, nonce: honest });
    const evidence = toHex(simulateEvidence({ vendor: "nitro", binding, devRoots }).evidence);
    const released = await post("release", { evidence, enclaveAddress: address, hpkePublicKey: keyPair.publicKey, nonce: honest });
    expect(await codeOf(released)).toBe("ok 200");
  }, 120_000);

  it("prover: 10,001 attestation requests neither evict an honest client's nonce nor run 10,001 evidence collections", async () => {
    const real = createSimulatedEvidenceSource({ vendor: "nitro" });
    let collections = 0;
    let first: Awaited<ReturnType<EvidenceSource>> | undefined;
    // The node never checks its own evidence: one real collection stands in for each, and the count is the work.
    const evidenceSource: EvidenceSource = async (request) => {
      collections += 1;
      first ??= await real(request);
      return first;
    };
    const now = new Date();
    const node = await createProverNode({ evidenceSource, receiptDomain: testReceiptDomain, prover: noProver, clock: () => now });
    const honest = randomNonce();
    expect((await node.app.request(`/v1/attestation?nonce=${honest}`)).status).toBe(200);

    const statuses = await flood(FLOOD, () => node.app.request(`/v1/attestation?nonce=${randomNonce()}`));
    // Garbage sealed under the honest nonce: CHANNEL_INVALID while the nonce is live, NONCE_REPLAYED once it was
    // forgotten. (Garbage never burns a nonce, so the honest client can still prove.)
    const garbage = { circuit: "membership", nonce: honest, sealed: { ciphertext: `0x${"00".repeat(64)}` } };
    const probe = await node.app.request("/v1/prove", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(garbage) });
    expect(await codeOf(probe)).not.toBe("NONCE_REPLAYED");

    // The clock stands still: no attestation budget comes back during the flood.
    expect(collections).toBeLessThanOrEqual(100);
    expect((statuses.get(200) ?? 0) + (statuses.get(503) ?? 0)).toBe(FLOOD);
  }, 120_000);
});
