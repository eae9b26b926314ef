import type { VerifiedEvidence } from "../claims/types.js";
import { TeezkError } from "../errors/index.js";
import { decodeEvidenceInput } from "../util/bytes.js";
import type { PinnedRoot } from "../util/x509.js";
import { detectEvidenceType, type EvidenceKind } from "./detectEvidenceType.js";
import { verifyComposite } from "./verifyComposite.js";
import { collateralFilesOf, collateralFileSet, type CollateralSource } from "./collateralFiles.js";
import { MAX_NITRO_DOCUMENT_BYTES, verifyNitroDocument } from "./nitro/index.js";
import { MAX_DCAP_QUOTE_BYTES, verifyDcapQuote } from "./tdx/index.js";
import { loadDcapCollateralFiles, type DcapCollateral } from "./tdx/collateral/index.js";
import { MAX_SNP_EVIDENCE_BYTES, loadSnpCollateralFiles, verifySnpReport, type SnpCollateral } from "./sevsnp/index.js";
import { MAX_GPU_EVIDENCE_BYTES, loadNvidiaCollateral, loadNvidiaCollateralFiles, verifyGpuEvidenceSet, type NvidiaCollateral } from "./nvidia/index.js";

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
  /**
   * Collateral as folders and file sets received in memory (`collateralFileSet`), merged in order like
   * `collateralDir` (which it replaces when given): a client verifying what a service sent it.
   */
  collateralSources?: readonly CollateralSource[];
  /**
   * The main evidence's collateral already loaded (`loadCollateral`), used instead of `collateralDir`: a
   * service loads its folders once rather than on every request. Checked at `now` like freshly read files.
   */
  collateral?: LoadedCollateral;
  /** GPU evidence for composite CPU+GPU attestation (DESIGN §3). */
  gpuEvidence?: Uint8Array;
  /** The GPU half's collateral folders (RIMs, OCSP answers); several are merged, earlier folders winning. */
  gpuCollateralDir?: string | readonly string[];
  /** The GPU half's collateral as folders and in-memory file sets, replacing `gpuCollateralDir` when given. */
  gpuCollateralSources?: readonly CollateralSource[];
  /** The GPU half's collateral already loaded (a service's folder or fetched RIMs and OCSP), used instead of `gpuCollateralDir`. */
  gpuCollateral?: LoadedCollateral;
  /** Dev roots of simulated TEEs; never in production. */
  extraTrustedRoots?: readonly PinnedRoot[];
  /**
   * Verify GPU evidence given on its own, to inspect its authenticity (`teezk verify` without a policy). Its claims
   * are a device's, never an enclave's: every other caller leaves this off, so a lone GPU report is
   * GPU_NOT_AN_ENCLAVE before any of its bytes are verified.
   */
  inspectStandaloneGpu?: boolean;
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
  const standaloneGpu = !parameters.gpuEvidence && !parameters.inspectStandaloneGpu ? "refuse" : "verify";
  const cpu = verifySingle(parameters.evidence, parameters.kind, parameters.collateral ?? parameters.collateralSources ?? parameters.collateralDir, parameters, standaloneGpu);
  if (!parameters.gpuEvidence) return cpu;
  if (cpu.kind === "nvidia") {
    throw new TeezkError("CONFIG_INVALID", "--gpu pairs GPU evidence with CPU evidence; the main evidence is already a GPU's");
  }
  const gpu = verifySingle(parameters.gpuEvidence, "nvidia", parameters.gpuCollateral ?? parameters.gpuCollateralSources ?? parameters.gpuCollateralDir, parameters, "verify");
  const gpus = gpu.gpu ?? [gpu.evidence];
  verifyComposite({ cpu: cpu.evidence, gpus });
  return { ...cpu, gpu: gpus };
}

function verifySingle(
  raw: Uint8Array,
  requestedKind: EvidenceKind | undefined,
  collateralSource: string | readonly CollateralSource[] | LoadedCollateral | undefined,
  { now, extraTrustedRoots }: VerifyEvidenceParameters,
  gpu: "refuse" | "verify",
): VerifyEvidenceReturnType {
  const decoded = decodeEvidenceInput(raw, MAX_EVIDENCE_FILE_BYTES).bytes;
  const kind = requestedKind ?? detectEvidenceType(decoded);
  if (kind === "nvidia" && gpu === "refuse") throw gpuNotAnEnclave();
  if (decoded.length > maxBytes[kind]) {
    throw new TeezkError("INPUT_TOO_LARGE", `The ${kind} evidence is ${decoded.length} bytes; the cap is ${maxBytes[kind]}`);
  }
  const loaded =
    collateralSource === undefined || isLoadedCollateral(collateralSource)
      ? collateralSource
      : loadCollateralSources(kind, typeof collateralSource === "string" ? [collateralSource] : collateralSource);
  if (loaded && loaded.family !== collateralFamily[kind]) {
    throw new TeezkError("CONFIG_INVALID", `${loaded.family} collateral was given for ${kind} evidence`);
  }
  const common = { evidence: decoded, now, ...(extraTrustedRoots ? { extraTrustedRoots } : {}) };
  switch (kind) {
    case "nitro":
      return { kind, evidence: verifyNitroDocument(common) };
    case "tdx":
    case "sgx": {
      const collateral = loaded?.family === "dcap" ? loaded.collateral : undefined;
      const evidence = verifyDcapQuote({ ...common, ...(collateral ? { collateral } : {}) });
      const actual = evidence.claims.teeType === 5 ? "sgx" : "tdx";
      if (requestedKind && actual !== requestedKind) {
        throw new TeezkError("UNKNOWN_EVIDENCE_TYPE", `--type ${requestedKind} was given but the quote is ${actual}`);
      }
      return { kind: actual, evidence };
    }
    case "sevsnp":
      return { kind, evidence: verifySnpReport({ ...common, ...(loaded?.family === "snp" ? { collateral: loaded.collateral } : {}) }) };
    case "nvidia": {
      const collateral = loaded?.family === "nvidia" ? loaded.collateral : undefined;
      const gpus = verifyGpuEvidenceSet({ ...common, ...(collateral ? { collateral } : {}) });
      return { kind, evidence: gpus[0]!, ...(gpus.length > 1 ? { gpu: gpus } : {}) };
    }
  }
}

