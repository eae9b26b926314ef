import { describe, expect, it } from "vitest";
import { createStepRecorder } from "../../src/demo/createStepRecorder.js";
import { expectRefusal } from "../../src/demo/expectRefusal.js";
import { formatDemoStep, formatDemoSummary } from "../../src/demo/formatDemoSummary.js";
import { isTeezkError, TeezkError } from "../../src/errors/index.js";

const reverted = (reason: string) => Promise.reject(new TeezkError("CHAIN_CALL_FAILED", "reverted", { details: reason }));

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isTeezkError(error)) return error.code;
    throw error;
  }
  return "no error";
}

describe("demo refusal steps", () => {
  it("pass only when the expected check refused: an acceptance or another refusal fails the step", async () => {
    expect(await expectRefusal(reverted("EnclaveNotLive(0x1, 0x2)"), /^EnclaveNotLive\(/)).toBe("EnclaveNotLive(0x1, 0x2)");
    expect(await expectRefusal(Promise.reject(new TeezkError("NONCE_REPLAYED", "used")), /^NONCE_REPLAYED$/)).toBe("NONCE_REPLAYED");
    expect(await codeOf(expectRefusal(Promise.resolve("0xenclave"), /^EnclaveNotLive\(/))).toBe("DEMO_EXPECTATION_FAILED");
    expect(await codeOf(expectRefusal(reverted("ProofDigestMismatch(0x1, 0x2)"), /^InvalidGroth16Proof\(/))).toBe("DEMO_EXPECTATION_FAILED");
    expect(await codeOf(expectRefusal(Promise.reject(new Error("socket hang up")), /^EnclaveNotLive\(/))).toBe("DEMO_EXPECTATION_FAILED");
  });

  it("a failed step is recorded with its code and rethrown; the summary marks it and names where the flow stopped", async () => {
    const recorder = createStepRecorder();
    expect(await recorder.run("one", "first step", async () => 7, (n) => `got ${n}`)).toBe(7);
    await expect(recorder.run("two", "second step", () => reverted("ContractHalted()"))).rejects.toThrow(/reverted/);
    const [one, two] = recorder.steps;
    expect(one).toMatchObject({ id: "one", ok: true, detail: "got 7", gasUsed: 0n, transactions: 0 });
    expect(two).toMatchObject({ id: "two", ok: false });
    expect(two!.error).toBe("CHAIN_CALL_FAILED: reverted (ContractHalted())");
    expect(formatDemoStep(one!)).toMatch(/^✓ first step {2}\[no tx, \d+ ms\]\n {4}got 7$/);
    expect(formatDemoStep(two!)).toMatch(/^✗ second step .*\n {4}FAILED CHAIN_CALL_FAILED/);
    const summary = formatDemoSummary({ steps: recorder.steps, archivePath: "/tmp/a.sqlite" });
    expect(summary).toMatch(/^✗ +two/m);
    expect(summary).toContain("1 step(s) failed: two; the flow stopped there.");
  });
});
