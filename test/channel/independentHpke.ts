import { createDecipheriv } from "node:crypto";
import { x25519 } from "@noble/curves/ed25519.js";
import { expand, extract } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";

/**
 * A second, test-only RFC 9180 base-mode opener for DHKEM(X25519, HKDF-SHA256) / HKDF-SHA256 / AES-256-GCM,
 * written from the RFC's pseudocode with noble and node:crypto. If @hpke/core and this agree on the channel's
 * messages, a Rust or Go prover following the RFC will too.
 */
const ascii = (text: string) => new TextEncoder().encode(text);
const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
const i2osp = (value: number, length: number) => {
  const out = new Uint8Array(length);
  for (let i = length - 1, v = value; i >= 0; i--, v >>>= 8) out[i] = v & 0xff;
  return out;
};

function labeledExtract(suiteId: Uint8Array, salt: Uint8Array, label: string, ikm: Uint8Array) {
  return extract(sha256, concat(ascii("HPKE-v1"), suiteId, ascii(label), ikm), salt);
}
function labeledExpand(suiteId: Uint8Array, prk: Uint8Array, label: string, info: Uint8Array, length: number) {
  return expand(sha256, prk, concat(i2osp(length, 2), ascii("HPKE-v1"), suiteId, ascii(label), info), length);
}

export function independentOpen(params: { skR: Uint8Array; enc: Uint8Array; info: Uint8Array; aad: Uint8Array; ciphertext: Uint8Array }) {
  const kemSuite = concat(ascii("KEM"), i2osp(0x0020, 2));
  const pkR = x25519.getPublicKey(params.skR);
  const dh = x25519.getSharedSecret(params.skR, params.enc);
  const eaePrk = labeledExtract(kemSuite, new Uint8Array(0), "eae_prk", dh);
  const sharedSecret = labeledExpand(kemSuite, eaePrk, "shared_secret", concat(params.enc, pkR), 32);

  const hpkeSuite = concat(ascii("HPKE"), i2osp(0x0020, 2), i2osp(0x0001, 2), i2osp(0x0002, 2));
  const empty = new Uint8Array(0);
  const pskIdHash = labeledExtract(hpkeSuite, empty, "psk_id_hash", empty);
  const infoHash = labeledExtract(hpkeSuite, empty, "info_hash", params.info);
  const context = concat(new Uint8Array([0x00]), pskIdHash, infoHash);
  const secret = labeledExtract(hpkeSuite, sharedSecret, "secret", empty);
  const key = labeledExpand(hpkeSuite, secret, "key", context, 32);
  const baseNonce = labeledExpand(hpkeSuite, secret, "base_nonce", context, 12);

  // Sequence number 0: the nonce is base_nonce itself.
  const body = params.ciphertext.subarray(0, params.ciphertext.length - 16);
  const tag = params.ciphertext.subarray(params.ciphertext.length - 16);
  const decipher = createDecipheriv("aes-256-gcm", key, baseNonce);
  decipher.setAAD(params.aad);
  decipher.setAuthTag(tag);
  return new Uint8Array(Buffer.concat([decipher.update(body), decipher.final()]));
}
