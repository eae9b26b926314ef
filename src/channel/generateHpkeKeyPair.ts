import { TeezkError } from "../errors/index.js";
import { toHex } from "../util/bytes.js";
import { hpkeSuite } from "./hpkeSuite.js";
import type { HpkeKeyPair } from "./types.js";

export type GenerateHpkeKeyPairReturnType = HpkeKeyPair;

/**
 * A fresh X25519 key pair for the witness channel. An enclave makes one per boot and binds `publicKey` into its
 * evidence (DESIGN §3); nothing persists the private key, so a restarted prover is a new, re-attested key.
 */
export async function generateHpkeKeyPair(): Promise<GenerateHpkeKeyPairReturnType> {
  try {
    const suite = hpkeSuite();
    const pair = await suite.kem.generateKeyPair();
    const publicKey = toHex(new Uint8Array(await suite.kem.serializePublicKey(pair.publicKey)));
    return { publicKey, privateKey: pair.privateKey };
  } catch (error) {
    throw new TeezkError("INTERNAL", "Could not generate an HPKE key pair", {
      details: error instanceof Error ? error.message : String(error),
      cause: error,
    });
  }
}
