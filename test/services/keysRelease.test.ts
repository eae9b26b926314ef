import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toHex, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateHpkeKeyPair, openSealedMessage, type HpkeKeyPair } from "../../src/channel/index.js";
import { computeBinding } from "../../src/claims/index.js";
import { parseReferenceValues } from "../../src/policy/index.js";
import { serveApp, type ServeAppReturnType } from "../../src/services/http/index.js";
import { createKeyReleaseService, keyReleaseChannelId, requestKeyRelease, type KeyReleaseService } from "../../src/services/keys/index.js";
import { MAX_ARCHIVED_EVIDENCE_BYTES, openArchive, type Archive } from "../../src/store/index.js";
import { devRootPin, getDevRoots, simulateEvidence, simulatedRegister, type DevRoots } from "../../src/tee/simulated/index.js";
import { rejection } from "../support/rejection.js";
import { unrecognisableJunk } from "../support/unrecognisableJunk.js";

/** DESIGN §2 Nitro measurement of the simulated enclave: sha256(PCR0‖PCR1‖PCR2) of its documented registers. */
const simulatedNitroMeasurement = `0x${createHash("sha256")
  .update(Buffer.concat(["pcr0", "pcr1", "pcr2"].map((pcr) => simulatedRegister("nitro", pcr))))
  .digest("hex")}` as Hex;

type Enclave = { address: Address; keyPair: HpkeKeyPair };
const newEnclave = async (): Promise<Enclave> => ({ address: privateKeyToAccount(generatePrivateKey()).address, keyPair: await generateHpkeKeyPair() });

