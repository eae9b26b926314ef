import { randomBytes } from "node:crypto";
import { DhkemX25519HkdfSha256 } from "@hpke/core";
import { x25519 } from "@noble/curves/ed25519.js";
import { describe, expect, it } from "vitest";
import {
  MAX_CHANNEL_PLAINTEXT_BYTES,
  encodeChannelContext,
  generateHpkeKeyPair,
  openSealedMessage,
  sealForAttestedEnclave,
  type SealedMessage,
} from "../../src/channel/index.js";
import { isTeezkError } from "../../src/errors/index.js";
import { fromHex, toHex, type Hex } from "../../src/util/bytes.js";
import { independentOpen } from "./independentHpke.js";

const binding = toHex(randomBytes(32));
const otherBinding = toHex(randomBytes(32));
const witness = new TextEncoder().encode(JSON.stringify({ secret: "123456789", pathElements: ["1", "2", "3"] }));

async function expectCode(promise: Promise<unknown>, code: string) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(isTeezkError(error), `expected ${code}, got ${String(error)}`).toBe(true);
  expect((error as { code: string }).code).toBe(code);
}

function flipHexByte(value: Hex, byteIndex: number): Hex {
  const bytes = fromHex(value);
  bytes[byteIndex]! ^= 0x01;
  return toHex(bytes);
}

