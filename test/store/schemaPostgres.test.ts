import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCHEMA_MIGRATIONS_SQL, openArchive } from "../../src/store/index.js";
import type { Hex } from "../../src/util/bytes.js";

/**
 * The portability claim, checked: src/store/schema.sql (and the bookkeeping table) run unchanged on a real
 * PostgreSQL, and rows exactly as the SQLite archive stores them insert into it, constraints included.
 * Needs PostgreSQL's initdb/pg_ctl/psql on PATH (Debian's postgresql package); skipped, saying so, without.
 */
const which = (name: string) => (process.env.PATH ?? "").split(delimiter).map((dir) => join(dir, name)).find((candidate) => existsSync(candidate));
const bins = { initdb: which("initdb"), pgCtl: which("pg_ctl"), psql: which("psql") };
const available = Boolean(bins.initdb && bins.pgCtl && bins.psql);
// PostgreSQL refuses to run as root; there, the server runs as the postgres user.
const asRoot = process.getuid?.() === 0;
const runuser = ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"].find((candidate) => existsSync(candidate));
const usable = available && (!asRoot || runuser !== undefined);
if (!usable) console.warn("schemaPostgres.test.ts: PostgreSQL binaries not found; the PostgreSQL portability check is skipped");

const schemaSql = fileURLToPath(new URL("../../src/store/schema.sql", import.meta.url));
const base = mkdtempSync(join(tmpdir(), "teezk-pg-"));
const data = join(base, "data");
const port = String(54000 + Math.floor(Math.random() * 1000));
let started = false;

function run(command: string, args: string[], options: { asServer?: boolean; input?: string } = {}): SpawnSyncReturns<string> {
  const [file, argv] = options.asServer && asRoot ? [runuser!, ["-u", "postgres", "--", command, ...args]] : [command, args];
  return spawnSync(file, argv, { encoding: "utf8", timeout: 60_000, input: options.input });
}

function psql(args: string[], input?: string): SpawnSyncReturns<string> {
  return run(bins.psql!, ["-h", base, "-p", port, "-U", "teezk", "-d", "postgres", "-X", "-q", "-v", "ON_ERROR_STOP=1", ...args], { input });
}

function expectOk(result: SpawnSyncReturns<string>, what: string) {
  expect(result.status, `${what}: ${result.stderr}${result.stdout}`).toBe(0);
}

const literal = (value: unknown) =>
  value === null || value === undefined ? "NULL" : typeof value === "bigint" || typeof value === "number" ? String(value) : `'${String(value).replaceAll("'", "''")}'`;

describe.skipIf(!usable)("schema.sql on PostgreSQL", () => {
  beforeAll(() => {
    chmodSync(base, 0o777);
    expectOk(run(bins.initdb!, ["-D", data, "-A", "trust", "-U", "teezk", "--no-sync", "-E", "UTF8"], { asServer: true }), "initdb");
    expectOk(
      run(bins.pgCtl!, ["-D", data, "-o", `-c listen_addresses= -k ${base} -p ${port} -F`, "-l", join(base, "log"), "-w", "-t", "60", "start"], { asServer: true }),
      "pg_ctl start",
    );
    started = true;
  }, 120_000);

  afterAll(() => {
    if (started) run(bins.pgCtl!, ["-D", data, "-m", "immediate", "-w", "stop"], { asServer: true });
    rmSync(base, { recursive: true, force: true });
  });

  it("creates every table unchanged, and accepts the rows the SQLite archive stores", () => {
    expectOk(psql(["-c", SCHEMA_MIGRATIONS_SQL]), "schema_migrations");
    expectOk(psql(["-f", schemaSql]), "schema.sql");
    const tables = psql(["-A", "-t", "-c", "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1"]);
    expectOk(tables, "list tables");
    expect(tables.stdout.trim().split("\n")).toEqual([
      "appraisals",
      "chain_transactions",
      "evidence",
      "key_releases",
      "proofs",
      "receipts",
      "schema_migrations",
      "verdicts",
    ]);

    // One record of every kind, stored by the real archive, then copied row by row as SQL literals.
    const hex = (bytes: number) => `0x${randomBytes(bytes).toString("hex")}` as Hex;
    const rows: string[] = [];
    const file = join(base, "copy.sqlite");
    const fileArchive = openArchive(file);
    const ev = fileArchive.recordEvidence({ evidence: randomBytes(100), teeType: 3, source: "o'brien's node" });
    const ap = fileArchive.recordAppraisal({ evidenceId: ev.id, appraisal: { ok: true, failures: [], evaluated: ["teeType"] } });
    fileArchive.recordVerdict({ evidenceId: ev.id, claimsHash: hex(32), verifier: hex(20), accepted: false, payload: { n: 1n } });
    const pr = fileArchive.recordProof({ circuitId: "membership", backend: "groth16", proof: { pi_a: ["1"] }, publicSignals: ["1"] });
    fileArchive.recordReceipt({ proofId: pr.id, programId: hex(32), inputDigest: hex(32), outputDigest: hex(32), proofDigest: hex(32), issuedAt: 1_767_225_600n, nonce: hex(32), signer: hex(20), signature: hex(65) });
    fileArchive.recordTransaction({ chainId: 2n ** 62n, txHash: hex(32), kind: "register", status: "confirmed", blockNumber: 123n });
    fileArchive.recordKeyRelease({ decision: "refused", reasonCodes: ["BINDING_MISMATCH"], evidenceId: ev.id, appraisalId: ap.id });
    fileArchive.close();

    const db = new DatabaseSync(file, { readOnly: true });
    const order = ["schema_migrations", "evidence", "appraisals", "verdicts", "proofs", "receipts", "chain_transactions", "key_releases"];
    for (const table of order) {
      const statement = db.prepare(`SELECT * FROM ${table}`);
      statement.setReadBigInts(true);
      for (const row of statement.all()) {
        const columns = Object.keys(row);
        rows.push(`INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map((column) => literal(row[column])).join(", ")});`);
      }
    }
    db.close();
    expectOk(psql([], rows.join("\n")), "insert archive rows");
    const counts = psql(["-A", "-t", "-c", `SELECT ${order.map((table) => `(SELECT count(*) FROM ${table})`).join(" || ',' || ")}`]);
    expectOk(counts, "count rows");
    expect(counts.stdout.trim()).toBe("1,1,1,1,1,1,1,1");
    const big = psql(["-A", "-t", "-c", "SELECT chain_id FROM chain_transactions"]);
    expect(big.stdout.trim()).toBe(String(2n ** 62n));
  });

  it("enforces the same constraints as SQLite (CHECK and REFERENCES)", () => {
    expect(psql(["-c", "INSERT INTO appraisals (id, recorded_at, ok, failures_json, evaluated_json) VALUES ('x', 0, 2, '[]', '[]')"]).status).not.toBe(0);
    expect(psql(["-c", "INSERT INTO appraisals (id, recorded_at, evidence_id, ok, failures_json, evaluated_json) VALUES ('y', 0, 'missing', 1, '[]', '[]')"]).status).not.toBe(0);
    expect(psql(["-c", "INSERT INTO key_releases (id, recorded_at, decision, reason_codes_json) VALUES ('z', 0, 'maybe', '[]')"]).status).not.toBe(0);
  });

  it("has no witness column in any table", () => {
    const columns = psql(["-A", "-t", "-c", "SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = 'public'"]);
    expectOk(columns, "columns");
    expect(columns.stdout.split("\n").filter((column) => /witness/i.test(column))).toEqual([]);
    expect(readFileSync(schemaSql, "utf8")).not.toMatch(/^\s*witness/im);
  });
});
