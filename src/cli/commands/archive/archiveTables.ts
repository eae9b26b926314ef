import type { ArchiveTable } from "../../../store/index.js";

/** The table names `--table` accepts (the archive's record kinds); a leaf, so declaring flags loads no archive code. */
export const ARCHIVE_TABLES: readonly ArchiveTable[] = ["evidence", "appraisals", "verdicts", "proofs", "receipts", "transactions", "keyReleases"];
