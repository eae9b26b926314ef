import { createWriteStream, existsSync, statSync } from "node:fs";
import { once } from "node:events";
import { Writable } from "node:stream";
import { isTeezkError, TeezkError } from "../../../errors/index.js";
import { openArchive, type ArchiveTable } from "../../../store/index.js";
import { ExitCode, UsageError, type CliIo } from "../../io.js";
import { ARCHIVE_TABLES } from "./archiveTables.js";

export type ArchiveExportOptions = { archive?: string; table?: string; out?: string };

/**
 * `teezk archive export`: the archive's own snapshot export (src/store exportJsonLines), optionally filtered to
 * one table; the header then lists only that table. A missing archive file is an error, never a new empty one.
 */
export async function archiveExportCommand(options: ArchiveExportOptions, io: CliIo): Promise<number> {
  if (!options.archive) throw new UsageError("archive export needs --archive <file>");
  if (options.table !== undefined && !ARCHIVE_TABLES.includes(options.table as ArchiveTable)) {
    throw new UsageError(`--table expects one of ${ARCHIVE_TABLES.join(", ")}; got "${options.table}"`);
  }
  const table = options.table as ArchiveTable | undefined;
  try {
    if (!existsSync(options.archive) || !statSync(options.archive).isFile()) {
      throw new TeezkError("ARCHIVE_UNAVAILABLE", `There is no archive at ${options.archive}`);
    }
    const archive = openArchive(options.archive);
    let written = 0;
    try {
      const file = options.out ? createWriteStream(options.out) : undefined;
      if (file) await once(file, "open");
      const sink = filteredLines(table, (line) => {
        written += line.startsWith('{"table":') ? 1 : 0;
        if (!file) {
          io.out(line);
          return true;
        }
        return file.write(line);
      }, file);
      await archive.exportJsonLines(sink);
      sink.end();
      await once(sink, "finish");
      if (file) {
        file.end();
        await once(file, "close");
        io.err(`exported ${written} record(s) to ${options.out}\n`);
      }
    } finally {
      archive.close();
    }
    return ExitCode.OK;
  } catch (error) {
    if (!isTeezkError(error)) {
      const cause = error as NodeJS.ErrnoException;
      io.err(`error: cannot write ${options.out ?? "the export"}: ${cause.code ?? cause.message}\n`);
      return ExitCode.REJECTED;
    }
    io.err(`error: ${error.message}\n`);
    return ExitCode.REJECTED;
  }
}

/**
 * A Writable that takes the export's lines (one JSON object per write) and passes on the header and, with a
 * table, only that table's records; backpressure follows the destination's.
 */
function filteredLines(table: ArchiveTable | undefined, emit: (line: string) => boolean, destination: Writable | undefined): Writable {
  const prefix = table === undefined ? undefined : `{"table":${JSON.stringify(table)},`;
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      let line = typeof chunk === "string" ? chunk : chunk.toString("utf8");
      if (line.startsWith('{"format":')) {
        if (table !== undefined) line = `${JSON.stringify({ ...(JSON.parse(line) as object), tables: [table] })}\n`;
      } else if (prefix !== undefined && !line.startsWith(prefix)) {
        return callback();
      }
      if (emit(line) || !destination) return callback();
      destination.once("drain", () => callback());
    },
  });
}
