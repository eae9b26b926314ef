import { statSync } from "node:fs";
import { basename, dirname } from "node:path";
import { TeezkError } from "../../errors/index.js";
import { collateralFolder, type CollateralFiles } from "../collateralFiles.js";
import { parseChainPem } from "./resolveGpuEntries.js";
import { MAX_OCSP_RESPONSE_BYTES } from "./gpuOcsp.js";
import { MAX_GPU_RIM_BYTES } from "./verifyGpuRim.js";
import type { NvidiaCollateral } from "./types.js";

const CHAIN_FILE = "cert-chain.pem";
const MAX_CHAIN_FILE_BYTES = 64 * 1024;
const RIM_SUFFIX = ".swidtag";
/** Two RIMs per distinct GPU firmware (a board of 8 identical GPUs needs 2), OCSP answers 3 per GPU. */
const MAX_RIM_FILES = 32;

export type LoadNvidiaCollateralReturnType = NvidiaCollateral;
export type LoadNvidiaCollateralErrorType = "COLLATERAL_MISSING" | "INPUT_TOO_LARGE" | "CERT_PARSE" | "CERT_CHAIN_INVALID";

/**
 * Reads the GPU device certificate chain (PEM, leaf first) from a collateral folder: `cert-chain.pem`, or the
 * folder's only `*.pem` file; and the RIMs, `<RIM service id>.swidtag` (what `teezk collateral fetch` writes).
 * A folder of RIMs only serves JSON evidence, whose GPUs carry their chains. A path to a PEM file is accepted
 * as well. Certificates are parsed here so that verification stays pure and fast; nothing is verified until
 * `verifyGpuEvidence`.
 */
export function loadNvidiaCollateral(dir: string): LoadNvidiaCollateralReturnType {
  let isFile = false;
  try {
    isFile = statSync(dir).isFile();
  } catch {
    // A missing path is reported by the folder's loader below (COLLATERAL_MISSING).
  }
  return isFile ? { certificateChain: readChain(collateralFolder(dirname(dir)), basename(dir)), source: dir } : loadNvidiaCollateralFiles(collateralFolder(dir));
}

/** `loadNvidiaCollateral` over any collateral set: a folder, or files received in memory. */
export function loadNvidiaCollateralFiles(files: CollateralFiles): LoadNvidiaCollateralReturnType {
  const names = files.names();
  if (names === undefined) throw new TeezkError("COLLATERAL_MISSING", `The NVIDIA collateral path does not exist: ${files.source}`);
  const rimFiles = loadFiles(files, names, RIM_SUFFIX, MAX_GPU_RIM_BYTES);
  const rims = rimFiles && Object.fromEntries(Object.entries(rimFiles).map(([name, bytes]) => [name.slice(0, -RIM_SUFFIX.length), bytes]));
  const ocspFiles = loadFiles(files, names, ".ocsp", MAX_OCSP_RESPONSE_BYTES);
  // A folder carried as text (a service's JSON collateral map) holds OCSP answers in base64.
  const ocsp = ocspFiles && Object.values(ocspFiles).map((bytes) => (bytes[0] === 0x30 ? bytes : new Uint8Array(Buffer.from(Buffer.from(bytes).toString("latin1"), "base64"))));
  const extra = { ...(rims ? { rims } : {}), ...(ocsp ? { ocsp } : {}) };
  const pems = names.filter((name) => name.toLowerCase().endsWith(".pem"));
  if ((rims || ocspFiles) && pems.length === 0) return { certificateChain: [], ...extra, source: files.source };
  const chain = pems.includes(CHAIN_FILE) ? CHAIN_FILE : pems.length === 1 ? pems[0]! : undefined;
  if (chain === undefined) {
    throw new TeezkError("COLLATERAL_MISSING", `No GPU device certificate chain in ${files.source}`, {
      details: pems.length ? `several PEM files (${pems.join(", ")}) and none named ${CHAIN_FILE}` : "no PEM file",
      metaMessages: [`Put the device chain (leaf first) in ${files.pathOf(CHAIN_FILE)}.`],
    });
  }
  return { certificateChain: readChain(files, chain), ...extra, source: files.pathOf(chain) };
}

function readChain(files: CollateralFiles, name: string): NvidiaCollateral["certificateChain"] {
  const path = files.pathOf(name);
  const size = files.size(name) ?? 0;
  if (size > MAX_CHAIN_FILE_BYTES) {
    throw new TeezkError("INPUT_TOO_LARGE", `${path} is ${size} bytes; a GPU device chain is at most ${MAX_CHAIN_FILE_BYTES}`);
  }
  const pem = Buffer.from(files.read(name) ?? new Uint8Array()).toString("latin1");
  return parseChainPem(pem, `GPU device certificate chain ${path}`);
}

/** The set's `*<suffix>` files by name (RIMs, OCSP answers), each and their count capped. */
function loadFiles(files: CollateralFiles, names: readonly string[], suffix: string, maxBytes: number): Record<string, Uint8Array> | undefined {
  const matching = names.filter((name) => name.endsWith(suffix));
  if (matching.length === 0) return undefined;
  if (matching.length > MAX_RIM_FILES) throw new TeezkError("INPUT_TOO_LARGE", `${files.source} holds ${matching.length} ${suffix} files; at most ${MAX_RIM_FILES} are read`);
  const out: Record<string, Uint8Array> = {};
  for (const name of matching) {
    const size = files.size(name) ?? 0;
    if (size > maxBytes) throw new TeezkError("INPUT_TOO_LARGE", `${files.pathOf(name)} is ${size} bytes; at most ${maxBytes} are read`);
    out[name] = files.read(name)!;
  }
  return out;
}
