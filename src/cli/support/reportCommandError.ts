import type { TeezkError } from "../../errors/index.js";
import type { CliIo } from "../io.js";

export type ReportCommandErrorParameters = {
  io: CliIo;
  error: TeezkError;
  /** `--json`: one `{ok:false, code, message, details?}` object on stdout, where a script reads the result. */
  json: boolean | undefined;
  /** The word before the message on stderr otherwise (`error`, or `rejected` where the input was judged). */
  prefix?: string;
};

/** Prints why a command failed with a TeezkError, the way every one-shot `teezk` command does. */
export function reportCommandError(parameters: ReportCommandErrorParameters): void {
  const { io, error } = parameters;
  if (parameters.json) {
    io.out(`${JSON.stringify({ ok: false, code: error.code, message: error.shortMessage, ...(error.details ? { details: error.details } : {}) })}\n`);
  } else {
    io.err(`${parameters.prefix ?? "error"}: ${error.message}\n`);
  }
}
