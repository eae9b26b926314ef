import { BaseError } from "viem";
import { chainCallError } from "../../chain/index.js";
import { TeezkError } from "../../errors/index.js";

/**
 * The TeezkError a chain command reports: chainCallError's, whose decoded revert carries the hint of
 * src/chain/revertHints.ts. TeezkErrors (bad flags, files, a chain helper's already wrapped failure) pass through
 * unchanged; anything that is neither a TeezkError nor viem's is INTERNAL.
 */
export function explainChainError(error: unknown, what: string): TeezkError {
  if (error instanceof TeezkError) return error;
  if (!(error instanceof BaseError)) {
    return new TeezkError("INTERNAL", `${what} failed unexpectedly`, { cause: error, details: error instanceof Error ? error.message : String(error) });
  }
  return chainCallError(what, error);
}
