import { mkdirSync, writeFileSync } from "node:fs";
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
  async () => (await import("./contracts.js")).contractsBench,
  async () => (await import("./verifierLoad.js")).verifierLoadBench,
];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const rows: BenchRow[] = [];
  for (const load of suites) {
    const suite = await load();
    if (only.length > 0 && !only.includes(suite.name)) continue;
    process.stderr.write(`bench: ${suite.name}…\n`);
    rows.push(...(await suite.run()));
  }
  const table = renderTable(rows);
  process.stdout.write(`${table}\n`);
  const here = dirname(fileURLToPath(import.meta.url));
  mkdirSync(here, { recursive: true });
  writeFileSync(join(here, "results.json"), `${JSON.stringify(rows, null, 2)}\n`);
  writeFileSync(
    join(here, "RESULTS.md"),
    [
      "# Benchmark results",
      "",
      `Written by \`npm run bench\` on ${new Date().toISOString()} (${process.platform}, Node ${process.version}, ${(await import("node:os")).cpus().length} cores).`,
      "Times are warm p50/p95 over repeated runs in one process; gas is measured from real transactions on the in-process Hardhat chain (EDR, osaka).",
      "",
      table,
      "",
    ].join("\n"),
  );
}

function renderTable(rows: BenchRow[]): string {
  const header = ["operation", "value", "unit", "anchor", "target"];
  const body = rows.map((row) => [row.name, formatValue(row.value), row.unit, row.anchor ?? "", row.target ?? ""]);
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
