import type { VerifiedEvidence } from "../claims/types.js";
import { TeezkError } from "../errors/index.js";
import { decodeEvidenceInput } from "../util/bytes.js";
import type { PinnedRoot } from "../util/x509.js";
import { detectEvidenceType, type EvidenceKind } from "./detectEvidenceType.js";
import { verifyComposite } from "./verifyComposite.js";
import { MAX_NITRO_DOCUMENT_BYTES, verifyNitroDocument } from "./nitro/index.js";
import { MAX_DCAP_QUOTE_BYTES, verifyDcapQuote } from "./tdx/index.js";
import { loadDcapCollateral, type DcapCollateral } from "./tdx/collateral/index.js";
import { MAX_SNP_EVIDENCE_BYTES, loadSnpCollateral, verifySnpReport } from "./sevsnp/index.js";
import { MAX_GPU_EVIDENCE_BYTES, loadNvidiaCollateral, verifyGpuEvidenceSet, type NvidiaCollateral } from "./nvidia/index.js";

/** No evidence format teezk reads comes near this; larger files are refused before they are read. */
export const MAX_EVIDENCE_FILE_BYTES = 4 * 1024 * 1024;

const maxBytes: Record<EvidenceKind, number> = {
  nitro: MAX_NITRO_DOCUMENT_BYTES,
  tdx: MAX_DCAP_QUOTE_BYTES,
  sgx: MAX_DCAP_QUOTE_BYTES,
  sevsnp: MAX_SNP_EVIDENCE_BYTES,
  nvidia: MAX_GPU_EVIDENCE_BYTES,
};

export type VerifyEvidenceParameters = {
  /** The file's bytes as read: raw binary, hex or base64 text, or vendor JSON. */
  evidence: Uint8Array;
  now: Date;
  /** Detected from the bytes when omitted. */
  kind?: EvidenceKind;
  /** Collateral folders; several are merged (earlier folders win for items both hold). */
  collateralDir?: string | readonly string[];
  /** GPU evidence for composite CPU+GPU attestation (DESIGN §3). */
  gpuEvidence?: Uint8Array;
  gpuCollateralDir?: string;
  /** Dev roots of simulated TEEs; never in production. */
  extraTrustedRoots?: readonly PinnedRoot[];
};

export type VerifyEvidenceReturnType = {
  kind: EvidenceKind;
  evidence: VerifiedEvidence;
  /** Every GPU's evidence: the composite's GPUs, or all GPUs of a multi-GPU NVIDIA document. */
  gpu?: VerifiedEvidence[];
};

/**
 * One entry point for every vendor: decode the file, detect its kind, load collateral, verify. The vendor
 * folders stay independent; only this dispatcher knows them all.
 */
export function verifyEvidence(parameters: VerifyEvidenceParameters): VerifyEvidenceReturnType {
  const cpu = verifySingle(parameters.evidence, parameters.kind, parameters.collateralDir, parameters);
  if (!parameters.gpuEvidence) return cpu;
  if (cpu.kind === "nvidia") {
    throw new TeezkError("CONFIG_INVALID", "--gpu pairs GPU evidence with CPU evidence; the main evidence is already a GPU's");
  }
  const gpu = verifySingle(parameters.gpuEvidence, "nvidia", parameters.gpuCollateralDir, parameters);
  const gpus = gpu.gpu ?? [gpu.evidence];
  verifyComposite({ cpu: cpu.evidence, gpus });
  return { ...cpu, gpu: gpus };
}

function verifySingle(
  raw: Uint8Array,
  requestedKind: EvidenceKind | undefined,
  collateralDir: string | readonly string[] | undefined,
  { now, extraTrustedRoots }: VerifyEvidenceParameters,
): VerifyEvidenceReturnType {
  const decoded = decodeEvidenceInput(raw, MAX_EVIDENCE_FILE_BYTES).bytes;
  const kind = requestedKind ?? detectEvidenceType(decoded);
  if (decoded.length > maxBytes[kind]) {
    throw new TeezkError("INPUT_TOO_LARGE", `The ${kind} evidence is ${decoded.length} bytes; the cap is ${maxBytes[kind]}`);
  }
  const dirs = collateralDir === undefined ? [] : typeof collateralDir === "string" ? [collateralDir] : [...collateralDir];
  const common = { evidence: decoded, now, ...(extraTrustedRoots ? { extraTrustedRoots } : {}) };
  switch (kind) {
    case "nitro":
      return { kind, evidence: verifyNitroDocument(common) };
    case "tdx":
    case "sgx": {
      const collateral = dirs.length ? mergeCollateral(dirs.map((dir) => loadDcapCollateral(dir))) : undefined;
      const evidence = verifyDcapQuote({ ...common, ...(collateral ? { collateral } : {}) });
      const actual = evidence.claims.teeType === 5 ? "sgx" : "tdx";
      if (requestedKind && actual !== requestedKind) {
        throw new TeezkError("UNKNOWN_EVIDENCE_TYPE", `--type ${requestedKind} was given but the quote is ${actual}`);
      }
      return { kind: actual, evidence };
    }
    case "sevsnp":
      return { kind, evidence: verifySnpReport({ ...common, ...(dirs.length ? { collateral: loadSnpCollateral(dirs) } : {}) }) };
    case "nvidia": {
      const collateral = dirs.length ? mergeCollateral<NvidiaCollateral>(dirs.map((dir) => loadNvidiaCollateral(dir))) : undefined;
      const gpus = verifyGpuEvidenceSet({ ...common, ...(collateral ? { collateral } : {}) });
      return { kind, evidence: gpus[0]!, ...(gpus.length > 1 ? { gpu: gpus } : {}) };
    }
  }
}

/** Earlier folders win; later ones fill what is missing (e.g. a TCB signing certificate kept elsewhere). */
function mergeCollateral<T extends object = DcapCollateral>(items: T[]): T {
  const merged: Record<string, unknown> = {};
  for (const item of items) {
    for (const [key, value] of Object.entries(item)) {
      if (merged[key] === undefined && value !== undefined) merged[key] = value;
    }
  }
  return merged as T;
}
