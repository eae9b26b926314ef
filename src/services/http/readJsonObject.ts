import type { Context } from "hono";
import { TeezkError } from "../../errors/index.js";

/**
 * Reads the body as JSON (an object). Malformed JSON, a wrong content type or a non-object is REQUEST_INVALID;
 * the size was already bounded by `applyServiceLimits`. No part of the body is echoed in an error: a prover
 * node's body carries a sealed witness.
 *
 * @param shape What the object holds, for the error a non-object gets (e.g. "{circuit, nonce, sealed}").
 */
export async function readJsonObject(context: Context, shape?: string): Promise<Record<string, unknown>> {
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
    throw new TeezkError("REQUEST_INVALID", `The request body must be a JSON object${shape ? ` ${shape}` : ""}`);
  }
  return value as Record<string, unknown>;
}
