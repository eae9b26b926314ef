import { TeezkError } from "../../errors/index.js";
import type { ProveRequestBody } from "./types.js";

const bytes32 = /^0x[0-9a-fA-F]{64}$/;
const circuitName = /^[a-z0-9_]{1,64}$/;

/**
 * Checks a `POST /v1/prove` body (read by readJsonObject, already bounded by the node's body limit). Nothing of
 * the body is echoed in errors: it carries a sealed witness, and a malformed one is reported by field name only.
 * The sealed message itself is checked by `openSealedMessage` (CHANNEL_INVALID).
 */
export function parseProveRequest(body: Record<string, unknown>): ProveRequestBody {
  const { circuit, nonce, sealed, ...rest } = body;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) {
    throw new TeezkError("REQUEST_INVALID", "The prove request has fields this node does not know", {
      details: `unknown: ${unknown.slice(0, 8).map((key) => JSON.stringify(key.slice(0, 40))).join(", ")}`,
    });
  }
  if (typeof circuit !== "string" || !circuitName.test(circuit)) {
    throw new TeezkError("REQUEST_INVALID", "circuit must be a circuit name (1-64 characters of a-z, 0-9 and _)");
  }
  if (typeof nonce !== "string" || !bytes32.test(nonce)) {
    throw new TeezkError("REQUEST_INVALID", "nonce must be the 32-byte 0x-hex nonce of the attestation");
  }
  if (typeof sealed !== "object" || sealed === null || Array.isArray(sealed)) {
    throw new TeezkError("REQUEST_INVALID", "sealed must be the sealed message object from src/channel");
  }
  return { circuit, nonce: nonce.toLowerCase() as `0x${string}`, sealed };
}
