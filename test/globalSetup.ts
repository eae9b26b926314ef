import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildCli, cliBuildProblem } from "../scripts/cli/buildCli.js";

/**
 * Compiles contracts and Solidity test doubles once, before any test worker starts. Suites that deploy contracts
 * then only read artifacts: two suites building at the same time race on Hardhat's compile cache
 * (ENOENT cache/compile-cache.json.tmp). A no-op when `npm test` has just compiled.
 *
 * Also points TMPDIR at one folder per run and removes it at the end: workers (and the CLIs tests spawn) inherit
 * it, so the temp folders that simulated collateral, archives and CLI tests create go away with the run even
 * when a worker is stopped before its own exit handlers run (hundreds were left in /tmp after a day of runs).
 *
 * And compiles the CLI when dist/cli is not the compiled form of the sources as they are, so the tests that spawn
 * bin/teezk.js run the code under test, compiled, as `npx teezk` does.
 */
export async function setup(): Promise<() => void> {
  const runTemp = mkdtempSync(join(tmpdir(), "teezk-test-run-"));
  // Like /tmp itself: tests that hand a folder to another user (PostgreSQL's initdb runs as postgres) need to
  // traverse it, and mkdtemp makes it 0700.
  chmodSync(runTemp, 0o1777);
  process.env.TMPDIR = runTemp;
  const hre = await import("hardhat");
  await hre.tasks.getTask("build").run({ quiet: true });
  if (cliBuildProblem() !== undefined) await buildCli();
  return () => rmSync(runTemp, { recursive: true, force: true });
}
