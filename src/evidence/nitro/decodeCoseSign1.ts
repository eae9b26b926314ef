import { Tag } from "cbor2";
import { TeezkError } from "../../errors/index.js";
import { COSE_ALG_ES384 } from "./constants.js";
import { decodeCbor } from "./decodeCbor.js";
import { describeCborValue as describe } from "./describeCborValue.js";
import type { NitroCoseSign1 } from "./types.js";

/** COSE_Sign1 tag (RFC 9052 §4.2). AWS sends the envelope untagged; the tagged form is accepted too. */
const COSE_SIGN1_TAG = 18;
const HEADER_ALG = 1;
const HEADER_CRIT = 2;

/**
 * Splits a COSE_Sign1 `[protected: bstr, unprotected: map, payload: bstr, signature: bstr]` and checks that the
 * protected header names ES384. Structure only: the signature is not checked here.
 */
export function decodeCoseSign1(bytes: Uint8Array): NitroCoseSign1 {
  let top = decodeCbor({ bytes, code: "COSE_INVALID", what: "COSE_Sign1 envelope" });
  if (top instanceof Tag) {
    if (Number(top.tag) !== COSE_SIGN1_TAG) {
      throw new TeezkError("COSE_INVALID", `The COSE envelope carries tag ${String(top.tag)}, not COSE_Sign1 (18)`);
    }
    top = top.contents;
  }
  if (!Array.isArray(top) || top.length !== 4) {
    throw new TeezkError("COSE_INVALID", "The COSE_Sign1 envelope is not a four-element array", {
      details: Array.isArray(top) ? `array of ${top.length}` : `got ${describe(top)}`,
    });
  }
  const [protectedHeader, unprotected, payload, signature] = top as unknown[];
  if (!(protectedHeader instanceof Uint8Array)) {
    throw new TeezkError("COSE_INVALID", "The COSE_Sign1 protected header is not a byte string", { details: describe(protectedHeader) });
  }
  if (!(unprotected instanceof Map)) {
    throw new TeezkError("COSE_INVALID", "The COSE_Sign1 unprotected header is not a map", { details: describe(unprotected) });
  }
  if (!(payload instanceof Uint8Array)) {
    // A nil payload is COSE's detached form; a Nitro document always carries its payload.
    throw new TeezkError("COSE_INVALID", "The COSE_Sign1 payload is not an embedded byte string", { details: describe(payload) });
  }
  if (!(signature instanceof Uint8Array)) {
    throw new TeezkError("COSE_INVALID", "The COSE_Sign1 signature is not a byte string", { details: describe(signature) });
  }
  const alg = readAlg(protectedHeader);
  // `new Uint8Array(x)` copies into a plain Uint8Array: a Node Buffer's slice() is a view, and cbor2 encodes a
  // Buffer differently from a Uint8Array, which would corrupt the Sig_structure.
  return {
    protectedHeader: new Uint8Array(protectedHeader),
    alg,
    payload: new Uint8Array(payload),
    signature: new Uint8Array(signature),
  };
}

function readAlg(protectedHeader: Uint8Array): number {
  if (protectedHeader.length === 0) {
    throw new TeezkError("COSE_INVALID", "The COSE_Sign1 protected header is empty: it must name the algorithm (ES384)");
  }
  const header = decodeCbor({ bytes: protectedHeader, code: "COSE_INVALID", what: "COSE_Sign1 protected header" });
  if (!(header instanceof Map)) {
    throw new TeezkError("COSE_INVALID", "The COSE_Sign1 protected header is not a map", { details: describe(header) });
  }
  if (header.has(HEADER_CRIT)) {
    // `crit` lists headers a verifier must understand; Nitro defines none, so any entry is one we do not.
    throw new TeezkError("COSE_INVALID", "The COSE_Sign1 protected header has critical parameters this verifier does not know");
  }
  if (!header.has(HEADER_ALG)) {
    throw new TeezkError("COSE_INVALID", "The COSE_Sign1 protected header has no algorithm (label 1)");
  }
  const alg = header.get(HEADER_ALG);
  if (alg !== COSE_ALG_ES384) {
    throw new TeezkError("UNSUPPORTED_ALGORITHM", "The COSE_Sign1 algorithm is not ES384 (-35), the only one Nitro uses", {
      details: `alg ${describe(alg)}`,
    });
  }
  return alg;
}
