import type { X509Certificate } from "node:crypto";
import { TeezkError } from "../../errors/index.js";
import type { Hex } from "../../util/bytes.js";
import { parsePemBundle } from "../../util/x509.js";
import { parseGpuEvidenceJson } from "./parseGpuEvidenceJson.js";
import { MAX_GPU_CHAIN_CERTIFICATES, MAX_GPU_EVIDENCE_BYTES, type NvidiaCollateral } from "./types.js";

export type ResolvedGpuEntry = {
  report: Uint8Array;
  certificateChain: readonly X509Certificate[];
  nonce: Hex | undefined;
  arch: string | undefined;
};

/** A PEM chain of 8 certificates is ~8 KB; refuse far larger text before parsing it. */
const MAX_CHAIN_PEM_CHARS = 64 * 1024;

/**
 * Turns evidence bytes into per-GPU (report, chain) pairs. JSON documents start with `{` or `[` (after
 * whitespace); an SPDM report starts with its version byte 0x11, so the two never collide. A chain inside the
 * evidence wins over the collateral one: each GPU has its own leaf, and a set cannot share one file.
 */
export function resolveGpuEntries(evidence: Uint8Array, collateral: NvidiaCollateral | undefined, options: { chainOptional?: boolean } = {}): ResolvedGpuEntry[] {
  if (evidence.length > MAX_GPU_EVIDENCE_BYTES) {
    throw new TeezkError("INPUT_TOO_LARGE", `GPU evidence of ${evidence.length} bytes exceeds the ${MAX_GPU_EVIDENCE_BYTES}-byte cap`);
  }
  if (evidence.length === 0) throw new TeezkError("INPUT_EMPTY", "The GPU evidence is empty");
  if (!isJson(evidence)) {
    return [{ report: evidence, certificateChain: options.chainOptional ? [] : collateralChain(collateral, "the report"), nonce: undefined, arch: undefined }];
  }
  return parseGpuEvidenceJson(evidence).map((entry, index) => ({
    report: entry.report,
    certificateChain:
      entry.certificateChainPem === undefined
        ? options.chainOptional
          ? []
          : collateralChain(collateral, `GPU ${index}`)
        : parseChainPem(entry.certificateChainPem, `GPU ${index} device certificate chain`),
    nonce: entry.nonce,
    arch: entry.arch,
  }));
}

function isJson(bytes: Uint8Array): boolean {
  for (const byte of bytes) {
    if (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) continue;
    return byte === 0x7b || byte === 0x5b;
  }
  return false;
}

function collateralChain(collateral: NvidiaCollateral | undefined, what: string): readonly X509Certificate[] {
  if (!collateral || collateral.certificateChain.length === 0) {
    throw new TeezkError("COLLATERAL_MISSING", `No GPU device certificate chain was given for ${what}`, {
      metaMessages: ["Pass the collateral folder holding the device chain PEM (cert-chain.pem), or use the JSON evidence that embeds it."],
    });
  }
  return collateral.certificateChain;
}

/** Parses a device chain PEM with the size and count caps applied first. */
export function parseChainPem(pem: string, what: string): X509Certificate[] {
  if (pem.length > MAX_CHAIN_PEM_CHARS) {
    throw new TeezkError("INPUT_TOO_LARGE", `The ${what} of ${pem.length} characters exceeds the ${MAX_CHAIN_PEM_CHARS}-character cap`);
  }
  const count = pem.split("-----BEGIN CERTIFICATE-----").length - 1;
  if (count > MAX_GPU_CHAIN_CERTIFICATES) {
    throw new TeezkError("CERT_CHAIN_INVALID", `The ${what} holds ${count} certificates; at most ${MAX_GPU_CHAIN_CERTIFICATES} are accepted`);
  }
  return parsePemBundle(pem, what);
}
