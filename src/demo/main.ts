import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { describeError } from "./createStepRecorder.js";
import { formatDemoStep, formatDemoSummary } from "./formatDemoSummary.js";
import { runDemoFlow } from "./runDemoFlow.js";
import { showRealEvidence } from "./showRealEvidence.js";
import { openArchive } from "../store/index.js";

const USAGE = `npm run demo [-- --evidence | --flow] [--archive <file.sqlite>]

  (default)   both parts: real evidence from four vendors, then the end-to-end job on loopback
  --evidence  only part 1: every real fixture verified against the pinned vendor roots
  --flow      only part 2: chain, verifier and prover nodes, delegation, receipts, roots, escape hatch
  --archive   where the SQLite archive goes (default .teezk/demo/<time>/archive.sqlite)`;

/**
 * `npm run demo`. Part 1 shows real evidence (src/demo/showRealEvidence.ts); part 2 is the main job
 * (src/demo/runDemoFlow.ts). Exits 1 when any check or step fails, 2 on a usage error.
 */
async function main(): Promise<void> {
  let options: { evidence?: boolean; flow?: boolean; archive?: string; help?: boolean };
  try {
    options = parseArgs({
      options: { evidence: { type: "boolean" }, flow: { type: "boolean" }, archive: { type: "string" }, help: { type: "boolean", short: "h" } },
    }).values;
  } catch (error) {
    print(`${describeError(error)}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (options.help) return print(USAGE);
  const both = !options.evidence && !options.flow;
  let failed = false;

  if (options.evidence || both) {
    print("teezk demo — part 1: real evidence from four vendors, verified against pinned vendor roots\n");
    const failures = showRealEvidence(print);
    if (failures > 0) {
      print(`\n✗ ${failures} evidence check(s) failed`);
      failed = true;
    }
  }

  if (options.flow || both) {
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    const archivePath = resolve(options.archive ?? `.teezk/demo/${stamp}/archive.sqlite`);
    print(`${both ? "\n" : ""}teezk demo — part 2: the main job, end to end (in-process chain, 3 verifier + 3 prover nodes on loopback)\n`);
    const result = await runDemoFlow({ archivePath, onStep: (step) => print(formatDemoStep(step)) });
    const archive = openArchive(result.archivePath);
    try {
      print(`\n${formatDemoSummary({ steps: result.steps, archivePath: result.archivePath, archive })}`);
    } finally {
      archive.close();
    }
    if (!result.ok) failed = true;
  }
  if (failed) process.exitCode = 1;
}

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

main().catch((error: unknown) => {
  print(`✗ ${describeError(error)}`);
  process.exitCode = 1;
});
