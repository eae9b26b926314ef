import { TeezkError } from "../../errors/index.js";
import { MAX_NITRO_DOCUMENT_BYTES, NITRO_LIMITS } from "./constants.js";
import { decodeCbor } from "./decodeCbor.js";
import { decodeCoseSign1 } from "./decodeCoseSign1.js";
import { describeCborValue as describe } from "./describeCborValue.js";
import type { NitroDocument } from "./types.js";

export type ParseNitroDocumentReturnType = NitroDocument;
export type ParseNitroDocumentErrorType = TeezkError;

/** Keys the AWS CDDL defines; the optional three may also be present as null. */
const REQUIRED_KEYS = ["module_id", "digest", "timestamp", "pcrs", "certificate", "cabundle"] as const;
const OPTIONAL_KEYS = ["public_key", "user_data", "nonce"] as const;

/** Latest instant a JS Date can hold; a larger timestamp cannot be a real document time. */
const MAX_DATE_MS = 8.64e15;

/**
 * Parses a Nitro attestation document (COSE_Sign1 over the CBOR document) and checks it against the AWS CDDL:
 * structure only, no cryptography. `bytes` are the decoded document (see `decodeEvidenceInput`); anything over
 * MAX_NITRO_DOCUMENT_BYTES is refused before decoding.
 *
 * @throws TeezkError INPUT_EMPTY, INPUT_TOO_LARGE, TRUNCATED, TRAILING_DATA, COSE_INVALID, UNSUPPORTED_ALGORITHM,
 *   NITRO_DOCUMENT_INVALID
 * @example
 * const doc = parseNitroDocument(decodeEvidenceInput(file, MAX_NITRO_DOCUMENT_BYTES).bytes);
 * doc.pcrs.get(0);
 */
export function parseNitroDocument(bytes: Uint8Array): ParseNitroDocumentReturnType {
  if (bytes.length === 0) throw new TeezkError("INPUT_EMPTY", "The Nitro attestation document is empty");
  if (bytes.length > MAX_NITRO_DOCUMENT_BYTES) {
    throw new TeezkError("INPUT_TOO_LARGE", `Nitro document of ${bytes.length} bytes exceeds the ${MAX_NITRO_DOCUMENT_BYTES}-byte cap`);
  }
  // A plain Uint8Array view: cbor2 hands back sub-views of the input's own class, and Buffers misbehave later.
  const cose = decodeCoseSign1(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const decoded = decodeCbor({ bytes: cose.payload, code: "NITRO_DOCUMENT_INVALID", what: "Nitro attestation document payload" });
  if (!(decoded instanceof Map)) {
    throw new TeezkError("NITRO_DOCUMENT_INVALID", "The Nitro attestation document is not a CBOR map", { details: describe(decoded) });
  }
  const doc = decoded as Map<unknown, unknown>;
  for (const key of doc.keys()) {
    // Unknown text keys are signed data AWS may add later; ignoring them is safe. Non-text keys break the CDDL.
    if (typeof key !== "string") {
      throw new TeezkError("NITRO_DOCUMENT_INVALID", "The Nitro attestation document has a non-text key", { details: describe(key) });
    }
  }
  for (const key of REQUIRED_KEYS) {
    if (!doc.has(key)) throw invalid(`is missing the required field "${key}"`);
  }

  const moduleId = doc.get("module_id");
  if (typeof moduleId !== "string" || moduleId.length === 0) throw invalid("has an empty or non-text module_id", describe(moduleId));

  const digest = doc.get("digest");
  if (digest !== "SHA384") throw invalid('has a digest other than "SHA384"', describe(digest));

  const timestamp = doc.get("timestamp");
  if (typeof timestamp !== "number" || !Number.isSafeInteger(timestamp) || timestamp < 0 || timestamp > MAX_DATE_MS) {
    throw invalid("has a timestamp that is not a millisecond time as uint", describe(timestamp));
  }

  const pcrs = readPcrs(doc.get("pcrs"));
  const certificate = readCert(doc.get("certificate"), "certificate");
  const bundle = doc.get("cabundle");
  if (!Array.isArray(bundle) || bundle.length === 0) throw invalid("has an empty or non-array cabundle", describe(bundle));
  const cabundle = bundle.map((entry, index) => readCert(entry, `cabundle[${index}]`));

  return {
    cose,
    moduleId,
    digest,
    timestamp,
    pcrs,
    certificate,
    cabundle,
    publicKey: readUserField(doc, "public_key"),
    userData: readUserField(doc, "user_data"),
    nonce: readUserField(doc, "nonce"),
  };
}

function readPcrs(value: unknown): Map<number, Uint8Array> {
  if (!(value instanceof Map)) throw invalid("has pcrs that are not a map", describe(value));
  if (value.size === 0 || value.size > NITRO_LIMITS.maxPcrCount) throw invalid(`has ${value.size} PCRs (1..${NITRO_LIMITS.maxPcrCount} allowed)`);
  const entries: [number, Uint8Array][] = [];
  for (const [index, pcr] of value as Map<unknown, unknown>) {
    if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index > NITRO_LIMITS.maxPcrIndex) {
      throw invalid(`has a PCR index outside 0..${NITRO_LIMITS.maxPcrIndex}`, describe(index));
    }
    if (!(pcr instanceof Uint8Array) || !NITRO_LIMITS.pcrLengths.includes(pcr.length)) {
      throw invalid(`has PCR${index} that is not a 32, 48 or 64-byte string`, describe(pcr));
    }
    entries.push([index, new Uint8Array(pcr)]);
  }
  entries.sort(([a], [b]) => a - b);
  return new Map(entries);
}

function readCert(value: unknown, what: string): Uint8Array {
  if (!(value instanceof Uint8Array) || value.length === 0 || value.length > NITRO_LIMITS.maxCertBytes) {
    throw invalid(`has a ${what} that is not a DER byte string of 1..${NITRO_LIMITS.maxCertBytes} bytes`, describe(value));
  }
  return new Uint8Array(value);
}

function readUserField(doc: Map<unknown, unknown>, key: (typeof OPTIONAL_KEYS)[number]): Uint8Array | null {
  const value = doc.get(key);
  if (value === undefined || value === null) return null;
  if (!(value instanceof Uint8Array) || value.length > NITRO_LIMITS.maxUserFieldBytes) {
    throw invalid(`has a ${key} that is not a byte string of at most ${NITRO_LIMITS.maxUserFieldBytes} bytes (or null)`, describe(value));
  }
  return new Uint8Array(value);
}

function invalid(what: string, details?: string): TeezkError {
  return new TeezkError("NITRO_DOCUMENT_INVALID", `The Nitro attestation document ${what}`, details === undefined ? {} : { details });
}
