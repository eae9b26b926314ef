import type { webcrypto } from "node:crypto";
import type { Hex } from "../util/bytes.js";

/**
 * An HPKE key pair of the channel's suite. `publicKey` is the raw 32-byte X25519 key that goes into the binding
 * (DESIGN §3); `privateKey` stays inside the enclave process and is never serialised by teezk.
 */
export type HpkeKeyPair = {
  publicKey: Hex;
  privateKey: webcrypto.CryptoKey;
};

/**
 * What travels from client to prover. Plain JSON (hex strings), so it can be posted as-is.
 * `requestId` is authenticated (it is part of the aad); `circuitId` is not carried: the prover supplies the
 * circuit it is about to run, and a message sealed for another circuit does not open.
 */
export type SealedMessage = {
  version: 1;
  requestId: string;
  /** The HPKE encapsulated key (ephemeral X25519 public key), 32 bytes. */
  enc: Hex;
  /** AES-256-GCM ciphertext with its 16-byte tag. */
  ciphertext: Hex;
};
