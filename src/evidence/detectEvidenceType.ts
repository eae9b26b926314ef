import { TeezkError } from "../errors/index.js";

export type EvidenceKind = "nitro" | "tdx" | "sgx" | "sevsnp" | "nvidia";

/** The `--type` names the CLI accepts. */
export const evidenceKinds: readonly EvidenceKind[] = ["nitro", "tdx", "sgx", "sevsnp", "nvidia"];

const SNP_REPORT_BYTES = 1184;
const HCL_MAGIC = [0x48, 0x43, 0x4c, 0x41]; // "HCLA": Azure's HCL report header

/**
 * Recognises evidence by its first bytes so `teezk verify <file>` works without `--type`. Each rule checks
 * several header fields, so one format is not mistaken for another; ambiguity is an error, not a guess.
 */
export function detectEvidenceType(bytes: Uint8Array): EvidenceKind {
  const first = firstNonSpace(bytes);
  if (first === 0x7b || first === 0x5b) return detectJson(bytes);
  const b = bytes;
  // COSE_Sign1: array(4), optionally behind tag 18.
  if (b[0] === 0x84 || (b[0] === 0xd2 && b[1] === 0x84)) return "nitro";
  if (b.length >= 8) {
    const version = b[0]! | (b[1]! << 8);
    const attestationKeyType = b[2]! | (b[3]! << 8);
    const teeType = (b[4]! | (b[5]! << 8) | (b[6]! << 16) | (b[7]! << 24)) >>> 0;
    if ((version === 3 || version === 4 || version === 5) && attestationKeyType === 2) {
      if (teeType === 0x81) return "tdx";
      if (teeType === 0) return "sgx";
    }
  }
  // SPDM 1.x GET_MEASUREMENTS request.
  if (b[1] === 0xe0 && b[0] !== undefined && b[0] >= 0x10 && b[0] <= 0x13) return "nvidia";
  if (HCL_MAGIC.every((byte, index) => b[index] === byte)) return "sevsnp";
  if (b.length >= SNP_REPORT_BYTES) {
    const version = (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
    const signatureAlgorithm = (b[0x34]! | (b[0x35]! << 8) | (b[0x36]! << 16) | (b[0x37]! << 24)) >>> 0;
    if (version >= 2 && version <= 5 && signatureAlgorithm === 1) return "sevsnp";
  }
  throw new TeezkError("UNKNOWN_EVIDENCE_TYPE", "Could not recognise the evidence format", {
    metaMessages: [`Pass --type with one of: ${evidenceKinds.join(", ")}.`],
    details: `first bytes ${Buffer.from(bytes.subarray(0, 8)).toString("hex")}`,
  });
}

function detectJson(bytes: Uint8Array): EvidenceKind {
  // Only the key names matter here; the vendor parser validates the document itself.
  // Keys can sit after large values (Azure puts a long quote first), so scan the whole (size-capped) text.
  const head = Buffer.from(bytes).toString("utf8");
  if (/"report"\s*:/.test(head) && /"vcek"\s*:|"quote"\s*:/.test(head)) return "sevsnp";
  if (/"evidence"\s*:/.test(head) && /"certificate"\s*:/.test(head)) return "nvidia";
  throw new TeezkError("UNKNOWN_EVIDENCE_TYPE", "JSON evidence of an unknown shape", {
    metaMessages: ["Pass --type sevsnp for Azure SNP evidence JSON or --type nvidia for GPU evidence JSON."],
  });
}

function firstNonSpace(bytes: Uint8Array): number | undefined {
  for (const byte of bytes.subarray(0, 64)) if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return byte;
  return undefined;
}
