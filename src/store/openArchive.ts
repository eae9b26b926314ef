import { once } from "node:events";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import type { Writable } from "node:stream";
import { TeezkError } from "../errors/index.js";
import { applyMigrations } from "./migrations.js";
import { TABLES, TO_ROW, filterValue, fromRow, type Row, type TableSpec } from "./tables.js";
import type { Archive, ArchiveRecords, ArchiveTable, ExportJsonLinesReturnType, ListParameters } from "./types.js";

export type OpenArchiveOptions = {
  /** How long a write waits for another process's lock before failing (ms); default 5000. */
  busyTimeoutMs?: number;
};

export type OpenArchiveReturnType = Archive;

/** Export order: parents before the records that refer to them. */
const EXPORT_ORDER: readonly ArchiveTable[] = ["evidence", "appraisals", "verdicts", "proofs", "receipts", "transactions", "keyReleases"];
const DEFAULT_LIMIT = 100;
const SYNCHRONOUS_NAMES: Record<number, string> = { 0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA" };
const MAX_LIMIT = 10_000;

/**
 * Opens (creating and migrating as needed) the archive: one SQLite file holding evidence, appraisals, verdicts,
 * proofs, receipts, chain transactions and key-release decisions — never witnesses (no column exists for one).
 *
 * Durability: WAL journal with `synchronous = FULL`, and every `record*` call is its own committed transaction,
 * so a record is on disk (WAL fsynced) when the call returns. A prover node killed mid-job loses nothing it
 * had acknowledged; a write in flight at the kill is either whole or absent.
 *
 * `path` may be ":memory:" for tests (no durability, export without a snapshot connection).
 */
export function openArchive(path: string, options: OpenArchiveOptions = {}): OpenArchiveReturnType {
  if (typeof path !== "string" || path.length === 0) throw new TeezkError("ARCHIVE_UNAVAILABLE", "The archive path must be a non-empty string");
  const { db, schemaVersion, durability } = openDatabase(path, options.busyTimeoutMs ?? 5000);
  const record = recorder(db);
  const read = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (error) {
      if (error instanceof TeezkError) throw error;
      throw new TeezkError("ARCHIVE_UNAVAILABLE", `Reading the archive ${path} failed`, { details: messageOf(error), cause: error });
    }
  };

  let closed = false;
  const archive: Archive = {
    path,
    schemaVersion,
    durability,
    recordEvidence: (input) => record("evidence", TO_ROW.evidence(input)),
    recordAppraisal: (input) => record("appraisals", TO_ROW.appraisals(input)),
    recordVerdict: (input) => record("verdicts", TO_ROW.verdicts(input)),
    recordProof: (input) => record("proofs", TO_ROW.proofs(input)),
    recordReceipt: (input) => record("receipts", TO_ROW.receipts(input)),
    recordTransaction: (input) => record("transactions", TO_ROW.transactions(input)),
    recordKeyRelease: (input) => record("keyReleases", TO_ROW.keyReleases(input)),

    get(table, id) {
      const spec = specOf(table);
      return read(() => {
        const statement = db.prepare(`SELECT * FROM ${spec.sqlName} WHERE id = ?`);
        statement.setReadBigInts(true);
        const row = statement.get(String(id));
        return row ? (fromRow(spec, row) as ArchiveRecords[typeof table]) : undefined;
      });
    },
    list(table, parameters = {}) {
      const spec = specOf(table);
      const limit = parameters.limit ?? DEFAULT_LIMIT;
      const offset = parameters.offset ?? 0;
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIMIT || !Number.isSafeInteger(offset) || offset < 0) {
        throw new TeezkError("ARCHIVE_RECORD_INVALID", `limit must be 1 to ${MAX_LIMIT} and offset a non-negative integer`);
      }
      const direction = parameters.order === "desc" ? "DESC" : "ASC";
      const { sql, values } = whereClause(spec, parameters.where as Record<string, unknown> | undefined);
      return read(() => {
        const statement = db.prepare(`SELECT * FROM ${spec.sqlName}${sql} ORDER BY recorded_at ${direction}, id ${direction} LIMIT ? OFFSET ?`);
        statement.setReadBigInts(true);
        return statement.all(...values, BigInt(limit), BigInt(offset)).map((row) => fromRow(spec, row) as ArchiveRecords[typeof table]);
      });
    },
    count(table, where) {
      const spec = specOf(table);
      const { sql, values } = whereClause(spec, where as Record<string, unknown> | undefined);
      return read(() => Number((db.prepare(`SELECT COUNT(*) AS n FROM ${spec.sqlName}${sql}`).get(...values) as { n: number }).n));
    },
    exportJsonLines: (writable) => exportJsonLines(db, path, schemaVersion, writable),
    transaction: transactionRunner(db, path),
    close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
  return archive;
}

