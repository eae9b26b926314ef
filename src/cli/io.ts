/**
 * What every command shares with main: where it writes, the exit codes it returns and the error that means "the
 * user called it wrong". Its own module so commands never import main (which imports every command).
 */

/** Exit codes: 0 verified (and appraised, with --policy), 1 rejected, 2 usage error. */
export const ExitCode = { OK: 0, REJECTED: 1, USAGE: 2 } as const;

/** Bad flags or arguments: main prints the message and exits 2. */
export class UsageError extends Error {}

export type CliIo = { out: (text: string) => void; err: (text: string) => void };

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};
