import { isTeezkError, type TeezkError } from "../../src/errors/index.js";

/** The TeezkError a promise rejects with; fails the test when it resolves or rejects with anything else. */
export async function rejection(promise: Promise<unknown>): Promise<TeezkError> {
  try {
    await promise;
  } catch (error) {
    if (isTeezkError(error)) return error;
    throw error;
  }
  throw new Error("expected a rejection");
}

/** The code of the TeezkError `fn` throws, or "OK" when it returns (anything else thrown fails the test). */
export function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (isTeezkError(error)) return error.code;
    throw error;
  }
  return "OK";
}

/** The TeezkError `fn` throws; fails the test when it returns or throws anything else. */
export function thrownBy(fn: () => unknown): TeezkError {
  try {
    fn();
  } catch (error) {
    if (isTeezkError(error)) return error;
    throw error;
  }
  throw new Error("expected a TeezkError");
}
