import { isTeezkError, TeezkError } from "../errors/index.js";

/**
 * Awaits a call that must be refused and returns the refusal (the decoded custom error of a reverted contract
 * call, else the TeezkError code). A call that succeeds, or fails for another reason than `expected`, is
 * DEMO_EXPECTATION_FAILED: a refusal step passes only when the right check refused.
 */
export async function expectRefusal(call: Promise<unknown>, expected: RegExp): Promise<string> {
  let reason: string;
  try {
    await call;
  } catch (error) {
    reason = isTeezkError(error) ? (error.code === "CHAIN_CALL_FAILED" ? (error.details ?? error.code) : error.code) : String(error);
    if (expected.test(reason)) return reason;
    throw new TeezkError("DEMO_EXPECTATION_FAILED", `Refused, but not by the expected check (${expected.source})`, { details: reason, cause: error });
  }
  throw new TeezkError("DEMO_EXPECTATION_FAILED", `Accepted where a refusal (${expected.source}) was expected`);
}
