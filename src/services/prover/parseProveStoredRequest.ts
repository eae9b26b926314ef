import { TeezkError } from "../../errors/index.js";
import { KEY_ID_PATTERN } from "../keys/constants.js";
import type { ProveStoredRequestBody } from "./types.js";

const circuitName = /^[a-z0-9_]{1,64}$/;

/**
 * Checks a `POST /v1/prove-stored` body (already bounded by the node's body limit) before the node asks the
 * key-release service for anything. Errors name fields only; the ciphertext's encoding and size are checked
 * by `decryptStoredWitness`.
 */
export function parseProveStoredRequest(body: Record<string, unknown>): ProveStoredRequestBody {
  const { circuit, keyId, encryptedWitness, ...rest } = body;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) {
    throw new TeezkError("REQUEST_INVALID", "The prove-stored request has fields this node does not know", {
      details: `unknown: ${unknown.slice(0, 8).map((key) => JSON.stringify(key.slice(0, 40))).join(", ")}`,
    });
  }
  if (typeof circuit !== "string" || !circuitName.test(circuit)) {
    throw new TeezkError("REQUEST_INVALID", "circuit must be a circuit name (1-64 characters of a-z, 0-9 and _)");
  }
  if (typeof keyId !== "string" || !KEY_ID_PATTERN.test(keyId)) {
    throw new TeezkError("REQUEST_INVALID", "keyId must be a key id of the key-release service (1-64 characters of A-Za-z0-9._-)");
  }
  if (typeof encryptedWitness !== "object" || encryptedWitness === null || Array.isArray(encryptedWitness)) {
    throw new TeezkError("REQUEST_INVALID", "encryptedWitness must be {iv, ciphertext}");
  }
  const { iv, ciphertext, ...extra } = encryptedWitness as Record<string, unknown>;
  if (typeof iv !== "string" || typeof ciphertext !== "string" || Object.keys(extra).length > 0) {
    throw new TeezkError("REQUEST_INVALID", "encryptedWitness must be exactly {iv, ciphertext}, each 0x-hex or base64");
  }
  return { circuit, keyId, encryptedWitness: { iv, ciphertext } };
}
