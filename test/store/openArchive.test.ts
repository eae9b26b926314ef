import { createHash, randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { claimsHash, TcbStatus, TeeType, type Claims } from "../../src/claims/index.js";
import { LATEST_SCHEMA_VERSION, MAX_ARCHIVED_EVIDENCE_BYTES, openArchive, type Archive } from "../../src/store/index.js";
import type { Hex } from "../../src/util/bytes.js";
import { codeOf } from "../support/rejection.js";

const hex = (bytes: number) => `0x${randomBytes(bytes).toString("hex")}` as Hex;
const claims: Claims = {
  teeType: TeeType.NITRO,
  measurement: hex(32),
  reportData: hex(32),
  platformId: hex(32),
  rootHash: hex(32),
  timestamp: 1_767_225_600n,
  tcbStatus: TcbStatus.NOT_APPLICABLE,
  svn: 0,
  debug: false,
};

let dir: string;
let archive: Archive;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "teezk-archive-"));
  archive = openArchive(join(dir, "archive.sqlite"));
});
afterEach(() => {
  archive.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("openArchive", () => {
  it("opens a file in WAL mode with synchronous=FULL at the latest schema version", () => {
    expect(archive.durability).toEqual({ journalMode: "wal", synchronous: "FULL" });
    expect(archive.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    // Read back from the file by another connection: the journal mode is persistent, the migration recorded once.
    const other = new DatabaseSync(join(dir, "archive.sqlite"), { readOnly: true });
    expect((other.prepare("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode).toBe("wal");
    expect(other.prepare("SELECT version FROM schema_migrations").all().map((row) => Number(row.version))).toEqual([1]);
    other.close();
  });

  it("records and reads back evidence with an independently computed sha256 and claims hash", () => {
    const bytes = randomBytes(700);
    const at = new Date("2026-03-01T12:00:00.123Z");
    const stored = archive.recordEvidence({ evidence: bytes, claims, source: "prover-1", recordedAt: at });
    expect(stored.evidenceSha256).toBe(`0x${createHash("sha256").update(bytes).digest("hex")}`);
    expect(stored.claimsHash).toBe(claimsHash(claims));
    const read = archive.get("evidence", stored.id);
    expect(read).toEqual(stored);
    expect(read?.evidence).toBe(`0x${bytes.toString("hex")}`);
    expect(read?.teeType).toBe(3);
    expect(read?.claims?.timestamp).toBe(1_767_225_600);
    expect(read?.recordedAt.toISOString()).toBe("2026-03-01T12:00:00.123Z");
    // Hex input is the same evidence.
    const again = archive.recordEvidence({ evidence: `0x${bytes.toString("hex").toUpperCase()}` as Hex });
    expect(again.evidenceSha256).toBe(stored.evidenceSha256);
    expect(archive.list("evidence", { where: { evidenceSha256: stored.evidenceSha256.toUpperCase() } })).toHaveLength(2);
  });

  it("records every other kind and links them", () => {
    const evidence = archive.recordEvidence({ evidence: randomBytes(10), id: "ev-1" });
    const appraisal = archive.recordAppraisal({
      evidenceId: evidence.id,
      appraisal: { ok: false, failures: [{ code: "MEASUREMENT_NOT_ALLOWED", rule: "measurement", message: "m" }], evaluated: ["teeType", "measurement"] },
      policySha256: hex(32),
    });
    expect(archive.get("appraisals", appraisal.id)).toMatchObject({ ok: false, evidenceId: "ev-1", evaluated: ["teeType", "measurement"] });
    expect(archive.get("appraisals", appraisal.id)?.failures[0]?.code).toBe("MEASUREMENT_NOT_ALLOWED");

    const verifier = hex(20);
    const verdict = archive.recordVerdict({ evidenceId: evidence.id, claimsHash: claimsHash(claims), verifier, accepted: true, signature: hex(65), payload: { deadline: 123n } });
    expect(archive.get("verdicts", verdict.id)).toMatchObject({ accepted: true, verifier: verifier.toLowerCase(), payload: { deadline: "123" } });

    const proof = archive.recordProof({ circuitId: "membership", backend: "groth16", proof: { pi_a: ["1", "2", "1"] }, publicSignals: ["7"], proofDigest: hex(32), requestId: "job-1" });
    const receipt = archive.recordReceipt({
      proofId: proof.id,
      programId: hex(32),
      inputDigest: hex(32),
      outputDigest: hex(32),
      proofDigest: proof.proofDigest!,
      issuedAt: 1_767_225_600n,
      nonce: hex(32),
      signer: hex(20),
      signature: hex(65),
    });
    expect(archive.get("receipts", receipt.id)?.issuedAt).toBe(1_767_225_600n);
    expect(archive.list("receipts", { where: { proofId: proof.id } }).map((r) => r.id)).toEqual([receipt.id]);

    const txHash = hex(32);
    archive.recordTransaction({ chainId: 31337, txHash, kind: "submitReceipt", status: "submitted", subjectId: receipt.id, recordedAt: new Date(1000) });
    archive.recordTransaction({ chainId: 31337n, txHash, kind: "submitReceipt", status: "confirmed", subjectId: receipt.id, blockNumber: 42n, recordedAt: new Date(2000) });
    const observations = archive.list("transactions", { where: { txHash } });
    expect(observations.map((t) => t.status)).toEqual(["submitted", "confirmed"]);
    expect(observations[1]).toMatchObject({ chainId: 31337n, blockNumber: 42n });
    expect(archive.list("transactions", { where: { txHash }, order: "desc", limit: 1 })[0]?.status).toBe("confirmed");

    const refused = archive.recordKeyRelease({ decision: "refused", reasonCodes: ["BINDING_MISMATCH"], requestId: "job-2", evidenceId: evidence.id, appraisalId: appraisal.id, binding: hex(32) });
    archive.recordKeyRelease({ decision: "released", reasonCodes: [], requestId: "job-1", enclaveAddress: hex(20) });
    expect(archive.get("keyReleases", refused.id)?.reasonCodes).toEqual(["BINDING_MISMATCH"]);
    expect(archive.count("keyReleases")).toBe(2);
    expect(archive.count("keyReleases", { decision: "refused" })).toBe(1);
    expect(archive.count("appraisals", { ok: false })).toBe(1);
  });

  it("refuses duplicates, dangling references and malformed fields with stable codes", () => {
    archive.recordEvidence({ evidence: randomBytes(4), id: "same" });
    expect(codeOf(() => archive.recordEvidence({ evidence: randomBytes(4), id: "same" }))).toBe("ARCHIVE_CONFLICT");
    expect(codeOf(() => archive.recordAppraisal({ evidenceId: "missing", appraisal: { ok: true, failures: [], evaluated: [] } }))).toBe("ARCHIVE_RECORD_INVALID");
    expect(codeOf(() => archive.recordEvidence({ evidence: new Uint8Array(0) }))).toBe("ARCHIVE_RECORD_INVALID");
    expect(codeOf(() => archive.recordEvidence({ evidence: new Uint8Array(MAX_ARCHIVED_EVIDENCE_BYTES + 1) }))).toBe("ARCHIVE_RECORD_INVALID");
    expect(codeOf(() => archive.recordEvidence({ evidence: "0x123" as Hex }))).toBe("ARCHIVE_RECORD_INVALID");
    expect(codeOf(() => archive.recordEvidence({ evidence: randomBytes(4), id: "has space" }))).toBe("ARCHIVE_RECORD_INVALID");
    expect(codeOf(() => archive.recordVerdict({ claimsHash: hex(31), verifier: hex(20), accepted: true }))).toBe("ARCHIVE_RECORD_INVALID");
    expect(codeOf(() => archive.recordVerdict({ claimsHash: hex(32), verifier: hex(20), accepted: "yes" as unknown as boolean }))).toBe("ARCHIVE_RECORD_INVALID");
    expect(codeOf(() => archive.recordProof({ circuitId: "c", backend: "plonk" as "sp1", proof: {}, publicSignals: [] }))).toBe("ARCHIVE_RECORD_INVALID");
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(codeOf(() => archive.recordProof({ circuitId: "c", backend: "sp1", proof: cyclic, publicSignals: [] }))).toBe("ARCHIVE_RECORD_INVALID");
    expect(codeOf(() => archive.recordTransaction({ chainId: -1, txHash: hex(32), kind: "k", status: "submitted" }))).toBe("ARCHIVE_RECORD_INVALID");
    expect(codeOf(() => archive.recordTransaction({ chainId: 1, txHash: hex(32), kind: "k", status: "pending" as "submitted" }))).toBe("ARCHIVE_RECORD_INVALID");
    expect(codeOf(() => archive.recordKeyRelease({ decision: "refused", reasonCodes: [] }))).toBe("ARCHIVE_RECORD_INVALID");
    expect(codeOf(() => archive.recordKeyRelease({ decision: "released", reasonCodes: ["not a code"] }))).toBe("ARCHIVE_RECORD_INVALID");
    expect(codeOf(() => archive.recordReceipt({ programId: hex(32), inputDigest: hex(32), outputDigest: hex(32), proofDigest: hex(32), issuedAt: 2n ** 63n, nonce: hex(32), signer: hex(20), signature: hex(65) }))).toBe("ARCHIVE_RECORD_INVALID");
    expect(codeOf(() => archive.list("evidence", { where: { evidence: "0x00" } }))).toBe("ARCHIVE_RECORD_INVALID");
    expect(codeOf(() => archive.list("nope" as "evidence"))).toBe("ARCHIVE_RECORD_INVALID");
    expect(codeOf(() => archive.list("evidence", { limit: 0 }))).toBe("ARCHIVE_RECORD_INVALID");
    // Nothing partial was written by the refused calls.
    expect(archive.count("evidence")).toBe(1);
    expect(archive.count("appraisals")).toBe(0);
  });

  it("never stores a witness: an extra witness field is dropped and its bytes are nowhere in the files", () => {
    const marker = `witness-marker-${randomBytes(8).toString("hex")}`;
    archive.recordProof({ circuitId: "membership", backend: "groth16", proof: { pi_a: [] }, publicSignals: ["1"], witness: { secret: marker } } as never);
    archive.close();
    for (const name of readdirSync(dir)) {
      expect(readFileSync(join(dir, name)).includes(Buffer.from(marker)), name).toBe(false);
    }
    const db = new DatabaseSync(join(dir, "archive.sqlite"), { readOnly: true });
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((row) => String(row.name));
    for (const table of tables) {
      const columns = db.prepare(`PRAGMA table_info(${table})`).all().map((row) => String(row.name));
      expect(columns.filter((column) => /witness/i.test(column)), table).toEqual([]);
    }
    db.close();
    archive = openArchive(join(dir, "archive.sqlite"));
  });

  it("reopens with data intact and without migrating twice", () => {
    const stored = archive.recordEvidence({ evidence: randomBytes(16) });
    archive.close();
    archive = openArchive(join(dir, "archive.sqlite"));
    expect(archive.get("evidence", stored.id)).toEqual(stored);
    const db = new DatabaseSync(join(dir, "archive.sqlite"), { readOnly: true });
    expect(db.prepare("SELECT COUNT(*) AS n FROM schema_migrations").get()).toEqual(expect.objectContaining({ n: 1 }));
    db.close();
  });

  it("refuses a file at a newer schema version, a non-database file and an unwritable path", () => {
    archive.close();
    const path = join(dir, "archive.sqlite");
    const db = new DatabaseSync(path);
    db.prepare("INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)").run(LATEST_SCHEMA_VERSION + 1, "future", 0);
    db.close();
    expect(codeOf(() => openArchive(path))).toBe("ARCHIVE_UNAVAILABLE");

    const junk = join(dir, "junk.sqlite");
    writeFileSync(junk, Buffer.alloc(8192, 0x41));
    expect(codeOf(() => openArchive(junk))).toBe("ARCHIVE_UNAVAILABLE");
    expect(codeOf(() => openArchive(join(dir, "no", "such", "dir", "a.sqlite")))).toBe("ARCHIVE_UNAVAILABLE");
    expect(codeOf(() => openArchive(""))).toBe("ARCHIVE_UNAVAILABLE");
    if (process.getuid?.() !== 0) {
      const locked = join(dir, "locked");
      mkdirSync(locked);
      chmodSync(locked, 0o500);
      expect(codeOf(() => openArchive(join(locked, "a.sqlite")))).toBe("ARCHIVE_UNAVAILABLE");
    }
    archive = openArchive(":memory:");
  });

  it("fails writes after close with ARCHIVE_WRITE_FAILED, and close is idempotent", () => {
    archive.close();
    archive.close();
    expect(codeOf(() => archive.recordEvidence({ evidence: randomBytes(4) }))).toBe("ARCHIVE_WRITE_FAILED");
    archive = openArchive(":memory:");
  });
});

describe("exportJsonLines", () => {
  it("writes a header and every record as one JSON object per line, honouring backpressure", async () => {
    const evidence = archive.recordEvidence({ evidence: randomBytes(64), claims, recordedAt: new Date(1) });
    for (let i = 0; i < 50; i++) {
      archive.recordProof({ circuitId: "membership", backend: "groth16", proof: { n: i, pad: "x".repeat(200) }, publicSignals: [String(i)], recordedAt: new Date(10 + i) });
    }
    archive.recordTransaction({ chainId: 2n ** 40n, txHash: hex(32), kind: "register", status: "confirmed", subjectId: evidence.id, blockNumber: 9007199254740993n });
    // A tiny buffer that is drained slowly forces write() to return false and the export to wait for "drain".
    const sink = new PassThrough({ highWaterMark: 64 });
    const chunks: Buffer[] = [];
    let drained = false;
    const reader = (async () => {
      for await (const chunk of sink) {
        chunks.push(chunk as Buffer);
        await new Promise((resolve) => setImmediate(resolve));
      }
      drained = true;
    })();
    const result = await archive.exportJsonLines(sink);
    sink.end();
    await reader;
    expect(drained).toBe(true);
    const lines = Buffer.concat(chunks).toString("utf8").trimEnd().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(result.records).toBe(52);
    expect(lines).toHaveLength(53);
    expect(lines[0]).toMatchObject({ format: "teezk-archive", formatVersion: 1, schemaVersion: LATEST_SCHEMA_VERSION });
    expect(lines[1]).toMatchObject({ table: "evidence", record: { id: evidence.id, evidenceSha256: evidence.evidenceSha256 } });
    expect(lines.slice(2, 52).map((line) => (line.record as { proof: { n: number } }).proof.n)).toEqual([...Array(50).keys()]);
    expect(lines[52]).toMatchObject({ table: "transactions", record: { chainId: String(2n ** 40n), blockNumber: "9007199254740993" } });
  });
});
