import { readFileSync, statSync } from "node:fs";
import { UsageError } from "../io.js";

export type ReadWitnessFileParameters = {
  file: string;
  /** Refused before it is read. */
  maxBytes: number;
  /**
   * Whether a JSON syntax error may quote the parser's message. The parser can quote the file, so a witness that
   * is sent sealed (delegate) is never quoted.
   */
  quoteParseError: boolean;
};

/** A witness file: one JSON object of signal name → value (numbers above 2^53 as strings), size-capped. */
export function readWitnessFile(parameters: ReadWitnessFileParameters): Record<string, unknown> {
  const { file, maxBytes } = parameters;
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new UsageError(`cannot read the witness file ${file}`);
  }
  if (size > maxBytes) throw new UsageError(`the witness file is ${size} bytes; the cap is ${maxBytes}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new UsageError(parameters.quoteParseError ? `the witness file ${file} is not JSON (${(error as Error).message.slice(0, 120)})` : `the witness file ${file} is not JSON`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new UsageError("the witness file must hold one JSON object of signal name → value (numbers above 2^53 as strings)");
  }
  return parsed as Record<string, unknown>;
}
