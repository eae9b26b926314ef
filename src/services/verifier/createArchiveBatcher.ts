import { TeezkError } from "../../errors/index.js";
import type { Archive } from "../../store/index.js";

export type ArchiveBatcher = {
  /**
   * Queues `write` (synchronous `record*` calls for one decision) and resolves with its result once it is
   * committed — durable, since the archive commits with synchronous = FULL. Rejects with the write's own error,
   * or ARCHIVE_WRITE_FAILED when the batch's commit fails (then nothing of the batch was recorded).
   */
  record: <T>(write: (archive: Archive) => T) => Promise<T>;
  /** Transactions committed so far (each one fsync). */
  readonly commits: number;
};
export type CreateArchiveBatcherParameters = {
  archive: Archive;
  maxBatch?: number;
  /**
   * Requests in flight that may still queue a decision (the service's admission gate's count, which includes the
   * ones already queued). With it, a batch is committed once every one of them has queued its decision — the
   * event loop has nothing else to do while the commit's fsync blocks it — or after `maxWaitMs`; without it, at
   * the next turn of the loop.
   */
  pending?: () => number;
  /** Longest a queued decision waits for the others in flight (ms); default DEFAULT_MAX_WAIT_MS. */
  maxWaitMs?: number;
};
export type CreateArchiveBatcherReturnType = ArchiveBatcher;

type Pending = { write: (archive: Archive) => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void };

const DEFAULT_MAX_BATCH = 256;
/** A request that fails before it decides (malformed body, skewed time) holds back a batch at most this long. */
export const DEFAULT_MAX_WAIT_MS = 2;

/**
 * Group commit for a service's archive. Each `record*` call of the archive is its own fsynced transaction, and
 * node:sqlite runs it on the event loop, so a node that recorded every decision's rows one by one would spend
 * most of its time waiting on fsync. Decisions are written together in one transaction: one fsync per batch, and
 * still no answer before its decision is on disk. With `pending`, the batch waits until every request in flight
 * has queued its decision, so concurrent requests that arrive a little apart share one fsync instead of
 * committing one by one while the others are still verifying. A write that throws is isolated: the batch is
 * retried one decision per transaction, so the others still commit and the failing one leaves nothing behind.
 */
export function createArchiveBatcher({ archive, maxBatch = DEFAULT_MAX_BATCH, pending, maxWaitMs = DEFAULT_MAX_WAIT_MS }: CreateArchiveBatcherParameters): CreateArchiveBatcherReturnType {
  let queue: Pending[] = [];
  let scheduled = false;
  let deadline: NodeJS.Timeout | undefined;
  let commits = 0;

  const commit = <T>(fn: () => T): T => {
    const result = archive.transaction(fn);
    commits += 1;
    return result;
  };

  const flush = () => {
    scheduled = false;
    if (deadline) clearTimeout(deadline);
    deadline = undefined;
    const batch = queue.slice(0, maxBatch);
    queue = queue.slice(batch.length);
    if (queue.length > 0) schedule();
    if (batch.length === 0) return;
    let results: unknown[];
    try {
      results = commit(() => batch.map((entry) => entry.write(archive)));
    } catch (error) {
      if (batch.length > 1 && !isCommitFailure(error)) {
        // Some decision's own write failed: give each its own transaction so only that one fails.
        for (const entry of batch) {
          try {
            entry.resolve(commit(() => entry.write(archive)));
          } catch (single) {
            entry.reject(single);
          }
        }
        return;
      }
      for (const entry of batch) entry.reject(error);
      return;
    }
    batch.forEach((entry, index) => entry.resolve(results[index]));
  };
  const schedule = () => {
    if (scheduled) return;
    if (pending && queue.length < Math.min(maxBatch, pending())) {
      // Others in flight are still verifying: commit when they have queued too, or at the deadline.
      deadline ??= setTimeout(flush, maxWaitMs);
      return;
    }
    scheduled = true;
    setImmediate(flush);
  };

  return {
    record: <T>(write: (archive: Archive) => T) =>
      new Promise<T>((resolve, reject) => {
        queue.push({ write, resolve: resolve as (value: unknown) => void, reject });
        schedule();
      }),
    get commits() {
      return commits;
    },
  };
}

/** A failed BEGIN/COMMIT (disk, lock) fails the whole batch; a record's own validation error does not. */
function isCommitFailure(error: unknown): boolean {
  return error instanceof TeezkError && error.code === "ARCHIVE_WRITE_FAILED";
}
