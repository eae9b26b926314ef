import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./support/runCli.js";
import { openArchive } from "../../src/store/index.js";

const lines = (text: string) => text.trimEnd().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);

describe("teezk archive export", () => {
  let dir: string;
  let path: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "teezk-archive-cli-"));
    path = join(dir, "archive.sqlite");
    const archive = openArchive(path);
    const evidence = archive.recordEvidence({ id: "ev-1", evidence: new Uint8Array([1, 2, 3]), teeType: 3, source: "test" });
    archive.recordAppraisal({ id: "ap-1", evidenceId: evidence.id, appraisal: { ok: false, failures: [{ code: "DEBUG_ENCLAVE", rule: "debug", message: "debug" }], evaluated: ["debug"] } });
    archive.recordVerdict({ id: "vd-1", evidenceId: evidence.id, claimsHash: `0x${"11".repeat(32)}`, verifier: `0x${"22".repeat(20)}`, accepted: false });
    archive.recordVerdict({ id: "vd-2", claimsHash: `0x${"33".repeat(32)}`, verifier: `0x${"22".repeat(20)}`, accepted: true, signature: `0x${"44".repeat(65)}` });
    archive.recordKeyRelease({ id: "kr-1", decision: "refused", reasonCodes: ["NONCE_REPLAYED"], evidenceId: evidence.id });
    archive.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("writes a header and every record as JSON lines to stdout", async () => {
    const { code, out } = await runCli(["archive", "export", "--archive", path]);
    expect(code).toBe(0);
    const [header, ...records] = lines(out);
    expect(header).toMatchObject({ format: "teezk-archive", formatVersion: 1 });
    expect(records.map((line) => [line.table, (line.record as { id: string }).id])).toEqual([
      ["evidence", "ev-1"],
      ["appraisals", "ap-1"],
      ["verdicts", "vd-1"],
      ["verdicts", "vd-2"],
      ["keyReleases", "kr-1"],
    ]);
    expect((records[0]!.record as { evidence: string }).evidence).toBe("0x010203");
  });

  it("--table keeps one table (and says so in the header); --out writes a file", async () => {
    const out = join(dir, "verdicts.jsonl");
    const result = await runCli(["archive", "export", "--archive", path, "--table", "verdicts", "--out", out]);
    expect(result.code).toBe(0);
    expect(result.out).toBe("");
    expect(result.err).toContain("exported 2 record(s)");
    const [header, ...records] = lines(readFileSync(out, "utf8"));
    expect(header).toMatchObject({ format: "teezk-archive", tables: ["verdicts"] });
    expect(records.map((line) => (line.record as { id: string; accepted: boolean }).accepted)).toEqual([false, true]);
    expect(records.every((line) => line.table === "verdicts")).toBe(true);
  });

  it("a missing archive is an error (exit 1), not a new empty file; bad flags are usage errors (exit 2)", async () => {
    const missing = join(dir, "nope.sqlite");
    const result = await runCli(["archive", "export", "--archive", missing]);
    expect(result.code).toBe(1);
    expect(result.err).toContain("ARCHIVE_UNAVAILABLE");
    expect(existsSync(missing)).toBe(false);
    expect((await runCli(["archive", "export", "--archive", path, "--table", "witnesses"])).code).toBe(2);
    expect((await runCli(["archive", "export"])).code).toBe(2);
    expect((await runCli(["archive", "export", "--archive", path, "--out", join(dir, "no", "such", "dir.jsonl")])).code).toBe(1);
  });
});
