import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { DatabaseSync } from "node:sqlite";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { openArchive } from "../../src/store/index.js";

/**
 * "A prover node that is killed mid-job loses nothing already acknowledged": a child process writes records
 * and acknowledges each after its record call returns; it is SIGKILLed mid-run, three times against the same
 * file; every acknowledged id must be there after each reopen and the file must pass integrity_check.
 *
 * What this does not show: SIGKILL leaves the OS page cache intact, so it cannot distinguish fsync from no
 * fsync. Power-loss durability rests on synchronous=FULL in WAL mode, asserted in openArchive.test.ts.
 */
const writer = fileURLToPath(new URL("./archiveWriterProcess.ts", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "teezk-durability-"));
const path = join(dir, "archive.sqlite");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Run = { acked: string[]; signal: NodeJS.Signals | null; code: number | null; stderr: string };

function runAndKill(prefix: string, killAfterAcks: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", writer, path, prefix, "1000000"], {
      cwd: fileURLToPath(new URL("../..", import.meta.url)),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const acked: string[] = [];
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    let killed = false;
    createInterface({ input: child.stdout }).on("line", (line) => {
      if (!line.startsWith("ack ")) return;
      // Lines that arrive after the kill was sent were still printed after their commit: they count too.
      acked.push(line.slice(4));
      if (!killed && acked.length >= killAfterAcks) {
        killed = true;
        child.kill("SIGKILL");
      }
    });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ acked, signal, code, stderr }));
  });
}

function runToEnd(archivePath: string, prefix: string, count: number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", writer, archivePath, prefix, String(count)], {
      cwd: fileURLToPath(new URL("../..", import.meta.url)),
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

describe("archive durability under SIGKILL", () => {
  it("keeps every acknowledged record across three kills mid-write", async () => {
    const allAcked: string[] = [];
    for (const [round, killAfter] of [[1, 137], [2, 301], [3, 59]] as const) {
      const run = await runAndKill(`r${round}`, killAfter);
      expect(run.signal, run.stderr).toBe("SIGKILL");
      expect(run.acked.length).toBeGreaterThanOrEqual(killAfter);
      expect(run.acked.length).toBeLessThan(1_000_000);
      allAcked.push(...run.acked);

      const check = new DatabaseSync(path);
      expect(check.prepare("PRAGMA integrity_check").get()).toEqual(expect.objectContaining({ integrity_check: "ok" }));
      check.close();

      const archive = openArchive(path);
      const missing = allAcked.filter((id) => {
        const index = Number(id.split("-")[1]);
        return (index % 2 === 0 ? archive.get("evidence", id) : archive.get("proofs", id)) === undefined;
      });
      expect(missing).toEqual([]);
      // At most the one record in flight at the kill may exist beyond the acknowledged ones.
      const stored = archive.count("evidence") + archive.count("proofs");
      expect(stored - allAcked.length).toBeGreaterThanOrEqual(0);
      expect(stored - allAcked.length).toBeLessThanOrEqual(round);
      archive.close();
    }
  });

  it("two processes creating the same new archive at once migrate it once and both write", async () => {
    const shared = join(dir, "shared.sqlite");
    const [a, b] = await Promise.all([runToEnd(shared, "a", 40), runToEnd(shared, "b", 40)]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const db = new DatabaseSync(shared, { readOnly: true });
    expect(db.prepare("SELECT version FROM schema_migrations").all().map((row) => Number(row.version))).toEqual([1]);
    expect(Number((db.prepare("SELECT (SELECT COUNT(*) FROM evidence) + (SELECT COUNT(*) FROM proofs) AS n").get() as { n: number }).n)).toBe(80);
    db.close();
  });
});