/**
 * DESIGN §2: a GPU signs whatever SPDM nonce the host driving it asks for, so its report says nothing about the
 * software holding a key; only CPU evidence carrying the binding, with the GPU's nonce equal to it, does.
 */
export function gpuNotAnEnclave(): TeezkError {
  return new TeezkError("GPU_NOT_AN_ENCLAVE", "GPU evidence on its own is not an enclave's: its nonce is chosen by whoever drives the GPU", {
    metaMessages: ["Send the CPU TEE's evidence (TDX, SEV-SNP, SGX or Nitro) carrying the binding, with the GPU report as its GPU half (--gpu, gpuEvidence)."],
  });
}

/** Collateral of one vendor family, loaded from its folders (see `loadCollateral`). */
export type LoadedCollateral =
  | { family: "dcap"; collateral: DcapCollateral }
  | { family: "snp"; collateral: SnpCollateral }
  | { family: "nvidia"; collateral: NvidiaCollateral };

const collateralFamily: Record<EvidenceKind, LoadedCollateral["family"] | "none"> = { nitro: "none", tdx: "dcap", sgx: "dcap", sevsnp: "snp", nvidia: "nvidia" };

/**
 * Loads and merges the collateral folders for evidence of `kind` exactly as `verifyEvidence` does with
 * `collateralDir`, so a caller can load once and pass `collateral` on every verification. Nitro needs none
 * (undefined). Nothing is verified here: signatures, chains, freshness and revocation are checked per call.
 */
export function loadCollateral(kind: EvidenceKind, collateralDir: string | readonly string[]): LoadedCollateral | undefined {
  return loadCollateralSources(kind, typeof collateralDir === "string" ? [collateralDir] : collateralDir);
}

/**
 * `loadCollateral` for collateral received as values (a service's HTTP answer, a fetch kept in memory):
 * name → bytes or text per set, parsed exactly as the same files in a folder would be. Earlier sets win.
 */
export function loadCollateralFileSets(kind: EvidenceKind, sets: readonly Readonly<Record<string, Uint8Array | string>>[]): LoadedCollateral | undefined {
  return loadCollateralSources(kind, sets.map((files, index) => collateralFileSet(`collateral set ${index + 1}`, files)));
}

/** Folders and in-memory sets together, in order (earlier sources win for items both hold). */
export function loadCollateralSources(kind: EvidenceKind, sources: readonly CollateralSource[]): LoadedCollateral | undefined {
  const sets = sources.map(collateralFilesOf);
  if (sets.length === 0) return undefined;
  switch (collateralFamily[kind]) {
    case "dcap":
      return { family: "dcap", collateral: mergeCollateral(sets.map(loadDcapCollateralFiles)) };
    case "snp":
      return { family: "snp", collateral: loadSnpCollateralFiles(sets) };
    case "nvidia":
      return { family: "nvidia", collateral: mergeCollateral<NvidiaCollateral>(sources.map((source) => (typeof source === "string" ? loadNvidiaCollateral(source) : loadNvidiaCollateralFiles(source)))) };
    case "none":
      return undefined;
  }
}

function isLoadedCollateral(value: string | readonly CollateralSource[] | LoadedCollateral): value is LoadedCollateral {
  return typeof value === "object" && !Array.isArray(value) && "family" in value;
}

/** Earlier folders win; later ones fill what is missing (e.g. a TCB signing certificate kept elsewhere). */
function mergeCollateral<T extends object = DcapCollateral>(items: T[]): T {
  const merged: Record<string, unknown> = {};
  // An empty list is no item (a folder of fetched RIMs has no GPU certificate chain): a later folder fills it.
  const absent = (value: unknown) => value === undefined || (Array.isArray(value) && value.length === 0);
  for (const item of items) {
    for (const [key, value] of Object.entries(item)) {
      if (absent(merged[key]) && !absent(value)) merged[key] = value;
      else if (merged[key] === undefined) merged[key] = value;
    }
  }
  return merged as T;
}