describe("key release service on loopback (simulated Nitro enclave, dev root trusted)", () => {
  let dir: string;
  let devRoots: DevRoots;
  let archive: Archive;
  let service: KeyReleaseService;
  let server: ServeAppReturnType;
  const material = new Uint8Array(randomBytes(32));
  const materialHex = Buffer.from(material).toString("hex");
  const materialBase64 = Buffer.from(material).toString("base64");

  const nitroPolicy = (measurement: Hex) =>
    parseReferenceValues({ version: 1, maxAgeSeconds: 600, tee: { NITRO: { allowedMeasurements: [measurement], acceptedTcbStatuses: ["NOT_APPLICABLE"] } } });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "teezk-keys-"));
    devRoots = getDevRoots({ dir: join(dir, "dev-roots") });
    archive = openArchive(join(dir, "archive.sqlite"));
    service = createKeyReleaseService({
      keys: [
        { id: "witness-store", material, referenceValues: nitroPolicy(simulatedNitroMeasurement) },
        { id: "other-program", material: new Uint8Array(randomBytes(32)), referenceValues: nitroPolicy(`0x${"ab".repeat(32)}`) },
      ],
      archive,
      extraTrustedRoots: [devRootPin(devRoots, "nitro")],
    });
    server = await serveApp(service.app);
  });

  afterAll(async () => {
    await server?.close();
    archive?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const challenge = async (keyId: string): Promise<Hex> => {
    const response = await fetch(`${server.url}/v1/keys/${keyId}/challenge`, { method: "POST" });
    expect(response.status).toBe(200);
    return ((await response.json()) as { nonce: Hex }).nonce;
  };
  const release = (keyId: string, body: unknown) =>
    fetch(`${server.url}/v1/keys/${keyId}/release`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const nitroEvidence = (binding: Hex, options: { debug?: boolean } = {}) =>
    toHex(simulateEvidence({ vendor: "nitro", binding, devRoots, ...(options.debug ? { debug: true } : {}) }).evidence);

  /** A refusal body: a JSON error with the code, and nothing about the key. */
  async function expectRefusal(response: Response, status: number, code: string): Promise<{ code: string; message: string; details?: string }> {
    const text = await response.text();
    expect(response.status).toBe(status);
    expect(text).not.toContain(materialHex);
    expect(text).not.toContain(materialBase64);
    const body = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(["error"]);
    const error = body.error as { code: string; message: string; details?: string };
    expect(error.code).toBe(code);
    return error;
  }

  const lastRelease = () => archive.list("keyReleases", { order: "desc", limit: 1 })[0]!;

  it("happy path: challenge, attest to the binding, the key comes back sealed and opens only inside the enclave", async () => {
    const enclave = await newEnclave();
    const released = await requestKeyRelease(server.url, {
      keyId: "witness-store",
      enclaveAddress: enclave.address,
      keyPair: enclave.keyPair,
      attest: (binding) => ({ evidence: simulateEvidence({ vendor: "nitro", binding, devRoots }).evidence }),
    });
    expect(Buffer.from(released.key).toString("hex")).toBe(materialHex);
    expect(released.binding).toBe(computeBinding({ enclaveAddress: enclave.address, hpkePublicKey: enclave.keyPair.publicKey, nonce: released.nonce }));

    const record = lastRelease();
    expect(record).toMatchObject({
      decision: "released",
      reasonCodes: [],
      requestId: released.nonce,
      circuitId: keyReleaseChannelId("witness-store"),
      enclaveAddress: enclave.address.toLowerCase(),
      binding: released.binding,
    });
    expect(archive.get("evidence", record.evidenceId!)!.claimsHash).toBe(released.claimsHash);
    expect(archive.get("appraisals", record.appraisalId!)!.ok).toBe(true);
  });

  it("the wire answer carries the key only as HPKE ciphertext, bound to the binding, the key id and the nonce", async () => {
    const enclave = await newEnclave();
    const nonce = await challenge("witness-store");
    const binding = computeBinding({ enclaveAddress: enclave.address, hpkePublicKey: enclave.keyPair.publicKey, nonce });
    const response = await release("witness-store", { evidence: nitroEvidence(binding), enclaveAddress: enclave.address, hpkePublicKey: enclave.keyPair.publicKey, nonce });
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(text).not.toContain(materialHex);
    expect(text).not.toContain(materialBase64);
    const body = JSON.parse(text) as { sealed: unknown; binding: Hex };
    expect(body.binding).toBe(binding);
    const opened = await openSealedMessage({ keyPair: enclave.keyPair, binding, circuitId: keyReleaseChannelId("witness-store"), sealed: body.sealed });
    expect(Buffer.from(opened.plaintext).toString("hex")).toBe(materialHex);
    expect(opened.requestId).toBe(nonce);
    // Another enclave's key, another binding or another key id: CHANNEL_INVALID.
    const stranger = await newEnclave();
    // Each attempt starts only when awaited: promises started together reject while an earlier one is awaited,
    // which Node reports as an unhandled rejection (native X25519 finishes on the thread pool, in any order).
    const attempts = [
      () => openSealedMessage({ keyPair: stranger.keyPair, binding, circuitId: keyReleaseChannelId("witness-store"), sealed: body.sealed }),
      () => openSealedMessage({ keyPair: enclave.keyPair, binding: `0x${"00".repeat(32)}`, circuitId: keyReleaseChannelId("witness-store"), sealed: body.sealed }),
      () => openSealedMessage({ keyPair: enclave.keyPair, binding, circuitId: keyReleaseChannelId("other-program"), sealed: body.sealed }),
      () => openSealedMessage({ keyPair: enclave.keyPair, binding, circuitId: "witness-store", sealed: body.sealed }),
    ];
    for (const attempt of attempts) expect((await rejection(attempt())).code).toBe("CHANNEL_INVALID");
  });

  it("evidence bound to another HPKE key than the one posted: KEY_RELEASE_REFUSED (BINDING_MISMATCH), archived", async () => {
    const enclave = await newEnclave();
    const attacker = await newEnclave();
    const nonce = await challenge("witness-store");
    // Genuine evidence of the enclave, replayed with the attacker's HPKE key in the request.
    const binding = computeBinding({ enclaveAddress: enclave.address, hpkePublicKey: enclave.keyPair.publicKey, nonce });
    const response = await release("witness-store", { evidence: nitroEvidence(binding), enclaveAddress: enclave.address, hpkePublicKey: attacker.keyPair.publicKey, nonce });
    const error = await expectRefusal(response, 403, "KEY_RELEASE_REFUSED");
    expect(error.details).toContain("BINDING_MISMATCH");
    expect(lastRelease()).toMatchObject({ decision: "refused", reasonCodes: ["BINDING_MISMATCH"], requestId: nonce });
    expect(archive.get("appraisals", lastRelease().appraisalId!)!.ok).toBe(false);
  });

  it("a challenge is single-use, per key, and must have been issued: NONCE_REPLAYED otherwise", async () => {
    const enclave = await newEnclave();
    const nonce = await challenge("witness-store");
    const binding = computeBinding({ enclaveAddress: enclave.address, hpkePublicKey: enclave.keyPair.publicKey, nonce });
    const body = { evidence: nitroEvidence(binding), enclaveAddress: enclave.address, hpkePublicKey: enclave.keyPair.publicKey, nonce };
    expect((await release("witness-store", body)).status).toBe(200);
    await expectRefusal(await release("witness-store", body), 409, "NONCE_REPLAYED");
    expect(lastRelease()).toMatchObject({ decision: "refused", reasonCodes: ["NONCE_REPLAYED"] });

    // Never issued.
    const invented = toHex(randomBytes(32));
    const inventedBinding = computeBinding({ enclaveAddress: enclave.address, hpkePublicKey: enclave.keyPair.publicKey, nonce: invented });
    await expectRefusal(
      await release("witness-store", { ...body, nonce: invented, evidence: nitroEvidence(inventedBinding) }),
      409,
      "NONCE_REPLAYED",
    );
    // Issued for another key.
    const foreign = await challenge("other-program");
    const foreignBinding = computeBinding({ enclaveAddress: enclave.address, hpkePublicKey: enclave.keyPair.publicKey, nonce: foreign });
    await expectRefusal(await release("witness-store", { ...body, nonce: foreign, evidence: nitroEvidence(foreignBinding) }), 409, "NONCE_REPLAYED");
  });

  it("two concurrent releases with one challenge: exactly one gets the key", async () => {
    const enclave = await newEnclave();
    const nonce = await challenge("witness-store");
    const binding = computeBinding({ enclaveAddress: enclave.address, hpkePublicKey: enclave.keyPair.publicKey, nonce });
    const body = { evidence: nitroEvidence(binding), enclaveAddress: enclave.address, hpkePublicKey: enclave.keyPair.publicKey, nonce };
    const statuses = (await Promise.all([release("witness-store", body), release("witness-store", body), release("witness-store", body)])).map((r) => r.status);
    expect(statuses.sort()).toEqual([200, 409, 409]);
  });

  it("a debuggable enclave: KEY_RELEASE_REFUSED listing DEBUG_ENCLAVE (and its zero-PCR measurement), nothing about the key", async () => {
    const enclave = await newEnclave();
    const nonce = await challenge("witness-store");
    const binding = computeBinding({ enclaveAddress: enclave.address, hpkePublicKey: enclave.keyPair.publicKey, nonce });
    const response = await release("witness-store", { evidence: nitroEvidence(binding, { debug: true }), enclaveAddress: enclave.address, hpkePublicKey: enclave.keyPair.publicKey, nonce });
    const error = await expectRefusal(response, 403, "KEY_RELEASE_REFUSED");
    expect(error.details).toContain("DEBUG_ENCLAVE");
    expect(error.details).toContain("MEASUREMENT_NOT_ALLOWED");
    expect(lastRelease()).toMatchObject({ decision: "refused", binding, enclaveAddress: enclave.address.toLowerCase() });
    expect(lastRelease().reasonCodes).toEqual(expect.arrayContaining(["DEBUG_ENCLAVE", "MEASUREMENT_NOT_ALLOWED"]));
  });

  it("a measurement the key's own policy does not allow: KEY_RELEASE_REFUSED (MEASUREMENT_NOT_ALLOWED), via the client too", async () => {
    const enclave = await newEnclave();
    const error = await rejection(
      requestKeyRelease(server.url, {
        keyId: "other-program",
        enclaveAddress: enclave.address,
        keyPair: enclave.keyPair,
        attest: (binding) => ({ evidence: simulateEvidence({ vendor: "nitro", binding, devRoots }).evidence }),
      }),
    );
    expect(error.code).toBe("KEY_RELEASE_REFUSED");
    expect(error.details).toContain("MEASUREMENT_NOT_ALLOWED");
    expect(lastRelease()).toMatchObject({ decision: "refused", reasonCodes: ["MEASUREMENT_NOT_ALLOWED"], circuitId: keyReleaseChannelId("other-program") });
  });

  it("a low-order HPKE public key: refused, nothing sealed", async () => {
    const enclave = await newEnclave();
    const nonce = await challenge("witness-store");
    const zeroKey = `0x${"00".repeat(32)}` as Hex;
    const binding = computeBinding({ enclaveAddress: enclave.address, hpkePublicKey: zeroKey, nonce });
    const response = await release("witness-store", { evidence: nitroEvidence(binding), enclaveAddress: enclave.address, hpkePublicKey: zeroKey, nonce });
    await expectRefusal(response, 400, "CHANNEL_PARAMETERS_INVALID");
    expect(lastRelease()).toMatchObject({ decision: "refused", reasonCodes: ["CHANNEL_PARAMETERS_INVALID"] });
  });

  it("evidence from an untrusted root (no dev root configured): KEY_RELEASE_REFUSED with ROOT_NOT_TRUSTED in the details", async () => {
    const strict = createKeyReleaseService({ keys: [{ id: "k", material, referenceValues: nitroPolicy(simulatedNitroMeasurement) }], archive });
    const strictServer = await serveApp(strict.app);
    try {
      const enclave = await newEnclave();
      const error = await rejection(
        requestKeyRelease(strictServer.url, {
          keyId: "k",
          enclaveAddress: enclave.address,
          keyPair: enclave.keyPair,
          attest: (binding) => ({ evidence: simulateEvidence({ vendor: "nitro", binding, devRoots }).evidence }),
        }),
      );
      expect(error.code).toBe("KEY_RELEASE_REFUSED");
      expect(error.details).toMatch(/^ROOT_NOT_TRUSTED: /);
      const record = lastRelease();
      expect(record).toMatchObject({ decision: "refused", reasonCodes: ["ROOT_NOT_TRUSTED"], evidenceId: null });
      expect(record.reason).toMatch(/\[evidence sha256 0x[0-9a-f]{64}, \d+ bytes\]$/);
    } finally {
      await strictServer.close();
    }
  });

  /** Issue 12 item 15: challenges are free, so refused releases are too; their bodies must not fill the disk. */
  it("refused releases are archived by the evidence's digest and the codes, not its body: 4 MiB of junk leaves no evidence rows", async () => {
    const before = archive.count("evidence");
    const enclave = await newEnclave();
    for (let i = 0; i < 4; i += 1) {
      // Base64 just under the archive's 1 MiB cap: undecodable evidence is archived as the text sent.
      const junk = unrecognisableJunk((MAX_ARCHIVED_EVIDENCE_BYTES / 4) * 3 - 3);
      const nonce = await challenge("witness-store");
      await expectRefusal(await release("witness-store", { evidence: junk, enclaveAddress: enclave.address, hpkePublicKey: enclave.keyPair.publicKey, nonce }), 403, "KEY_RELEASE_REFUSED");
      expect(archive.count("evidence")).toBe(before);
      const record = lastRelease();
      expect(record).toMatchObject({ decision: "refused", reasonCodes: ["UNKNOWN_EVIDENCE_TYPE"], evidenceId: null });
      expect(record.reason).toContain(`evidence sha256 0x${createHash("sha256").update(junk).digest("hex")}, ${junk.length} bytes`);
    }
  });

  it("unknown key ids: KEY_NOT_FOUND; malformed ids and bodies: REQUEST_INVALID; oversized: REQUEST_TOO_LARGE", async () => {
    await expectRefusal(await fetch(`${server.url}/v1/keys/nope/challenge`, { method: "POST" }), 404, "KEY_NOT_FOUND");
    const enclave = await newEnclave();
    const wellFormed = { evidence: "00", enclaveAddress: enclave.address, hpkePublicKey: enclave.keyPair.publicKey, nonce: toHex(randomBytes(32)) };
    await expectRefusal(await release("nope", wellFormed), 404, "KEY_NOT_FOUND");
    await expectRefusal(await fetch(`${server.url}/v1/keys/${"x".repeat(65)}/challenge`, { method: "POST" }), 400, "REQUEST_INVALID");
    await expectRefusal(await fetch(`${server.url}/v1/keys/a%20b/challenge`, { method: "POST" }), 400, "REQUEST_INVALID");
    for (const body of [
      { ...wellFormed, nonce: "0x1234" },
      { ...wellFormed, enclaveAddress: "not an address" },
      { ...wellFormed, hpkePublicKey: "0x00" },
      { ...wellFormed, material: "please" },
      { ...wellFormed, evidence: 7 },
    ]) {
      await expectRefusal(await release("witness-store", body), 400, "REQUEST_INVALID");
    }
    await expectRefusal(
      await fetch(`${server.url}/v1/keys/witness-store/release`, { method: "POST", headers: { "content-type": "application/json" }, body: "{{{" }),
      400,
      "REQUEST_INVALID",
    );
    await expectRefusal(await release("witness-store", { ...wellFormed, evidence: "a".repeat(6 * 1024 * 1024) }), 413, "REQUEST_TOO_LARGE");
    expect((await fetch(`${server.url}/v1/health`)).status).toBe(200);
  });
});

describe("key release challenges: expiry and the bounded table", () => {
  it("an expired challenge is NONCE_REPLAYED; issuing stores nothing; past the spent bound, SERVICE_BUSY spends nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "teezk-keys-clock-"));
    const devRoots = getDevRoots({ dir });
    let now = new Date();
    const service = createKeyReleaseService({
      keys: [{ id: "k", material: new Uint8Array(32).fill(1), referenceValues: parseReferenceValues({ version: 1, tee: { NITRO: { allowedMeasurements: [simulatedNitroMeasurement] } } }) }],
      extraTrustedRoots: [devRootPin(devRoots, "nitro")],
      challengeTtlMs: 60_000,
      maxOutstandingChallenges: 3,
      clock: () => now,
    });
    const server = await serveApp(service.app);
    try {
      const enclave = await newEnclave();
      const attestWith = (nonce: Hex) => {
        const binding = computeBinding({ enclaveAddress: enclave.address, hpkePublicKey: enclave.keyPair.publicKey, nonce });
        return { evidence: toHex(simulateEvidence({ vendor: "nitro", binding, devRoots, now }).evidence), enclaveAddress: enclave.address, hpkePublicKey: enclave.keyPair.publicKey, nonce };
      };
      const post = (path: string, body?: unknown) =>
        fetch(`${server.url}/v1/keys/k/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body ?? {}) });
      const issue = async () => ((await (await post("challenge")).json()) as { nonce: Hex }).nonce;
      const codeOf = async (response: Response) => ((await response.json()) as { error?: { code: string } }).error?.code ?? "released";

      const stale = await issue();
      now = new Date(now.getTime() + 61_000);
      expect(await codeOf(await post("release", attestWith(stale)))).toBe("NONCE_REPLAYED");

      const issued = [await issue(), await issue(), await issue(), await issue()];
      expect(service.challenges.size).toBe(0); // issuing stores nothing; an expired challenge is never spent
      for (const nonce of issued.slice(0, 3)) expect(await codeOf(await post("release", attestWith(nonce)))).toBe("released");
      expect(service.challenges.size).toBe(3);
      // Three spent and unexpired: the fourth release is refused without spending its challenge.
      expect(await codeOf(await post("release", attestWith(issued[3]!)))).toBe("SERVICE_BUSY");
      expect(await codeOf(await post("release", attestWith(issued[3]!)))).toBe("SERVICE_BUSY");
      expect(await codeOf(await post("release", attestWith(issued[0]!)))).toBe("NONCE_REPLAYED");
      // Once the spent ones expire they are forgotten (and could not be used anyway): room again.
      now = new Date(now.getTime() + 61_000);
      expect(await codeOf(await post("release", attestWith(await issue())))).toBe("released");
      expect(service.challenges.size).toBe(1);
      expect(await codeOf(await post("release", attestWith(issued[3]!)))).toBe("NONCE_REPLAYED");
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
