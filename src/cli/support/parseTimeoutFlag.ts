import { UsageError } from "../io.js";

/** `--timeout <seconds>` of a proof: 1 s to a day, 600 s when absent; returned in milliseconds. */
export function parseTimeoutFlag(value: string | undefined): number {
  if (value === undefined) return 600_000;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 86_400) {
    throw new UsageError(`--timeout must be a whole number of seconds between 1 and 86400, not ${value.slice(0, 40)}`);
  }
  return seconds * 1000;
}
