import { createCipheriv, randomBytes } from "node:crypto";
import { toHex } from "viem";
import { TeezkError } from "../../errors/index.js";
import { normalizeWitnessInput } from "../../prover/normalizeWitnessInput.js";
import { KEY_ID_PATTERN, MAX_STORED_WITNESS_BYTES, storedWitnessAad } from "./constants.js";
import type { EncryptedWitness } from "./types.js";

export type EncryptWitnessForKeyReleaseParameters = {
  /** The 32-byte data key the key-release service holds under `keyId`. */
  key: Uint8Array;
  keyId: string;
  /** The circuit the witness is for; a prover can decrypt it only for this circuit. */
  circuit: string;
  /**
   * Circuit inputs (bigint, number or decimal strings); encrypted as the JSON of `normalizeWitnessInput`, as
   * `delegateProof` seals them, whose keccak256 becomes the receipt's inputDigest.
   */
  witnessInput: Record<string, unknown>;
};
export type EncryptWitnessForKeyReleaseReturnType = EncryptedWitness;
export type EncryptWitnessForKeyReleaseErrorType = TeezkError;

/**
 * The data owner's side of stored witnesses: encrypt once, store the ciphertext anywhere, and let a prover node
 * get the key from the key-release service only when its evidence passes the key's policy (`POST
 * /v1/prove-stored`). AES-256-GCM with a fresh random 96-bit iv; aad binds key id and circuit. The plaintext
 * buffer is zeroed once encrypted (the JSON string itself cannot be).
 *
 * @example
 * const encryptedWitness = encryptWitnessForKeyRelease({ key, keyId: "witness-store", circuit: "membership", witnessInput });
 */
export function encryptWitnessForKeyRelease(parameters: EncryptWitnessForKeyReleaseParameters): EncryptWitnessForKeyReleaseReturnType {
  const { key, keyId, circuit, witnessInput } = parameters;
  if (!(key instanceof Uint8Array) || key.length !== 32) throw new TeezkError("CONFIG_INVALID", "A stored-witness key must be 32 bytes (AES-256)");
  if (typeof keyId !== "string" || !KEY_ID_PATTERN.test(keyId)) throw new TeezkError("CONFIG_INVALID", "keyId must be 1-64 characters of A-Za-z0-9._-");
  if (typeof circuit !== "string" || !/^[a-z0-9_]{1,64}$/.test(circuit)) {
    throw new TeezkError("CONFIG_INVALID", "circuit must be a circuit name (1-64 characters of a-z, 0-9 and _)");
  }
  if (typeof witnessInput !== "object" || witnessInput === null || Array.isArray(witnessInput)) {
    throw new TeezkError("WITNESS_INVALID", "witnessInput must be an object of circuit inputs");
  }
  const plaintext = Buffer.from(JSON.stringify(normalizeWitnessInput(witnessInput)), "utf8");
  try {
    if (plaintext.length + 16 > MAX_STORED_WITNESS_BYTES) {
      throw new TeezkError("WITNESS_INVALID", `The witness is larger than the ${MAX_STORED_WITNESS_BYTES}-byte stored-witness cap`);
    }
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", key, iv);
    cipher.setAAD(storedWitnessAad(keyId, circuit));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    return { iv: toHex(iv), ciphertext: toHex(ciphertext) };
  } finally {
    plaintext.fill(0);
  }
}