/** Opens the SQLite file in WAL mode with `synchronous = FULL` and brings its schema up to date. */
function openDatabase(path: string, timeout: number): { db: DatabaseSync; schemaVersion: number; durability: Archive["durability"] } {
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path, { timeout, enableForeignKeyConstraints: true });
  } catch (error) {
    throw unavailable(path, error);
  }
  try {
    const mode = db.prepare("PRAGMA journal_mode = WAL").get() as { journal_mode?: string } | undefined;
    if (path !== ":memory:" && mode?.journal_mode !== "wal") {
      throw new TeezkError("ARCHIVE_UNAVAILABLE", `The archive ${path} could not switch to WAL (journal_mode is ${String(mode?.journal_mode)})`);
    }
    db.exec("PRAGMA synchronous = FULL");
    db.exec("PRAGMA foreign_keys = ON");
    const schemaVersion = applyMigrations(db);
    const journal = db.prepare("PRAGMA journal_mode").get() as { journal_mode: string };
    const synchronous = db.prepare("PRAGMA synchronous").get() as { synchronous: number | bigint };
    const durability = { journalMode: journal.journal_mode, synchronous: SYNCHRONOUS_NAMES[Number(synchronous.synchronous)] ?? String(synchronous.synchronous) };
    return { db, schemaVersion, durability };
  } catch (error) {
    db.close();
    throw error instanceof TeezkError ? error : unavailable(path, error);
  }
}

/** Inserts one row per call (its own committed transaction), with one prepared statement per table. */
function recorder(db: DatabaseSync): <T extends ArchiveTable>(table: T, row: Row) => ArchiveRecords[T] {
  const inserts = new Map<ArchiveTable, StatementSync>();
  const insertFor = (table: ArchiveTable): StatementSync => {
    let statement = inserts.get(table);
    if (!statement) {
      const spec = TABLES[table];
      const columns = spec.columns.map((column) => column.column);
      statement = db.prepare(`INSERT INTO ${spec.sqlName} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`);
      inserts.set(table, statement);
    }
    return statement;
  };
  return <T extends ArchiveTable>(table: T, row: Row): ArchiveRecords[T] => {
    const spec = TABLES[table];
    try {
      insertFor(table).run(...spec.columns.map((column) => row[column.column] ?? null));
    } catch (error) {
      throw writeError(table, row, error);
    }
    return fromRow(spec, row) as ArchiveRecords[T];
  };
}

/** A WHERE clause over the table's filterable columns only: any other key is refused, never interpolated. */
function whereClause(spec: TableSpec, where: Record<string, unknown> | undefined): { sql: string; values: Array<string | bigint> } {
  const parts: string[] = [];
  const values: Array<string | bigint> = [];
  for (const [key, value] of Object.entries(where ?? {})) {
    if (value === undefined) continue;
    const column = spec.columns.find((candidate) => candidate.key === key && candidate.filter);
    if (!column) {
      const allowed = spec.columns.filter((candidate) => candidate.filter).map((candidate) => candidate.key);
      throw new TeezkError("ARCHIVE_RECORD_INVALID", `Cannot filter ${spec.sqlName} by "${key}"`, { details: `filterable: ${allowed.join(", ")}` });
    }
    parts.push(`${column.column} = ?`);
    values.push(filterValue(column, value));
  }
  return { sql: parts.length ? ` WHERE ${parts.join(" AND ")}` : "", values };
}

