import { readFileSync, statSync } from "node:fs";
import { TeezkError } from "../../errors/index.js";
import { MAX_EVIDENCE_FILE_BYTES } from "../../evidence/verifyEvidence.js";
import { UsageError } from "../io.js";

/** The evidence time a command verifies at: `--at`, or now. */
export function parseAt(at: string | undefined): Date {
  if (at === undefined) return new Date();
  const date = new Date(at);
  if (Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(at)) {
    throw new UsageError(`--at expects an ISO time such as 2025-06-20T00:00:00Z, got "${at}"`);
  }
  return date;
}

/** An evidence or collateral file, refused by size before it is read. */
export function readEvidenceFile(path: string, what: string): Uint8Array {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new UsageError(`cannot read the ${what} file ${path}`);
  }
  // Refuse before reading: a multi-gigabyte file must not be pulled into memory.
  if (size > MAX_EVIDENCE_FILE_BYTES) {
    throw new TeezkError("INPUT_TOO_LARGE", `The ${what} file is ${size} bytes; the cap is ${MAX_EVIDENCE_FILE_BYTES}`);
  }
  return new Uint8Array(readFileSync(path));
}
