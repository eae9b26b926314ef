import { createDecipheriv } from "node:crypto";
import { TeezkError } from "../../errors/index.js";
import { MAX_STORED_WITNESS_BYTES, storedWitnessAad } from "./constants.js";
import type { EncryptedWitness } from "./types.js";

export type DecryptStoredWitnessParameters = {
  /** The released 32-byte data key (the caller zeroes it). */
  key: Uint8Array;
  keyId: string;
  circuit: string;
  encryptedWitness: EncryptedWitness;
};
/** The witness bytes; the caller zeroes them once hashed and parsed. */
export type DecryptStoredWitnessReturnType = Uint8Array;
export type DecryptStoredWitnessErrorType = TeezkError;

/**
 * The enclave's side of `encryptWitnessForKeyRelease`. A ciphertext that does not authenticate under this key,
 * key id and circuit (tampered, truncated, another key's or another circuit's) is CHANNEL_INVALID, and nothing of
 * it is returned: GCM releases no plaintext before the tag checks. Nothing of the input is echoed in errors.
 */
export function decryptStoredWitness(parameters: DecryptStoredWitnessParameters): DecryptStoredWitnessReturnType {
  const { key, keyId, circuit, encryptedWitness } = parameters;
  if (!(key instanceof Uint8Array) || key.length !== 32) {
    throw new TeezkError("CONFIG_INVALID", `Key "${keyId}" is not a 32-byte AES-256 key, so it cannot decrypt stored witnesses`);
  }
  const iv = decodeField(encryptedWitness?.iv, "iv", 12);
  const ciphertext = decodeField(encryptedWitness?.ciphertext, "ciphertext", MAX_STORED_WITNESS_BYTES);
  if (iv.length !== 12) throw new TeezkError("REQUEST_INVALID", "encryptedWitness.iv must be 12 bytes");
  if (ciphertext.length < 16) throw new TeezkError("REQUEST_INVALID", "encryptedWitness.ciphertext is shorter than its 16-byte tag");
  const decipher = createDecipheriv("aes-256-gcm", key, iv);
  decipher.setAAD(storedWitnessAad(keyId, circuit));
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const body = decipher.update(ciphertext.subarray(0, ciphertext.length - 16));
  try {
    const tail = decipher.final();
    const plaintext = new Uint8Array(body.length + tail.length);
    plaintext.set(body);
    plaintext.set(tail, body.length);
    return plaintext;
  } catch {
    throw new TeezkError("CHANNEL_INVALID", `The stored witness does not authenticate under key "${keyId}" for circuit "${circuit}" (tampered, or encrypted for another key or circuit)`);
  } finally {
    body.fill(0);
  }
}

/** 0x-hex or (standard or url-safe) base64, checked by alphabet and length before anything is decoded. */
function decodeField(value: unknown, name: string, maxBytes: number): Buffer {
  if (typeof value !== "string" || value.length === 0) throw new TeezkError("REQUEST_INVALID", `encryptedWitness.${name} must be 0x-hex or base64`);
  if (value.length > maxBytes * 2 + 2) throw new TeezkError("REQUEST_TOO_LARGE", `encryptedWitness.${name} is larger than its ${maxBytes}-byte cap`);
  let bytes: Buffer;
  if (value.startsWith("0x")) {
    if (value.length % 2 !== 0 || !/^0x[0-9a-fA-F]*$/.test(value)) throw new TeezkError("REQUEST_INVALID", `encryptedWitness.${name} is not valid hex`);
    bytes = Buffer.from(value.slice(2), "hex");
  } else {
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(value) || value.length % 4 === 1) throw new TeezkError("REQUEST_INVALID", `encryptedWitness.${name} is not valid base64`);
    bytes = Buffer.from(value, value.includes("-") || value.includes("_") ? "base64url" : "base64");
  }
  if (bytes.length > maxBytes) throw new TeezkError("REQUEST_TOO_LARGE", `encryptedWitness.${name} is larger than its ${maxBytes}-byte cap`);
  return bytes;
}
