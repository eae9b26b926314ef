import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe } from "vitest";
import { runDemoFlow } from "../../src/demo/runDemoFlow.js";
import { demoOutcomeTests, demoRunOf, EXPECTED_STEPS, type DemoRun } from "./support/demoOutcomeTests.js";

describe("npm run demo: the main job end to end (loopback HTTP nodes, in-process chain)", () => {
  let run: DemoRun | undefined;

  beforeAll(async () => {
    const archivePath = join(mkdtempSync(join(tmpdir(), "teezk-e2e-")), "archive.sqlite");
    const result = await runDemoFlow({ archivePath, keepOpen: true });
    run = demoRunOf(result);
    // Above the 5-minute hook default: the roots steps make three real rollup proofs (2^16 Groth16 each).
  }, 15 * 60_000);
  afterAll(async () => {
    await run?.context.close();
  });

  demoOutcomeTests({ run: () => run!, expectedSteps: EXPECTED_STEPS, delegations: 1 });
});
