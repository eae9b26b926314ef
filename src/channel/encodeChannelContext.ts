import { TeezkError } from "../errors/index.js";
import { concatBytes, fromHex, type Hex } from "../util/bytes.js";
import { CHANNEL_INFO_LABEL, MAX_CHANNEL_ID_BYTES } from "./constants.js";

export type EncodeChannelContextParameters = {
  /** DESIGN §3 binding of the enclave the message is sealed to (bytes32). */
  binding: Hex;
  /** The circuit the witness is for, e.g. "membership". */
  circuitId: string;
  /** The client's id for this job; authenticated so a prover cannot be fed one job's witness under another id. */
  requestId: string;
};

export type EncodeChannelContextReturnType = { info: Uint8Array; aad: Uint8Array };

const textEncoder = new TextEncoder();

/**
 * The exact HPKE context of a witness message:
 *
 *   info = "teezk/v1/witness" (16 ASCII bytes) ‖ binding (32 bytes)
 *   aad  = u16be(len(circuitId)) ‖ utf8(circuitId) ‖ u16be(len(requestId)) ‖ utf8(requestId)
 *
 * The binding goes into `info`, so the key schedule itself depends on the attested enclave (a message for
 * another boot of the same key derives other keys); circuit and request ids go into the aad, length-prefixed so
 * that no two (circuitId, requestId) pairs share an encoding.
 */
export function encodeChannelContext({ binding, circuitId, requestId }: EncodeChannelContextParameters): EncodeChannelContextReturnType {
  const bindingBytes = bytes32(binding);
  const info = concatBytes(textEncoder.encode(CHANNEL_INFO_LABEL), bindingBytes);
  const aad = concatBytes(lengthPrefixed("circuitId", circuitId), lengthPrefixed("requestId", requestId));
  return { info, aad };
}

function bytes32(binding: string): Uint8Array {
  if (typeof binding !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(binding)) {
    throw new TeezkError("CHANNEL_PARAMETERS_INVALID", "The binding must be 32 bytes of 0x-hex", {
      details: `got ${describe(binding)}`,
    });
  }
  return fromHex(binding);
}

function lengthPrefixed(name: string, value: string): Uint8Array {
  if (typeof value !== "string") {
    throw new TeezkError("CHANNEL_PARAMETERS_INVALID", `${name} must be a string`, { details: `got ${describe(value)}` });
  }
  const bytes = textEncoder.encode(value);
  if (bytes.length === 0 || bytes.length > MAX_CHANNEL_ID_BYTES) {
    throw new TeezkError("CHANNEL_PARAMETERS_INVALID", `${name} must be 1 to ${MAX_CHANNEL_ID_BYTES} UTF-8 bytes`, {
      details: `${name} is ${bytes.length} bytes`,
    });
  }
  const prefix = new Uint8Array(2);
  new DataView(prefix.buffer).setUint16(0, bytes.length);
  return concatBytes(prefix, bytes);
}

function describe(value: unknown): string {
  if (typeof value === "string") return value.length > 80 ? `a ${value.length}-character string` : JSON.stringify(value);
  return typeof value;
}
