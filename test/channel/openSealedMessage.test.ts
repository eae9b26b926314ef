import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateHpkeKeyPair, openSealedMessage, sealForAttestedEnclave } from "../../src/channel/index.js";
import { isTeezkError } from "../../src/errors/index.js";
import { fromHex, toHex } from "../../src/util/bytes.js";

const binding = `0x${"42".repeat(32)}` as const;

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "opened";
  } catch (error) {
    return isTeezkError(error) ? error.code : `not a TeezkError: ${String(error)}`;
  }
}

describe("openSealedMessage under fuzzing", () => {
  it("any JSON value as the message is CHANNEL_INVALID, never a crash", async () => {
    const keyPair = await generateHpkeKeyPair();
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        expect(await codeOf(openSealedMessage({ keyPair, binding, circuitId: "c", sealed: value }))).toBe("CHANNEL_INVALID");
      }),
      { numRuns: 200 },
    );
  });

  it("any change to enc, ciphertext or request id of a real message is CHANNEL_INVALID", async () => {
    const keyPair = await generateHpkeKeyPair();
    const sealed = await sealForAttestedEnclave({ hpkePublicKey: keyPair.publicKey, binding, circuitId: "c", plaintext: new Uint8Array(64).fill(9), requestId: "r" });
    const enc = fromHex(sealed.enc);
    const ciphertext = fromHex(sealed.ciphertext);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("enc", "ciphertext", "requestId"),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        async (field, position, mask) => {
          let mutated;
          if (field === "requestId") {
            mutated = { ...sealed, requestId: `r${String.fromCharCode(33 + (position % 90))}` };
          } else {
            const bytes = new Uint8Array(field === "enc" ? enc : ciphertext);
            bytes[position % bytes.length]! ^= mask;
            mutated = { ...sealed, [field]: toHex(bytes) };
          }
          expect(await codeOf(openSealedMessage({ keyPair, binding, circuitId: "c", sealed: mutated }))).toBe("CHANNEL_INVALID");
        },
      ),
      { numRuns: 300 },
    );
  });
});
