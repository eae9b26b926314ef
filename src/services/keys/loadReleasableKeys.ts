import { readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { z } from "zod";
import { TeezkError } from "../../errors/index.js";
import { loadReferenceValues, parseReferenceValues } from "../../policy/index.js";
import { KEY_ID_PATTERN, MAX_KEY_MATERIAL_BYTES } from "./constants.js";
import type { ReleasableKey } from "./types.js";

export type LoadReleasableKeysParameters = {
  /** Path of the keys file (JSON). */
  path: string;
  /** Where `{ "env": NAME }` material is read; default process.env. */
  env?: NodeJS.ProcessEnv;
};
export type LoadReleasableKeysReturnType = ReleasableKey[];
export type LoadReleasableKeysErrorType = TeezkError;

const material = z.union([
  z.object({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/) }).strict(),
  z.object({ file: z.string().min(1) }).strict(),
  z.object({ hex: z.string().regex(/^0x(?:[0-9a-fA-F]{2})+$/) }).strict(),
]);
const keysFileSchema = z
  .object({
    version: z.literal(1),
    keys: z
      .array(
        z
          .object({
            id: z.string().regex(KEY_ID_PATTERN, "1-64 characters of A-Za-z0-9._-"),
            material,
            /** Reference values inline, or the path of a reference-values file (relative to the keys file). */
            policy: z.union([z.string().min(1), z.record(z.unknown())]),
          })
          .strict(),
      )
      .min(1)
      .max(1024),
  })
  .strict();

const MAX_KEYS_FILE_BYTES = 1 << 20;

/**
 * Reads the keys a `teezk serve keys` instance guards:
 *
 * ```json
 * { "version": 1, "keys": [
 *   { "id": "witness-store", "material": { "env": "TEEZK_KEY_WITNESS_STORE" }, "policy": "policy.json" } ] }
 * ```
 *
 * Material comes from an environment variable (hex), a file (raw bytes, or hex text), or inline `hex` (for
 * development: the file then holds the secret). Each key's policy is its own reference values. Every problem is
 * CONFIG_INVALID naming the key, and no message ever carries key material.
 */
export function loadReleasableKeys({ path, env = process.env }: LoadReleasableKeysParameters): LoadReleasableKeysReturnType {
  const text = readBounded(path, MAX_KEYS_FILE_BYTES, "keys file");
  let json: unknown;
  try {
    json = JSON.parse(text.toString("utf8"));
  } catch {
    throw new TeezkError("CONFIG_INVALID", `The keys file ${path} is not JSON`);
  }
  const parsed = keysFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new TeezkError("CONFIG_INVALID", `The keys file ${path} does not match the schema`, {
      details: parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; "),
      metaMessages: ['Expected { "version": 1, "keys": [{ "id", "material": { "env" | "file" | "hex" }, "policy" }] }.'],
    });
  }
  const base = dirname(resolve(path));
  const at = (relative: string) => (isAbsolute(relative) ? relative : resolve(base, relative));
  return parsed.data.keys.map((entry) => {
    let bytes: Uint8Array;
    if ("env" in entry.material) {
      const value = env[entry.material.env];
      if (value === undefined || value.length === 0) {
        throw new TeezkError("CONFIG_INVALID", `Key ${entry.id}: the environment variable ${entry.material.env} is not set`);
      }
      bytes = hexBytes(value.trim(), `Key ${entry.id}: ${entry.material.env}`);
    } else if ("file" in entry.material) {
      const raw = readBounded(at(entry.material.file), 2 * MAX_KEY_MATERIAL_BYTES + 2, `key ${entry.id} material file`);
      const asText = raw.toString("latin1").trim();
      bytes = /^(0x)?(?:[0-9a-fA-F]{2})+$/.test(asText) ? hexBytes(asText, `Key ${entry.id}`) : new Uint8Array(raw);
    } else {
      bytes = hexBytes(entry.material.hex, `Key ${entry.id}`);
    }
    if (bytes.length === 0 || bytes.length > MAX_KEY_MATERIAL_BYTES) {
      throw new TeezkError("CONFIG_INVALID", `Key ${entry.id} must be 1 to ${MAX_KEY_MATERIAL_BYTES} bytes (it is ${bytes.length})`);
    }
    const referenceValues = typeof entry.policy === "string" ? loadReferenceValues(at(entry.policy)) : parseReferenceValues(entry.policy);
    return { id: entry.id, material: bytes, referenceValues };
  });
}

function hexBytes(value: string, what: string): Uint8Array {
  const body = value.startsWith("0x") ? value.slice(2) : value;
  if (body.length === 0 || body.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(body)) {
    throw new TeezkError("CONFIG_INVALID", `${what} is not hex`);
  }
  return new Uint8Array(Buffer.from(body, "hex"));
}

function readBounded(path: string, maxBytes: number, what: string): Buffer {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (cause) {
    throw new TeezkError("CONFIG_INVALID", `Cannot read the ${what} ${path}`, { cause });
  }
  if (size > maxBytes) throw new TeezkError("CONFIG_INVALID", `The ${what} ${path} is ${size} bytes; the cap is ${maxBytes}`);
  return readFileSync(path);
}