describe("sealForAttestedEnclave / openSealedMessage", () => {
  it("round-trips a witness, with the request id authenticated and returned", async () => {
    const keyPair = await generateHpkeKeyPair();
    expect(keyPair.publicKey).toMatch(/^0x[0-9a-f]{64}$/);
    const sealed = await sealForAttestedEnclave({ hpkePublicKey: keyPair.publicKey, binding, circuitId: "membership", plaintext: witness, requestId: "job-1" });
    expect(sealed.version).toBe(1);
    expect(fromHex(sealed.enc)).toHaveLength(32);
    expect(fromHex(sealed.ciphertext)).toHaveLength(witness.length + 16);
    // The message is plain JSON: what is posted is what is opened.
    const posted = JSON.parse(JSON.stringify(sealed)) as unknown;
    const opened = await openSealedMessage({ keyPair, binding, circuitId: "membership", sealed: posted });
    expect(Buffer.from(opened.plaintext).equals(Buffer.from(witness))).toBe(true);
    expect(opened.requestId).toBe("job-1");
  });

  it("uses a fresh ephemeral key per message and a random request id by default", async () => {
    const keyPair = await generateHpkeKeyPair();
    const a = await sealForAttestedEnclave({ hpkePublicKey: keyPair.publicKey, binding, circuitId: "membership", plaintext: witness });
    const b = await sealForAttestedEnclave({ hpkePublicKey: keyPair.publicKey, binding, circuitId: "membership", plaintext: witness });
    expect(a.enc).not.toBe(b.enc);
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(a.requestId).not.toBe(b.requestId);
  });

  it("round-trips the empty plaintext", async () => {
    const keyPair = await generateHpkeKeyPair();
    const sealed = await sealForAttestedEnclave({ hpkePublicKey: keyPair.publicKey, binding, circuitId: "c", plaintext: new Uint8Array(0) });
    const opened = await openSealedMessage({ keyPair, binding, circuitId: "c", sealed });
    expect(opened.plaintext).toHaveLength(0);
  });

  it("is RFC 9180 HPKE with the documented info and aad: an independent implementation opens it", async () => {
    const skR = x25519.utils.randomSecretKey();
    const pkR = toHex(x25519.getPublicKey(skR));
    const sealed = await sealForAttestedEnclave({ hpkePublicKey: pkR, binding, circuitId: "membership", plaintext: witness, requestId: "r-7" });
    const { info, aad } = encodeChannelContext({ binding, circuitId: "membership", requestId: "r-7" });
    const plaintext = independentOpen({ skR, enc: fromHex(sealed.enc), info, aad, ciphertext: fromHex(sealed.ciphertext) });
    expect(Buffer.from(plaintext).equals(Buffer.from(witness))).toBe(true);
    // And the same private key, imported into @hpke/core, opens it through the channel API.
    const privateKey = await new DhkemX25519HkdfSha256().deserializePrivateKey(skR);
    const opened = await openSealedMessage({ keyPair: { publicKey: pkR, privateKey }, binding, circuitId: "membership", sealed });
    expect(opened.requestId).toBe("r-7");
    // The independent opener rejects a wrong aad, so the agreement above is not vacuous.
    const wrongAad = encodeChannelContext({ binding, circuitId: "membership", requestId: "r-8" }).aad;
    expect(() => independentOpen({ skR, enc: fromHex(sealed.enc), info, aad: wrongAad, ciphertext: fromHex(sealed.ciphertext) })).toThrow();
  });

  describe("every wrong key, context or tampered field is CHANNEL_INVALID", async () => {
    const keyPair = await generateHpkeKeyPair();
    const otherKeyPair = await generateHpkeKeyPair();
    const sealed = await sealForAttestedEnclave({ hpkePublicKey: keyPair.publicKey, binding, circuitId: "membership", plaintext: witness, requestId: "job-1" });
    const cases: Array<[string, () => Promise<unknown>]> = [
      ["another enclave's key", () => openSealedMessage({ keyPair: otherKeyPair, binding, circuitId: "membership", sealed })],
      ["another binding (same key, other boot or nonce)", () => openSealedMessage({ keyPair, binding: otherBinding, circuitId: "membership", sealed })],
      ["another circuit", () => openSealedMessage({ keyPair, binding, circuitId: "membership-v2", sealed })],
      ["an altered request id", () => openSealedMessage({ keyPair, binding, circuitId: "membership", sealed: { ...sealed, requestId: "job-2" } })],
      ["a flipped ciphertext byte", () => openSealedMessage({ keyPair, binding, circuitId: "membership", sealed: { ...sealed, ciphertext: flipHexByte(sealed.ciphertext, 5) } })],
      ["a flipped tag byte", () => openSealedMessage({ keyPair, binding, circuitId: "membership", sealed: { ...sealed, ciphertext: flipHexByte(sealed.ciphertext, fromHex(sealed.ciphertext).length - 1) } })],
      ["a flipped enc byte", () => openSealedMessage({ keyPair, binding, circuitId: "membership", sealed: { ...sealed, enc: flipHexByte(sealed.enc, 0) } })],
      ["a truncated ciphertext", () => openSealedMessage({ keyPair, binding, circuitId: "membership", sealed: { ...sealed, ciphertext: sealed.ciphertext.slice(0, -2) as Hex } })],
      ["a ciphertext shorter than the tag", () => openSealedMessage({ keyPair, binding, circuitId: "membership", sealed: { ...sealed, ciphertext: "0x00" } })],
      ["another version", () => openSealedMessage({ keyPair, binding, circuitId: "membership", sealed: { ...sealed, version: 2 } })],
      ["a non-hex enc", () => openSealedMessage({ keyPair, binding, circuitId: "membership", sealed: { ...sealed, enc: `0x${"zz".repeat(32)}` } })],
      ["a short enc", () => openSealedMessage({ keyPair, binding, circuitId: "membership", sealed: { ...sealed, enc: sealed.enc.slice(0, -2) } })],
      ["odd-length ciphertext hex", () => openSealedMessage({ keyPair, binding, circuitId: "membership", sealed: { ...sealed, ciphertext: `${sealed.ciphertext}0` } })],
      ["an empty request id", () => openSealedMessage({ keyPair, binding, circuitId: "membership", sealed: { ...sealed, requestId: "" } })],
      ["not an object", () => openSealedMessage({ keyPair, binding, circuitId: "membership", sealed: "hello" })],
      ["null", () => openSealedMessage({ keyPair, binding, circuitId: "membership", sealed: null })],
      ["an array", () => openSealedMessage({ keyPair, binding, circuitId: "membership", sealed: [sealed] })],
      ["a ciphertext over the cap, refused before decoding", () =>
        openSealedMessage({ keyPair, binding, circuitId: "membership", sealed: { ...sealed, ciphertext: `0x${"00".repeat(MAX_CHANNEL_PLAINTEXT_BYTES + 17)}` } })],
    ];
    for (const [name, open] of cases) {
      it(name, async () => {
        await expectCode(open(), "CHANNEL_INVALID");
      });
    }
  });

  it("two messages cannot be spliced: enc of one with the ciphertext of another fails", async () => {
    const keyPair = await generateHpkeKeyPair();
    const one: SealedMessage = await sealForAttestedEnclave({ hpkePublicKey: keyPair.publicKey, binding, circuitId: "c", plaintext: witness, requestId: "a" });
    const two: SealedMessage = await sealForAttestedEnclave({ hpkePublicKey: keyPair.publicKey, binding, circuitId: "c", plaintext: witness, requestId: "a" });
    await expectCode(openSealedMessage({ keyPair, binding, circuitId: "c", sealed: { ...one, ciphertext: two.ciphertext } }), "CHANNEL_INVALID");
  });

  it("refuses to seal over the plaintext cap, or with malformed parameters", async () => {
    const keyPair = await generateHpkeKeyPair();
    const base = { hpkePublicKey: keyPair.publicKey, binding, circuitId: "c", plaintext: witness };
    await expectCode(sealForAttestedEnclave({ ...base, plaintext: new Uint8Array(MAX_CHANNEL_PLAINTEXT_BYTES + 1) }), "CHANNEL_PLAINTEXT_TOO_LARGE");
    await expectCode(sealForAttestedEnclave({ ...base, hpkePublicKey: "0x1234" }), "CHANNEL_PARAMETERS_INVALID");
    await expectCode(sealForAttestedEnclave({ ...base, binding: "0x1234" }), "CHANNEL_PARAMETERS_INVALID");
    await expectCode(sealForAttestedEnclave({ ...base, circuitId: "" }), "CHANNEL_PARAMETERS_INVALID");
    await expectCode(sealForAttestedEnclave({ ...base, circuitId: "x".repeat(257) }), "CHANNEL_PARAMETERS_INVALID");
    await expectCode(sealForAttestedEnclave({ ...base, requestId: "" }), "CHANNEL_PARAMETERS_INVALID");
    await expectCode(sealForAttestedEnclave({ ...base, plaintext: "text" as unknown as Uint8Array }), "CHANNEL_PARAMETERS_INVALID");
  });

  it("refuses a small-order X25519 public key (all-zero shared secret, RFC 9180 §7.1.4)", async () => {
    await expectCode(
      sealForAttestedEnclave({ hpkePublicKey: toHex(new Uint8Array(32)), binding, circuitId: "c", plaintext: witness }),
      "CHANNEL_PARAMETERS_INVALID",
    );
  });

  it("the opener's own malformed parameters are CHANNEL_PARAMETERS_INVALID, not a silent failure", async () => {
    const keyPair = await generateHpkeKeyPair();
    const sealed = await sealForAttestedEnclave({ hpkePublicKey: keyPair.publicKey, binding, circuitId: "c", plaintext: witness });
    await expectCode(openSealedMessage({ keyPair, binding: "0xabcd", circuitId: "c", sealed }), "CHANNEL_PARAMETERS_INVALID");
  });
});
