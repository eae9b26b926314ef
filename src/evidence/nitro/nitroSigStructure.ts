import { encode } from "cbor2";

/**
 * The bytes an ES384 COSE_Sign1 signature covers (RFC 9052 §4.4):
 * `["Signature1", protected, external_aad, payload]` with an empty external_aad, as a definite-length array.
 * `protected` and `payload` are the byte-string contents exactly as received.
 */
export function nitroSigStructure(protectedHeader: Uint8Array, payload: Uint8Array): Uint8Array {
  // cbor2 encodes only a plain Uint8Array as a byte string (a Node Buffer would not be), so normalise views.
  const plain = (bytes: Uint8Array) => new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return encode(["Signature1", plain(protectedHeader), new Uint8Array(0), plain(payload)]);
}
