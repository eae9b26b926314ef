export type RunningService = { url: string; close: () => Promise<void> };

/**
 * Keeps a `teezk serve …` command alive until SIGINT or SIGTERM (or `signal` aborts, for tests), then closes
 * the service (server first, archive last, so no acknowledged write is cut off) and resolves.
 */
export async function runUntilSignal(service: RunningService, signal?: AbortSignal): Promise<void> {
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      signal?.removeEventListener("abort", stop);
      resolve();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    if (signal?.aborted) stop();
    else signal?.addEventListener("abort", stop, { once: true });
  });
  await service.close();
}
