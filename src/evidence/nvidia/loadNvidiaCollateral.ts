import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { TeezkError } from "../../errors/index.js";
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
  const rimFiles = loadFiles(dir, RIM_SUFFIX, MAX_GPU_RIM_BYTES);
  const rims = rimFiles && Object.fromEntries(Object.entries(rimFiles).map(([name, bytes]) => [name.slice(0, -RIM_SUFFIX.length), bytes]));
  const ocspFiles = loadFiles(dir, ".ocsp", MAX_OCSP_RESPONSE_BYTES);
  // A folder carried as text (a service's JSON collateral map) holds OCSP answers in base64.
  const ocsp = ocspFiles && Object.values(ocspFiles).map((bytes) => (bytes[0] === 0x30 ? bytes : new Uint8Array(Buffer.from(Buffer.from(bytes).toString("latin1"), "base64"))));
  const extra = { ...(rims ? { rims } : {}), ...(ocsp ? { ocsp } : {}) };
  if ((rims || ocspFiles) && !readdirSync(dir).some((name) => name.toLowerCase().endsWith(".pem"))) return { certificateChain: [], ...extra, source: dir };
  const file = chainFile(dir);
  const size = statSync(file).size;
  if (size > MAX_CHAIN_FILE_BYTES) {
    throw new TeezkError("INPUT_TOO_LARGE", `${file} is ${size} bytes; a GPU device chain is at most ${MAX_CHAIN_FILE_BYTES}`);
  }
  const pem = readFileSync(file, "latin1");
  return { certificateChain: parseChainPem(pem, `GPU device certificate chain ${file}`), ...extra, source: file };
}

/** The folder's `*<suffix>` files by name (RIMs, OCSP answers), each and their count capped. */
function loadFiles(dir: string, suffix: string, maxBytes: number): Record<string, Uint8Array> | undefined {
  let names: string[];
  try {
    names = statSync(dir).isDirectory() ? readdirSync(dir).filter((name) => name.endsWith(suffix)) : [];
  } catch {
    return undefined;
  }
  if (names.length === 0) return undefined;
  if (names.length > MAX_RIM_FILES) throw new TeezkError("INPUT_TOO_LARGE", `${dir} holds ${names.length} ${suffix} files; at most ${MAX_RIM_FILES} are read`);
  const files: Record<string, Uint8Array> = {};
  for (const name of names) {
    const path = join(dir, name);
    const size = statSync(path).size;
    if (size > maxBytes) throw new TeezkError("INPUT_TOO_LARGE", `${path} is ${size} bytes; at most ${maxBytes} are read`);
    files[name] = new Uint8Array(readFileSync(path));
  }
  return files;
}

function chainFile(dir: string): string {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch (error) {
    throw new TeezkError("COLLATERAL_MISSING", `The NVIDIA collateral path does not exist: ${dir}`, { cause: error });
  }
  if (!isDirectory) return dir;
  const pems = readdirSync(dir).filter((name) => name.toLowerCase().endsWith(".pem"));
  if (pems.includes(CHAIN_FILE)) return join(dir, CHAIN_FILE);
  if (pems.length === 1) return join(dir, pems[0]!);
  throw new TeezkError("COLLATERAL_MISSING", `No GPU device certificate chain in ${dir}`, {
    details: pems.length ? `several PEM files (${pems.join(", ")}) and none named ${CHAIN_FILE}` : "no PEM file",
    metaMessages: [`Put the device chain (leaf first) in ${join(dir, CHAIN_FILE)}.`],
  });
}
