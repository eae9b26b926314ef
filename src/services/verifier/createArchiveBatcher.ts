import { TeezkError } from "../../errors/index.js";
import type { Archive } from "../../store/index.js";

export type ArchiveBatcher = {
  /**
   * Queues `write` (synchronous `record*` calls for one decision) and resolves with its result once it is
   * committed — durable, since the archive commits with synchronous = FULL. Rejects with the write's own error,
   * or ARCHIVE_WRITE_FAILED when the batch's commit fails (then nothing of the batch was recorded).
   */
  record: <T>(write: (archive: Archive) => T) => Promise<T>;
};
export type CreateArchiveBatcherParameters = { archive: Archive; maxBatch?: number };
export type CreateArchiveBatcherReturnType = ArchiveBatcher;

type Pending = { write: (archive: Archive) => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void };

const DEFAULT_MAX_BATCH = 256;

/**
 * Group commit for a service's archive. Each `record*` call of the archive is its own fsynced transaction, and
 * node:sqlite runs it on the event loop, so a node that recorded every decision's rows one by one would spend
 * most of its time waiting on fsync. Decisions queued while the loop was busy (verifying, or committing the
 * previous batch) are written together in one transaction at the next turn: one fsync per batch, and still no
 * answer before its decision is on disk. A write that throws is isolated: the batch is retried one decision per
 * transaction, so the others still commit and the failing one leaves nothing behind.
 */
export function createArchiveBatcher({ archive, maxBatch = DEFAULT_MAX_BATCH }: CreateArchiveBatcherParameters): CreateArchiveBatcherReturnType {
  let queue: Pending[] = [];
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    const batch = queue.slice(0, maxBatch);
    queue = queue.slice(batch.length);
    if (queue.length > 0) schedule();
    let results: unknown[];
    try {
      results = archive.transaction(() => batch.map((entry) => entry.write(archive)));
    } catch (error) {
      if (batch.length > 1 && !isCommitFailure(error)) {
        // Some decision's own write failed: give each its own transaction so only that one fails.
        for (const entry of batch) {
          try {
            entry.resolve(archive.transaction(() => entry.write(archive)));
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
    scheduled = true;
    setImmediate(flush);
  };

  return {
    record: <T>(write: (archive: Archive) => T) =>
      new Promise<T>((resolve, reject) => {
        queue.push({ write, resolve: resolve as (value: unknown) => void, reject });
        schedule();
      }),
  };
}

/** A failed BEGIN/COMMIT (disk, lock) fails the whole batch; a record's own validation error does not. */
function isCommitFailure(error: unknown): boolean {
  return error instanceof TeezkError && error.code === "ARCHIVE_WRITE_FAILED";
}
