import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { TeezkError } from "../../errors/index.js";
import { parseChainPem } from "./resolveGpuEntries.js";
import type { NvidiaCollateral } from "./types.js";

const CHAIN_FILE = "cert-chain.pem";
const MAX_CHAIN_FILE_BYTES = 64 * 1024;

export type LoadNvidiaCollateralReturnType = NvidiaCollateral;
export type LoadNvidiaCollateralErrorType = "COLLATERAL_MISSING" | "INPUT_TOO_LARGE" | "CERT_PARSE" | "CERT_CHAIN_INVALID";

/**
 * Reads the GPU device certificate chain (PEM, leaf first) from a collateral folder: `cert-chain.pem`, or the
 * folder's only `*.pem` file. A path to a PEM file is accepted as well. Certificates are parsed here so that
 * verification stays pure and fast; nothing is verified until `verifyGpuEvidence`.
 */
export function loadNvidiaCollateral(dir: string): LoadNvidiaCollateralReturnType {
  const file = chainFile(dir);
  const size = statSync(file).size;
  if (size > MAX_CHAIN_FILE_BYTES) {
    throw new TeezkError("INPUT_TOO_LARGE", `${file} is ${size} bytes; a GPU device chain is at most ${MAX_CHAIN_FILE_BYTES}`);
  }
  const pem = readFileSync(file, "latin1");
  return { certificateChain: parseChainPem(pem, `GPU device certificate chain ${file}`), source: file };
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
