import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchRow, BenchSuite } from "./types.js";

/**
 * `npm run bench`: runs every suite, prints one table (operation, value, anchor, target) and writes
 * bench/results.json and bench/RESULTS.md. `npm run bench -- nitro tdx` runs only the named suites.
 */
const suites: Array<() => Promise<BenchSuite>> = [
  async () => (await import("./nitro.js")).nitroBench,
  async () => (await import("./tdx.js")).tdxBench,
  async () => (await import("./sevsnp.js")).sevsnpBench,
  async () => (await import("./nvidia.js")).nvidiaBench,
  async () => (await import("./zkCore.js")).zkCoreBench,
  async () => (await import("./composite.js")).compositeBench,
  async () => (await import("./prover.js")).proverBench,
  async () => (await import("./delegate.js")).delegateBench,
  async () => (await import("./differential.js")).differentialBench,
  async () => (await import("./differential.js")).differentialRollupBench,
  async () => (await import("./differential.js")).differentialSha256Bench,
  async () => (await import("./contracts.js")).contractsBench,
  async () => (await import("./verifierLoad.js")).verifierLoadBench,
  async () => (await import("./collateral.js")).collateralBench,
  async () => (await import("./rollup.js")).rollupBench,
  async () => (await import("./cli.js")).cliBench,
  async () => (await import("./console.js")).consoleBench,
  async () => (await import("./dcap.js")).dcapBench,
];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const rows: BenchRow[] = [];
  for (const load of suites) {
    const suite = await load();
    if (only.length > 0 && !only.includes(suite.name)) continue;
    process.stderr.write(`bench: ${suite.name}…\n`);
    rows.push(...(await suite.run()).map((row) => ({ ...row, suite: suite.name })));
  }
  const here = dirname(fileURLToPath(import.meta.url));
  // A partial run replaces only its suites' rows: the other suites' last results stay in the files.
  if (only.length > 0) rows.splice(0, rows.length, ...mergeRows(readPrevious(join(here, "results.json")), rows, only));
  const table = renderTable(rows);
  process.stdout.write(`${table}\n`);
  mkdirSync(here, { recursive: true });
  writeFileSync(join(here, "results.json"), `${JSON.stringify(rows, null, 2)}\n`);
  writeFileSync(
    join(here, "RESULTS.md"),
    [
      "# Benchmark results",
      "",
      `Written by \`npm run bench\` on ${new Date().toISOString()} (${process.platform}, Node ${process.version}, ${(await import("node:os")).cpus().length} cores)` +
        (only.length > 0 ? `; this run re-measured only: ${only.join(", ")} (the other rows are from earlier runs).` : "."),
      "Times are warm p50/p95 over repeated runs in one process; gas is measured from real transactions on the in-process Hardhat chain (EDR, osaka).",
      "",
      table,
      "",
    ].join("\n"),
  );
}

function readPrevious(file: string): BenchRow[] {
  if (!existsSync(file)) return [];
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
    return Array.isArray(parsed) ? (parsed as BenchRow[]) : [];
  } catch {
    return [];
  }
}

/**
 * Previous rows with the re-run suites' rows replaced by the new ones, at the place the suite's first old row
 * held (rows written before rows carried `suite` are matched by name).
 */
function mergeRows(previous: readonly BenchRow[], fresh: readonly BenchRow[], suites: readonly string[]): BenchRow[] {
  const freshNames = new Set(fresh.map((row) => row.name));
  const replaced = (row: BenchRow) => (row.suite !== undefined ? suites.includes(row.suite) : freshNames.has(row.name));
  const merged: BenchRow[] = [];
  const inserted = new Set<string>();
  for (const row of previous) {
    if (!replaced(row)) {
      merged.push(row);
      continue;
    }
    const suite = fresh.find((f) => f.name === row.name)?.suite ?? row.suite;
    if (suite !== undefined && !inserted.has(suite)) {
      merged.push(...fresh.filter((f) => f.suite === suite));
      inserted.add(suite);
    }
  }
  for (const suite of suites) if (!inserted.has(suite)) merged.push(...fresh.filter((f) => f.suite === suite));
  return merged;
}

function renderTable(rows: BenchRow[]): string {
  const header = ["operation", "value", "unit", "anchor", "target"];
  const body = rows.map((row) =>
    row.skipped !== undefined
      ? [row.name, "skipped", row.unit, row.skipped, row.target ?? ""]
      : [row.name, formatValue(row.value), row.unit, row.anchor ?? "", row.target ?? ""],
  );
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...body.map((cells) => `| ${cells.join(" | ")} |`),
  ].join("\n");
}

function formatValue(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return value >= 100 ? value.toFixed(0) : value >= 1 ? value.toFixed(2) : value.toFixed(3);
}

await main();
