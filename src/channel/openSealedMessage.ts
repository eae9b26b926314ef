import { TeezkError } from "../errors/index.js";
import { fromHex, type Hex } from "../util/bytes.js";
import {
  AEAD_TAG_BYTES,
  HPKE_PUBLIC_KEY_BYTES,
  MAX_CHANNEL_ID_BYTES,
  MAX_CHANNEL_PLAINTEXT_BYTES,
  SEALED_MESSAGE_VERSION,
} from "./constants.js";
import { encodeChannelContext } from "./encodeChannelContext.js";
import { hpkeSuite } from "./hpkeSuite.js";
import type { HpkeKeyPair } from "./types.js";

export type OpenSealedMessageParameters = {
  /** The enclave's own key pair (the one whose public key its evidence binds). */
  keyPair: HpkeKeyPair;
  /** The binding this enclave put in its evidence for the session the client attested. */
  binding: Hex;
  /** The circuit the prover is about to run. */
  circuitId: string;
  /** The message as received: parsed JSON of unknown shape, validated here. */
  sealed: unknown;
};

export type OpenSealedMessageReturnType = {
  plaintext: Uint8Array;
  /** The authenticated request id the client sealed with. */
  requestId: string;
};

const MAX_CIPHERTEXT_HEX_CHARS = 2 + 2 * (MAX_CHANNEL_PLAINTEXT_BYTES + AEAD_TAG_BYTES);

/**
 * Opens a message sealed by `sealForAttestedEnclave`. Every failure (malformed message, wrong key, wrong
 * binding, wrong circuit, altered request id, enc or ciphertext) is CHANNEL_INVALID: the prover learns nothing
 * about which part was wrong, and neither does anyone probing it. Size is checked before any decoding.
 *
 * Caller responsibilities: the channel authenticates the context but not freshness; a prover that must not run
 * the same job twice keeps its own record of request ids.
 */
export async function openSealedMessage({ keyPair, binding, circuitId, sealed }: OpenSealedMessageParameters): Promise<OpenSealedMessageReturnType> {
  const message = readSealedMessage(sealed);
  // The opener's own parameters are checked by encodeChannelContext (CHANNEL_PARAMETERS_INVALID).
  const { info, aad } = encodeChannelContext({ binding, circuitId, requestId: message.requestId });
  if (!keyPair || typeof keyPair !== "object" || !(keyPair.privateKey instanceof Object)) {
    throw new TeezkError("CHANNEL_PARAMETERS_INVALID", "keyPair.privateKey must be the CryptoKey from generateHpkeKeyPair");
  }
  try {
    const plaintext = await hpkeSuite().open({ recipientKey: keyPair.privateKey, enc: message.enc, info }, message.ciphertext, aad);
    return { plaintext: new Uint8Array(plaintext), requestId: message.requestId };
  } catch (error) {
    throw invalid("The sealed message does not open with this key, binding and circuit", error);
  }
}

type ParsedSealedMessage = { requestId: string; enc: Uint8Array; ciphertext: Uint8Array };

function readSealedMessage(sealed: unknown): ParsedSealedMessage {
  if (typeof sealed !== "object" || sealed === null || Array.isArray(sealed)) throw invalid("The sealed message is not an object");
  const { version, requestId, enc, ciphertext } = sealed as Record<string, unknown>;
  if (version !== SEALED_MESSAGE_VERSION) throw invalid(`Unsupported sealed message version ${String(version)}`);
  if (typeof requestId !== "string" || requestId.length === 0 || Buffer.byteLength(requestId, "utf8") > MAX_CHANNEL_ID_BYTES) {
    throw invalid(`The request id must be a string of 1 to ${MAX_CHANNEL_ID_BYTES} UTF-8 bytes`);
  }
  if (typeof enc !== "string" || !new RegExp(`^0x[0-9a-fA-F]{${HPKE_PUBLIC_KEY_BYTES * 2}}$`).test(enc)) {
    throw invalid(`enc must be ${HPKE_PUBLIC_KEY_BYTES} bytes of 0x-hex`);
  }
  if (typeof ciphertext !== "string" || ciphertext.length > MAX_CIPHERTEXT_HEX_CHARS) {
    throw invalid(`The ciphertext must be a hex string of at most ${MAX_CHANNEL_PLAINTEXT_BYTES + AEAD_TAG_BYTES} bytes`);
  }
  // Buffer's hex decoder stops at the first non-hex pair, so a full-length result proves the text was hex
  // (one pass over up to 32 MiB of text instead of a regex and a decode).
  const body = ciphertext.startsWith("0x") ? ciphertext.slice(2) : "";
  const bytes = Buffer.from(body, "hex");
  if (body.length % 2 !== 0 || bytes.length * 2 !== body.length || bytes.length < AEAD_TAG_BYTES) {
    throw invalid(`The ciphertext must be 0x-hex of at least the ${AEAD_TAG_BYTES}-byte tag`);
  }
  return { requestId, enc: fromHex(enc), ciphertext: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length) };
}

function invalid(shortMessage: string, cause?: unknown): TeezkError {
  return new TeezkError("CHANNEL_INVALID", shortMessage, cause === undefined ? {} : { cause });
}
