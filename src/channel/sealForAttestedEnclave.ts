import { randomUUID, type webcrypto } from "node:crypto";
import { TeezkError } from "../errors/index.js";
import { fromHex, toHex, type Hex } from "../util/bytes.js";
import { assertAttestedBeforeSealing, type AssertAttestedBeforeSealingParameters } from "./assertAttestedBeforeSealing.js";
import { HPKE_PUBLIC_KEY_BYTES, MAX_CHANNEL_PLAINTEXT_BYTES, SEALED_MESSAGE_VERSION } from "./constants.js";
import { encodeChannelContext } from "./encodeChannelContext.js";
import { hpkeSuite } from "./hpkeSuite.js";
import type { SealedMessage } from "./types.js";

export type SealForAttestedEnclaveParameters = {
  /** The enclave's HPKE public key (raw X25519, 32 bytes), the one its evidence binds. */
  hpkePublicKey: Hex;
  /** DESIGN §3 binding, as returned by `assertAttestedBeforeSealing`. */
  binding: Hex;
  /** The circuit the prover must be about to run; a prover running another circuit cannot open the message. */
  circuitId: string;
  /** The witness (for example UTF-8 JSON of the circuit inputs), at most MAX_CHANNEL_PLAINTEXT_BYTES. */
  plaintext: Uint8Array;
  /** Job id, authenticated with the message; a random UUID when omitted. */
  requestId?: string;
  /**
   * When given, `assertAttestedBeforeSealing` runs first with this evidence and appraisal, and the binding it
   * computes must equal `binding`: the one-call form of "attest, then seal".
   */
  attestation?: Omit<AssertAttestedBeforeSealingParameters, "hpkePublicKey">;
};

export type SealForAttestedEnclaveReturnType = SealedMessage;

/**
 * Seals a witness to an attested enclave with HPKE base mode (RFC 9180; DHKEM(X25519, HKDF-SHA256),
 * HKDF-SHA256, AES-256-GCM) under the context of `encodeChannelContext`. Every call uses a fresh ephemeral key.
 *
 * Caller responsibilities: call `assertAttestedBeforeSealing` first (or pass `attestation`): this function
 * seals to whatever key it is given.
 */
export async function sealForAttestedEnclave({
  hpkePublicKey,
  binding,
  circuitId,
  plaintext,
  requestId = randomUUID(),
  attestation,
}: SealForAttestedEnclaveParameters): Promise<SealForAttestedEnclaveReturnType> {
  if (!(plaintext instanceof Uint8Array)) {
    throw new TeezkError("CHANNEL_PARAMETERS_INVALID", "The plaintext must be a Uint8Array");
  }
  if (plaintext.length > MAX_CHANNEL_PLAINTEXT_BYTES) {
    throw new TeezkError("CHANNEL_PLAINTEXT_TOO_LARGE", `The plaintext of ${plaintext.length} bytes exceeds the ${MAX_CHANNEL_PLAINTEXT_BYTES}-byte cap`);
  }
  if (typeof hpkePublicKey !== "string" || !new RegExp(`^0x[0-9a-fA-F]{${HPKE_PUBLIC_KEY_BYTES * 2}}$`).test(hpkePublicKey)) {
    throw new TeezkError("CHANNEL_PARAMETERS_INVALID", `The HPKE public key must be ${HPKE_PUBLIC_KEY_BYTES} bytes of 0x-hex (raw X25519)`);
  }
  if (attestation) {
    const attested = assertAttestedBeforeSealing({ ...attestation, hpkePublicKey });
    if (typeof binding !== "string" || attested.binding !== binding.toLowerCase()) {
      throw new TeezkError("BINDING_MISMATCH", "The binding given for sealing is not the one the attestation proves; the witness was not sealed", {
        details: `attested ${attested.binding}, given ${String(binding)}`,
      });
    }
  }
  const { info, aad } = encodeChannelContext({ binding, circuitId, requestId });

  const suite = hpkeSuite();
  let recipientPublicKey: webcrypto.CryptoKey;
  try {
    recipientPublicKey = await suite.kem.deserializePublicKey(fromHex(hpkePublicKey));
  } catch (error) {
    throw new TeezkError("CHANNEL_PARAMETERS_INVALID", "The HPKE public key is not a valid X25519 key", { cause: error });
  }
  try {
    const sealed = await suite.seal({ recipientPublicKey, info }, plaintext, aad);
    return {
      version: SEALED_MESSAGE_VERSION,
      requestId,
      enc: toHex(new Uint8Array(sealed.enc)),
      ciphertext: toHex(new Uint8Array(sealed.ct)),
    };
  } catch (error) {
    // RFC 9180 §7.1.4: an all-zero X25519 shared secret (a small-order "public key") must abort encapsulation.
    throw new TeezkError("CHANNEL_PARAMETERS_INVALID", "HPKE encapsulation to this public key failed (low-order or invalid key)", {
      details: error instanceof Error ? error.message : String(error),
      cause: error,
    });
  }
}
