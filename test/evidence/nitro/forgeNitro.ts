/** COSE_Sign1 pieces for forged Nitro documents (certificates come from test/support/pki). */
import { sign, type KeyObject } from "node:crypto";
import { encode } from "cbor2";

/** COSE Sig_structure built here with cbor2, independently of the verifier's own helper. */
export function sigStructure(protectedHeader: Uint8Array, payload: Uint8Array): Uint8Array {
  return encode(["Signature1", new Uint8Array(protectedHeader), new Uint8Array(0), new Uint8Array(payload)]);
}

export function es384Sign(privateKey: KeyObject, protectedHeader: Uint8Array, payload: Uint8Array): Uint8Array {
  return new Uint8Array(sign("sha384", sigStructure(protectedHeader, payload), { key: privateKey, dsaEncoding: "ieee-p1363" }));
}

/** `[protected, unprotected, payload, signature]` (or any value) as CBOR, Buffers normalised to byte strings. */
export function encodeCbor(value: unknown): Uint8Array {
  return encode(normalise(value));
}

function normalise(value: unknown): unknown {
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (Array.isArray(value)) return value.map(normalise);
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, normalise(v)]));
  return value;
}
