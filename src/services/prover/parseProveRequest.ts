import type { Context } from "hono";
import { TeezkError } from "../../errors/index.js";
import type { ProveRequestBody } from "./types.js";

const bytes32 = /^0x[0-9a-fA-F]{64}$/;
const circuitName = /^[a-z0-9_]{1,64}$/;

/**
 * Reads and checks a `POST /v1/prove` body. The body was already bounded by the node's body limit. Nothing of
 * the body is echoed in errors: it carries a sealed witness, and a malformed one is reported by field name only.
 * The sealed message itself is checked by `openSealedMessage` (CHANNEL_INVALID).
 */
export async function parseProveRequest(context: Context): Promise<ProveRequestBody> {
  const type = context.req.header("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new TeezkError("REQUEST_INVALID", "The request body must be JSON (Content-Type: application/json)");
  }
  let text: string;
  try {
    text = await context.req.text();
  } catch (cause) {
    throw new TeezkError("REQUEST_INVALID", "The request body could not be read", { cause });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new TeezkError("REQUEST_INVALID", "The request body is not valid JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TeezkError("REQUEST_INVALID", "The request body must be a JSON object {circuit, nonce, sealed}");
  }
  const { circuit, nonce, sealed, ...rest } = value as Record<string, unknown>;
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
