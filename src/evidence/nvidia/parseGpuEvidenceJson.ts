import { z } from "zod";
import { TeezkError } from "../../errors/index.js";
import type { Hex } from "../../util/bytes.js";
import { MAX_GPU_EVIDENCE_BYTES, MAX_GPU_EVIDENCE_ENTRIES, MAX_GPU_REPORT_BYTES, type GpuEvidenceEntry } from "./types.js";

const entrySchema = z
  .object({
    evidence: z.string().min(1),
    certificate: z.string().min(1).optional(),
    nonce: z.string().optional(),
    arch: z.string().optional(),
  })
  .passthrough();

/** nvtrust/NRAS shapes: an array of entries, `{ evidence_list: [...] }` (optionally with a shared nonce), or one entry. */
const documentSchema = z.union([
  z.array(entrySchema),
  z.object({ evidence_list: z.array(entrySchema), nonce: z.string().optional(), arch: z.string().optional() }).passthrough(),
  entrySchema,
]);

export type ParseGpuEvidenceJsonReturnType = GpuEvidenceEntry[];
export type ParseGpuEvidenceJsonErrorType = "INPUT_TOO_LARGE" | "MALFORMED" | "INPUT_ENCODING";

/**
 * Splits a JSON GPU evidence document into per-GPU entries: the report bytes (base64 or hex) and the device
 * chain as PEM text (nvtrust base64-encodes the PEM; plain PEM is accepted too). Nothing is verified here.
 */
export function parseGpuEvidenceJson(text: string | Uint8Array): ParseGpuEvidenceJsonReturnType {
  const length = typeof text === "string" ? text.length : text.byteLength;
  if (length > MAX_GPU_EVIDENCE_BYTES) {
    throw new TeezkError("INPUT_TOO_LARGE", `GPU evidence JSON of ${length} bytes exceeds the ${MAX_GPU_EVIDENCE_BYTES}-byte cap`);
  }
  const source = typeof text === "string" ? text : Buffer.from(text).toString("utf8");
  let json: unknown;
  try {
    json = JSON.parse(source);
  } catch (error) {
    throw new TeezkError("MALFORMED", "The GPU evidence is not valid JSON", { cause: error, details: error instanceof Error ? error.message : undefined });
  }
  const parsed = documentSchema.safeParse(json);
  if (!parsed.success) {
    throw new TeezkError("MALFORMED", "The GPU evidence JSON is not an nvtrust evidence list", {
      details: parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; "),
      metaMessages: ["Expected [{ evidence, certificate, nonce?, arch? }, …] or { evidence_list: [...] }."],
    });
  }
  const { entries, sharedNonce } = splitDocument(parsed.data);
  if (entries.length === 0) throw new TeezkError("MALFORMED", "The GPU evidence JSON lists no GPU");
  if (entries.length > MAX_GPU_EVIDENCE_ENTRIES) {
    throw new TeezkError("INPUT_TOO_LARGE", `The GPU evidence JSON lists ${entries.length} GPUs; at most ${MAX_GPU_EVIDENCE_ENTRIES} are accepted`);
  }
  return entries.map((entry, index) => ({
    report: decodeReport(entry.evidence, index),
    certificateChainPem: entry.certificate === undefined ? undefined : decodeChain(entry.certificate, index),
    nonce: normalizeNonce(entry.nonce ?? sharedNonce, index),
    arch: entry.arch,
  }));
}

type Entry = z.infer<typeof entrySchema>;

function splitDocument(document: z.infer<typeof documentSchema>): { entries: Entry[]; sharedNonce: string | undefined } {
  if (Array.isArray(document)) return { entries: document, sharedNonce: undefined };
  const list = (document as { evidence_list?: unknown }).evidence_list;
  if (Array.isArray(list)) return { entries: list as Entry[], sharedNonce: (document as { nonce?: string }).nonce };
  return { entries: [document as Entry], sharedNonce: undefined };
}

function decodeReport(text: string, index: number): Uint8Array {
  const clean = text.replace(/\s+/g, "").replace(/^0x/i, "");
  if (clean.length > MAX_GPU_REPORT_BYTES * 2) {
    throw new TeezkError("INPUT_TOO_LARGE", `GPU ${index}: its report exceeds the ${MAX_GPU_REPORT_BYTES}-byte cap`);
  }
  const isHex = /^[0-9a-fA-F]*$/.test(clean) && clean.length % 2 === 0;
  // Short base64 can be all hex digits ("EeAB" is 11 E0 01): a report in hex starts with 11E0
  // (SPDM 1.1 GET_MEASUREMENTS), which base64 of a report never does; otherwise base64 wins.
  if (isHex && (/^11e0/i.test(clean) || !BASE64.test(clean) || clean.length % 4 !== 0)) {
    return new Uint8Array(Buffer.from(clean, "hex"));
  }
  return strictBase64(clean, `GPU ${index} evidence`);
}

function decodeChain(text: string, index: number): string {
  if (text.includes("-----BEGIN")) return text;
  const pem = Buffer.from(strictBase64(text.replace(/\s+/g, ""), `GPU ${index} certificate`)).toString("latin1");
  if (!pem.includes("-----BEGIN CERTIFICATE-----")) {
    throw new TeezkError("INPUT_ENCODING", `GPU ${index}: the certificate field is not a (base64-encoded) PEM chain`);
  }
  return pem;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function strictBase64(text: string, what: string): Uint8Array {
  if (text.length === 0 || text.length % 4 === 1 || !BASE64.test(text)) {
    throw new TeezkError("INPUT_ENCODING", `The ${what} is neither hex nor base64`);
  }
  return new Uint8Array(Buffer.from(text, "base64"));
}

function normalizeNonce(nonce: string | undefined, index: number): Hex | undefined {
  if (nonce === undefined) return undefined;
  const body = nonce.replace(/^0x/i, "");
  if (!/^[0-9a-fA-F]{64}$/.test(body)) {
    throw new TeezkError("MALFORMED", `GPU ${index}: the nonce field is not 32 bytes of hex`);
  }
  return `0x${body.toLowerCase()}`;
}
