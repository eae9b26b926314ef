import { Aes128Gcm, Aes256Gcm, CipherSuite, DhkemP521HkdfSha512, DhkemX25519HkdfSha256, HkdfSha256, HkdfSha512 } from "@hpke/core";
import { describe, expect, it } from "vitest";
import { CHANNEL_SUITE } from "../../src/channel/index.js";
import { hpkeSuite } from "../../src/channel/hpkeSuite.js";

/**
 * Published RFC 9180 test vectors, copied by hand (wrapped hex joined). RFC 9180 has no vector for exactly our
 * suite (X25519 + HKDF-SHA256 + AES-256-GCM), so two vectors cover it in parts:
 *  - A.1.1 DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, base mode: our KEM and KDF classes, the key
 *    schedule, DeriveKeyPair and the context sequence numbers;
 *  - A.6.1 DHKEM(P-521, HKDF-SHA512), HKDF-SHA512, AES-256-GCM, base mode: @hpke/core's AES-256-GCM AEAD
 *    inside the HPKE key schedule.
 * Sources: RFC 9180 Appendix A (as the final draft-irtf-cfrg-hpke AUTH48 text, B.6.1, and the RFC's JSON vector
 * file, first entry). sealForAttestedEnclave.test.ts additionally decrypts our own suite's output with an
 * independent RFC 9180 implementation.
 */
const hex = (text: string) => new Uint8Array(Buffer.from(text.replace(/\s+/g, ""), "hex"));
const toHex = (buffer: ArrayBuffer) => Buffer.from(buffer).toString("hex");

const PT = "4265617574792069732074727574682c20747275746820626561757479"; // "Beauty is truth, truth beauty"
const INFO = "4f6465206f6e2061204772656369616e2055726e"; // "Ode on a Grecian Urn"

const A_1_1 = {
  ikmE: "7268600d403fce431561aef583ee1613527cff655c1343f29812e66706df3234",
  ikmR: "6db9df30aa07dd42ee5e8181afdb977e538f5e1fec8a06223f33f7013e525037",
  skRm: "4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8",
  pkRm: "3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d",
  enc: "37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431",
  encryptions: [
    { aad: "436f756e742d30", ct: "f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a96d8770ac83d07bea87e13c512a" },
    { aad: "436f756e742d31", ct: "af2d7e9ac9ae7e270f46ba1f975be53c09f8d875bdc8535458c2494e8a6eab251c03d0c22a56b8ca42c2063b84" },
    { aad: "436f756e742d32", ct: "498dfcabd92e8acedc281e85af1cb4e3e31c7dc394a1ca20e173cb72516491588d96a19ad4a683518973dcc180" },
  ],
};

const A_6_1 = {
  ikmE: `7f06ab8215105fc46aceeb2e3dc5028b44364f960426eb0d8e4026c2f8b5d7
         e7a986688f1591abf5ab753c357a5d6f0440414b4ed4ede71317772ac98d9239f709 04`,
  ikmR: `2ad954bbe39b7122529f7dde780bff626cd97f850d0784a432784e69d86ecc
         aade43b6c10a8ffdb94bf943c6da479db137914ec835a7e715e36e45e29b587bab3b f1`,
  skRm: `01462680369ae375e4b3791070a7458ed527842f6a98a79ff5e0d4cbde83c2
         7196a3916956655523a6a2556a7af62c5cadabe2ef9da3760bb21e005202f7b24628 47`,
  enc: `040138b385ca16bb0d5fa0c0665fbbd7e69e3ee29f63991d3e9b5fa740aab89
        00aaeed46ed73a49055758425a0ce36507c54b29cc5b85a5cee6bae0cf1c21f2731e
        ce2013dc3fb7c8d21654bb161b463962ca19e8c654ff24c94dd2898de12051f1ed06
        92237fb02b2f8d1dc1c73e9b366b529eb436e98a996ee522aef863dd5739d2f29b0`,
  encryptions: [
    { aad: "436f756e742d30", ct: "170f8beddfe949b75ef9c387e201baf4132fa7374593dfafa90768788b7b2b200aafcc6d80ea4c795a7c5b841a" },
    { aad: "436f756e742d31", ct: "d9ee248e220ca24ac00bbbe7e221a832e4f7fa64c4fbab3945b6f3af0c5ecd5e16815b328be4954a05fd352256" },
    { aad: "436f756e742d32", ct: "142cf1e02d1f58d9285f2af7dcfa44f7c3f2d15c73d460c48c6e0e506a3144bae35284e7e221105b61d24e1c7a" },
  ],
  exportEmptyContext32: "05e2e5bd9f0c30832b80a279ff211cc65eceb0d97001524085d609ead60d0412",
};

async function checkVector(suite: CipherSuite, vector: typeof A_1_1 | typeof A_6_1) {
  const recipient = await suite.kem.deriveKeyPair(hex(vector.ikmR));
  expect(toHex(await suite.kem.serializePrivateKey(recipient.privateKey))).toBe(vector.skRm.replace(/\s+/g, ""));
  if ("pkRm" in vector) expect(toHex(await suite.kem.serializePublicKey(recipient.publicKey))).toBe(vector.pkRm);

  const sender = await suite.createSenderContext({ recipientPublicKey: recipient.publicKey, info: hex(INFO), ekm: hex(vector.ikmE) });
  expect(toHex(sender.enc)).toBe(vector.enc.replace(/\s+/g, ""));
  for (const { aad, ct } of vector.encryptions) {
    expect(toHex(await sender.seal(hex(PT), hex(aad)))).toBe(ct);
  }

  const receiver = await suite.createRecipientContext({ recipientKey: recipient, enc: hex(vector.enc), info: hex(INFO) });
  for (const { aad, ct } of vector.encryptions) {
    expect(toHex(await receiver.open(hex(ct), hex(aad)))).toBe(PT);
  }
  return receiver;
}

describe("RFC 9180 vectors through @hpke/core", () => {
  it("A.1.1: DHKEM(X25519, HKDF-SHA256) and HKDF-SHA256 — the channel's KEM and KDF", async () => {
    await checkVector(new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes128Gcm() }), A_1_1);
  });

  it("A.6.1: AES-256-GCM inside the HPKE key schedule — the channel's AEAD", async () => {
    const receiver = await checkVector(new CipherSuite({ kem: new DhkemP521HkdfSha512(), kdf: new HkdfSha512(), aead: new Aes256Gcm() }), A_6_1);
    expect(toHex(await receiver.export(new Uint8Array(0), 32))).toBe(A_6_1.exportEmptyContext32);
  });

  it("the channel's suite is exactly kem 0x0020, kdf 0x0001, aead 0x0002", () => {
    const suite = hpkeSuite();
    expect({ kem: suite.kem.id, kdf: suite.kdf.id, aead: suite.aead.id }).toEqual({ kem: 0x0020, kdf: 0x0001, aead: 0x0002 });
    expect(CHANNEL_SUITE).toEqual({ kem: 0x0020, kdf: 0x0001, aead: 0x0002 });
  });

  it("a vector with one flipped ciphertext bit does not open (the check is not vacuous)", async () => {
    const suite = new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes128Gcm() });
    const recipient = await suite.kem.deriveKeyPair(hex(A_1_1.ikmR));
    const receiver = await suite.createRecipientContext({ recipientKey: recipient, enc: hex(A_1_1.enc), info: hex(INFO) });
    const ct = hex(A_1_1.encryptions[0]!.ct);
    ct[3]! ^= 1;
    await expect(receiver.open(ct, hex(A_1_1.encryptions[0]!.aad))).rejects.toThrow();
  });
});
