import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setImmediate as nextTurn } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createArchiveBatcher } from "../../src/services/verifier/createArchiveBatcher.js";
import { openArchive, type Archive } from "../../src/store/index.js";

/**
 * The verifier node's group commit waits for every request in flight (its admission gate's count) before it
 * commits, so decisions of concurrent requests that finish verifying a few loop turns apart share one fsync.
 */
describe("createArchiveBatcher with the requests in flight", () => {
  let dir: string;
  let archive: Archive;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "teezk-batcher-"));
    archive = openArchive(join(dir, "archive.sqlite"));
  });
  afterAll(() => {
    archive.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const decision = (byte: number) => (into: Archive) => into.recordEvidence({ evidence: new Uint8Array([0, byte]), source: "batcher-test" }).id;

  /** Eight decisions queued one loop turn apart, as eight requests finishing their verifications one after another. */
  async function eightStaggered(pending?: () => number) {
    const batcher = createArchiveBatcher({ archive, ...(pending ? { pending, maxWaitMs: 10_000 } : {}) });
    const before = archive.count("evidence");
    const answers: Promise<string>[] = [];
    for (let i = 0; i < 8; i++) {
      answers.push(batcher.record(decision(i)));
      await nextTurn();
    }
    const ids = await Promise.all(answers);
    return { commits: batcher.commits, ids, recorded: archive.count("evidence") - before };
  }

  it("commits eight staggered decisions of eight requests in flight in one transaction (one fsync), every one of them durable before its answer", async () => {
    const { commits, ids, recorded } = await eightStaggered(() => 8);
    expect(recorded).toBe(8);
    expect(ids.every((id) => archive.get("evidence", id) !== undefined)).toBe(true);
    // Before: a commit at every loop turn that queued something — eight fsyncs on the event loop.
    expect(commits).toBe(1);
  });

  it("without the in-flight count it commits at the next loop turn, as before", async () => {
    const { commits, recorded } = await eightStaggered();
    expect(recorded).toBe(8);
    expect(commits).toBe(8);
  });

  it("a request that fails before it decides holds its batch back only until the deadline", async () => {
    const batcher = createArchiveBatcher({ archive, pending: () => 2, maxWaitMs: 5 });
    // Two requests in flight; only one ever queues a decision (the other was malformed and answered without one).
    const id = await batcher.record(decision(42));
    expect(archive.get("evidence", id)).toBeDefined();
    expect(batcher.commits).toBe(1);
  });

  it("commits at once when the only request in flight queues its decision (no added wait when idle)", async () => {
    const batcher = createArchiveBatcher({ archive, pending: () => 1, maxWaitMs: 60_000 });
    // The deadline is a minute, past the test's own timeout: an answer at all means the batch did not wait for it.
    await batcher.record(decision(43));
    expect(batcher.commits).toBe(1);
  });
});
