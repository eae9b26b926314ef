import { errorCodes, type ErrorCode } from "./codes.js";

export type TeezkErrorParameters = {
  /** What exactly was wrong: offsets, field names, values. */
  details?: string;
  /** The underlying error, kept so `walk()` can reach it. */
  cause?: unknown;
  /** Extra lines a user can act on (which file to fetch, which flag to pass). */
  metaMessages?: readonly string[];
};

/**
 * The one error type teezk throws. `code` is stable (see codes.ts); `shortMessage` is what a user reads first.
 * Modelled on viem's BaseError: the full message joins the short message, meta lines and details.
 */
export class TeezkError extends Error {
  override readonly name = "TeezkError";
  readonly code: ErrorCode;
  readonly shortMessage: string;
  readonly details: string | undefined;
  readonly metaMessages: readonly string[];

  constructor(code: ErrorCode, shortMessage: string, parameters: TeezkErrorParameters = {}) {
    const lines = [`${code}: ${shortMessage}`];
    if (parameters.metaMessages?.length) lines.push("", ...parameters.metaMessages);
    if (parameters.details) lines.push("", `Details: ${parameters.details}`);
    super(lines.join("\n"), parameters.cause === undefined ? undefined : { cause: parameters.cause });
    this.code = code;
    this.shortMessage = shortMessage;
    this.details = parameters.details;
    this.metaMessages = parameters.metaMessages ?? [];
  }

  /** The documented meaning of this error's code. */
  get description(): string {
    return errorCodes[this.code];
  }

  /** Follows `cause` links and returns the deepest error (or the first that matches `predicate`). */
  walk(predicate?: (error: unknown) => boolean): unknown {
    let current: unknown = this;
    for (;;) {
      if (predicate?.(current)) return current;
      const next = (current as { cause?: unknown } | null)?.cause;
      if (next === undefined || next === null) return predicate ? undefined : current;
      current = next;
    }
  }

  toJSON(): { code: ErrorCode; message: string; details?: string } {
    return { code: this.code, message: this.shortMessage, ...(this.details ? { details: this.details } : {}) };
  }
}

export function isTeezkError(error: unknown, code?: ErrorCode): error is TeezkError {
  return error instanceof TeezkError && (code === undefined || error.code === code);
}

/** Runs `fn`; any non-Teezk exception becomes a TeezkError with `code`, so parsers never leak a RangeError. */
export function wrapErrors<T>(code: ErrorCode, shortMessage: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof TeezkError) throw error;
    throw new TeezkError(code, shortMessage, {
      details: error instanceof Error ? error.message : String(error),
      cause: error,
    });
  }
}
