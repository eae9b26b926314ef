import type { Command } from "commander";
import type { CliIo } from "../../io.js";
import type { ArchiveExportOptions } from "./archiveCommand.js";
import { ARCHIVE_TABLES } from "./archiveTables.js";


/** Adds `teezk archive export` to the program. */
export function registerArchiveCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  const archive = program.command("archive").description("Work with the archive (evidence, appraisals, verdicts, proofs, receipts, transactions, key releases)");
  archive
    .command("export")
    .description("Write the archive as JSON lines: a header, then one {table, record} per line (bytes hex, bigints decimal, times ISO)")
    .option("--archive <file>", "the SQLite archive (required)")
    .option("--table <table>", `only this table (${ARCHIVE_TABLES.join(", ")})`)
    .option("--out <file>", "write here instead of stdout")
    .action(async (options: ArchiveExportOptions) => {
      const { archiveExportCommand } = await import("./archiveCommand.js");
      setExitCode(await archiveExportCommand(options, io));
    });
}