/** `Archive.transaction`: all of `fn`'s records or none; not nestable, and `fn` must be synchronous. */
function transactionRunner(db: DatabaseSync, path: string): Archive["transaction"] {
  let inTransaction = false;
  return (fn) => {
    if (inTransaction) throw new TeezkError("ARCHIVE_WRITE_FAILED", "Archive transactions do not nest");
    try {
      // IMMEDIATE takes the write lock now (waiting up to the busy timeout), not at the first insert.
      db.exec("BEGIN IMMEDIATE");
    } catch (error) {
      throw new TeezkError("ARCHIVE_WRITE_FAILED", `Cannot start a transaction on the archive ${path}`, { details: messageOf(error), cause: error });
    }
    inTransaction = true;
    try {
      const result = fn();
      if (result !== null && typeof result === "object" && typeof (result as { then?: unknown }).then === "function") {
        throw new TeezkError("ARCHIVE_WRITE_FAILED", "An archive transaction must be synchronous; nothing was recorded");
      }
      db.exec("COMMIT");
      return result;
    } catch (error) {
      try {
        db.exec("ROLLBACK");
      } catch {
        // The commit itself failed and SQLite already rolled back.
      }
      if (error instanceof TeezkError) throw error;
      throw new TeezkError("ARCHIVE_WRITE_FAILED", `The archive transaction on ${path} failed; nothing of it was recorded`, { details: messageOf(error), cause: error });
    } finally {
      inTransaction = false;
    }
  };
}

function specOf(table: string): TableSpec {
  if (!Object.prototype.hasOwnProperty.call(TABLES, table)) {
    throw new TeezkError("ARCHIVE_RECORD_INVALID", `No archive table "${table}"`, { details: `tables: ${Object.keys(TABLES).join(", ")}` });
  }
  return TABLES[table as ArchiveTable];
}

async function exportJsonLines(db: DatabaseSync, path: string, schemaVersion: number, writable: Writable): Promise<ExportJsonLinesReturnType> {
  // A separate read-only connection in one read transaction: a consistent snapshot that never holds the
  // writer's connection inside a transaction (which would delay the durability of its acknowledged writes).
  const snapshot = path === ":memory:" ? undefined : new DatabaseSync(path, { readOnly: true });
  const reader = snapshot ?? db;
  let records = 0;
  const write = async (value: unknown) => {
    const line = `${JSON.stringify(value, (_key, inner: unknown) => (typeof inner === "bigint" ? inner.toString() : inner))}\n`;
    if (!writable.write(line)) await once(writable, "drain");
  };
  try {
    if (snapshot) snapshot.exec("BEGIN");
    await write({ format: "teezk-archive", formatVersion: 1, schemaVersion, tables: EXPORT_ORDER });
    for (const table of EXPORT_ORDER) {
      const spec = TABLES[table];
      const statement = reader.prepare(`SELECT * FROM ${spec.sqlName} ORDER BY recorded_at, id`);
      statement.setReadBigInts(true);
      for (const row of statement.iterate()) {
        await write({ table, record: fromRow(spec, row) });
        records += 1;
      }
    }
    if (snapshot) snapshot.exec("COMMIT");
  } catch (error) {
    if (error instanceof TeezkError) throw error;
    throw new TeezkError("ARCHIVE_UNAVAILABLE", `Exporting the archive ${path} failed`, { details: messageOf(error), cause: error });
  } finally {
    snapshot?.close();
  }
  return { records };
}

function writeError(table: ArchiveTable, row: Row, error: unknown): TeezkError {
  const errcode = (error as { errcode?: number }).errcode;
  const where = `${TABLES[table].sqlName} ${String(row.id)}`;
  // SQLite extended result codes: 1555 PRIMARYKEY, 2067 UNIQUE, 787 FOREIGNKEY, 275 CHECK, 1299 NOTNULL.
  if (errcode === 1555 || errcode === 2067) {
    return new TeezkError("ARCHIVE_CONFLICT", `The archive already has ${where}`, { cause: error });
  }
  if (errcode === 787) {
    return new TeezkError("ARCHIVE_RECORD_INVALID", `${where} refers to a record the archive does not have`, { details: messageOf(error), cause: error });
  }
  if (errcode === 275 || errcode === 1299) {
    return new TeezkError("ARCHIVE_RECORD_INVALID", `${where} violates the schema`, { details: messageOf(error), cause: error });
  }
  return new TeezkError("ARCHIVE_WRITE_FAILED", `Writing ${where} failed; it was not recorded`, { details: messageOf(error), cause: error });
}

function unavailable(path: string, error: unknown): TeezkError {
  return new TeezkError("ARCHIVE_UNAVAILABLE", `Cannot open the archive ${path}`, { details: messageOf(error), cause: error });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
