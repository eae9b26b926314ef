import type { Archive } from "../store/index.js";
import type { DemoStep } from "./createStepRecorder.js";
import { formatTable } from "./formatTable.js";

const gas = (value: bigint) => (value === 0n ? "-" : value.toLocaleString("en-US"));
const seconds = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);
/** 32-byte values in revert details shortened, so a line stays readable. */
const shorten = (text: string) => text.replace(/0x([0-9a-fA-F]{8})[0-9a-fA-F]{56}\b/g, "0x$1…");

/** One step as it completes: the mark, the title, gas and time, then what it established or why it failed. */
export function formatDemoStep(step: DemoStep): string {
  const cost = step.transactions > 0 ? `${gas(step.gasUsed)} gas in ${step.transactions} tx` : "no tx";
  const head = `${step.ok ? "✓" : "✗"} ${step.title}  [${cost}, ${seconds(step.ms)}]`;
  const tail = step.ok ? step.detail : `FAILED ${step.error ?? ""}`;
  return tail ? `${head}\n    ${shorten(tail)}` : head;
}

export type FormatDemoSummaryParameters = {
  steps: readonly DemoStep[];
  archivePath: string;
  /** Counted per table for the closing lines. */
  archive?: Archive;
};

/** The closing table (step id, ✓/✗, gas, transactions, time) with totals, and where the archive is. */
export function formatDemoSummary({ steps, archivePath, archive }: FormatDemoSummaryParameters): string {
  const rows = [["", "step", "gas", "tx", "time"]];
  for (const step of steps) rows.push([step.ok ? "✓" : "✗", step.id, gas(step.gasUsed), String(step.transactions), seconds(step.ms)]);
  const totalGas = steps.reduce((sum, step) => sum + step.gasUsed, 0n);
  const totalTx = steps.reduce((sum, step) => sum + step.transactions, 0);
  const totalMs = steps.reduce((sum, step) => sum + step.ms, 0);
  rows.push(["", "total", gas(totalGas), String(totalTx), seconds(totalMs)]);
  const failed = steps.filter((step) => !step.ok);
  const lines = [formatTable(rows), ""];
  lines.push(failed.length === 0 ? `All ${steps.length} steps passed.` : `${failed.length} step(s) failed: ${failed.map((step) => step.id).join(", ")}; the flow stopped there.`);
  if (archive) {
    const counts = (["evidence", "appraisals", "verdicts", "proofs", "receipts", "transactions"] as const).map((table) => `${archive.count(table)} ${table}`);
    lines.push(`Archive (SQLite, schema src/store/schema.sql): ${archivePath}`, `  ${counts.join(", ")}`);
  } else {
    lines.push(`Archive: ${archivePath}`);
  }
  return lines.join("\n");
}
