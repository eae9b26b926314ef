/** One row of `npm run bench`: written to bench/results.json and bench/RESULTS.md. */
export type BenchRow = {
  name: string;
  value: number;
  unit: "ms" | "gas" | "MiB" | "ratio" | "ops/s" | "count" | "gas/receipt";
  /** What the number is compared with (a published figure, the oracle in the same run). */
  anchor?: string;
  /** The target, as text (e.g. "≤ 10"). */
  target?: string;
  /** Why the row was not measured (value NaN, null in results.json): e.g. an on-demand circuit not built. */
  skipped?: string;
  /** The suite that wrote the row; set by bench/run.ts so a partial run can merge into the previous results. */
  suite?: string;
};

/** A bench module: `bench/<area>.ts` exports one of these; bench/run.ts runs them all. */
export type BenchSuite = { name: string; run: () => Promise<BenchRow[]> };

/** p50 / p95 of warm timings in ms, after `warmup` untimed calls. */
export function timeIt(fn: () => unknown, { iterations = 50, warmup = 5 } = {}): { p50: number; p95: number; samples: number[] } {
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p95: at(0.95), samples };
}
