import { readFileSync } from "node:fs";
import type { DatabaseSync } from "node:sqlite";
import { TeezkError } from "../errors/index.js";

/**
 * Bookkeeping table, created before any migration runs. Portable SQL like schema.sql (PostgreSQL 9.1+ has
 * CREATE TABLE IF NOT EXISTS).
 */
export const SCHEMA_MIGRATIONS_SQL = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version      INTEGER PRIMARY KEY,
  description  TEXT NOT NULL,
  applied_at   BIGINT NOT NULL
);`;

export type Migration = { version: number; description: string; sql: () => string };

/**
 * Versioned migrations, applied in order, each once, each in one transaction with its schema_migrations row.
 * Released migrations are never edited: a change is a new entry (for example `migrations/0002_<what>.sql`).
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "evidence, appraisals, verdicts, proofs, receipts, chain transactions, key releases",
    sql: () => readFileSync(new URL("./schema.sql", import.meta.url), "utf8"),
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/**
 * Brings the file to LATEST_SCHEMA_VERSION and returns it. BEGIN IMMEDIATE takes the write lock before the
 * version is read, so two processes opening a new file at once migrate it once. A file migrated by newer code
 * is refused rather than written with an older idea of the schema.
 */
export function applyMigrations(db: DatabaseSync, now: () => number = Date.now): number {
  db.exec(SCHEMA_MIGRATIONS_SQL);
  for (;;) {
    db.exec("BEGIN IMMEDIATE");
    let committed = false;
    try {
      const current = currentVersion(db);
      if (current > LATEST_SCHEMA_VERSION) {
        throw new TeezkError("ARCHIVE_UNAVAILABLE", `The archive is at schema version ${current}; this teezk knows up to ${LATEST_SCHEMA_VERSION}`, {
          metaMessages: ["Upgrade teezk, or open a copy of the archive made before the upgrade."],
        });
      }
      const next = MIGRATIONS.find((migration) => migration.version > current);
      if (!next) {
        db.exec("COMMIT");
        committed = true;
        return current;
      }
      db.exec(next.sql());
      db.prepare("INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)").run(next.version, next.description, now());
      db.exec("COMMIT");
      committed = true;
    } finally {
      if (!committed) db.exec("ROLLBACK");
    }
  }
}

function currentVersion(db: DatabaseSync): number {
  const row = db.prepare("SELECT MAX(version) AS version FROM schema_migrations").get() as { version: number | bigint | null } | undefined;
  return row?.version === null || row?.version === undefined ? 0 : Number(row.version);
}
