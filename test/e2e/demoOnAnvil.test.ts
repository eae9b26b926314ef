import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPublicClient, http, keccak256, toHex, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { measurementRegistryAbi } from "../../src/chain/index.js";
import { DEMO_STEPS, runDemoFlow, type DemoFlowStep } from "../../src/demo/runDemoFlow.js";
import { privateProofStep } from "../../src/demo/steps/delegationSteps.js";
import { TeezkError } from "../../src/errors/index.js";
import { runCli } from "../cli/support/runCli.js";
import { membershipFixture } from "../prover/membershipFixture.js";
import { ANVIL_DEV_KEY, startAnvil, type Anvil } from "../support/startAnvil.js";
import { demoOutcomeTests, demoRunOf, EXPECTED_STEPS, type DemoRun } from "./support/demoOutcomeTests.js";

/** The variable `teezk delegate --submit` reads its key from in this test (never argv). */
const KEY_ENV = "TEEZK_ANVIL_TEST_KEY";
const CLI_STEP = "cli-delegate-submit";
type CliSubmitted = { ok: boolean; enclaveAddress: string; submitted?: { privateProofVerifier: string; txHash: Hex; gasUsed: string; enclave: string } };

/**
 * `teezk delegate --submit` as a user runs it against the node, while the TDX enclave is still live (the demo's
 * later steps move the node's clock 7 days on): attest, seal, prove on the demo's TDX prover node, then
 * consumePrivateProof over JSON-RPC. A step of the flow, so its transaction is archived and its gas counted.
 */
function cliDelegateSubmitStep(rpcUrl: string, witnessFile: string, onResult: (result: CliSubmitted) => void): DemoFlowStep {
  return async (recorder, context) => {
    const tdx = context.provers.find((prover) => prover.vendor === "tdx")!;
    const argv = ["delegate", "--circuit", "membership", "--witness", witnessFile, "--prover", tdx.url, "--allow-dev-roots", "--submit", "--json"];
    const chainFlags = ["--rpc-url", rpcUrl, "--private-key-env", KEY_ENV, "--private-proof-verifier", context.devnet.addresses.privateProofVerifier];
    await recorder.run(CLI_STEP, "teezk delegate --submit over JSON-RPC (the CLI, against the node)", async () => {
      const run = await runCli([...argv, ...chainFlags]);
      if (run.code !== 0) throw new TeezkError("DEMO_EXPECTATION_FAILED", `teezk delegate --submit exited ${run.code}`, { details: `${run.out} ${run.err}`.slice(0, 600) });
      const result = JSON.parse(run.out) as CliSubmitted;
      onResult(result);
      return result;
    });
  };
}

describe("npm run demo -- --rpc-url: the main job on a separate node (anvil from node_modules, osaka) over JSON-RPC", () => {
  let anvil: Anvil | undefined;
  let run: DemoRun | undefined;
  let submitted: CliSubmitted | undefined;
  const deployer = privateKeyToAccount(ANVIL_DEV_KEY).address;

  beforeAll(async () => {
    anvil = await startAnvil();
    process.env[KEY_ENV] = ANVIL_DEV_KEY;
    const dir = mkdtempSync(join(tmpdir(), "teezk-e2e-anvil-"));
    const witnessFile = join(dir, "witness.json");
    writeFileSync(witnessFile, JSON.stringify(membershipFixture().witnessInput, (_key, value) => (typeof value === "bigint" ? value.toString() : value)));
    // The CLI's submission goes right after the demo's own, while the TDX registration is live.
    const steps = [...DEMO_STEPS];
    steps.splice(steps.indexOf(privateProofStep) + 1, 0, cliDelegateSubmitStep(anvil.rpcUrl, witnessFile, (result) => (submitted = result)));
    const result = await runDemoFlow({ archivePath: join(dir, "archive.sqlite"), keepOpen: true, node: { rpcUrl: anvil.rpcUrl, privateKey: ANVIL_DEV_KEY }, steps });
    run = demoRunOf(result);
    // Above the 5-minute hook default: the roots steps make three real rollup proofs (2^16 Groth16 each).
  }, 15 * 60_000);
  // Runs even when beforeAll failed: the node never outlives the suite.
  afterAll(async () => {
    delete process.env[KEY_ENV];
    await run?.context.close();
    await anvil?.stop();
  });

  const expectedSteps: string[] = [...EXPECTED_STEPS];
  expectedSteps.splice(expectedSteps.indexOf("private-proof") + 1, 0, CLI_STEP);
  demoOutcomeTests({ run: () => run!, expectedSteps, delegations: 2 });

  it("the gas table is anvil's: each step's gas is the sum of the node's receipts for the transactions archived under it", async () => {
    const { result, context } = run!;
    // A client of its own, not the demo's: what the node says, independently of how the demo read it.
    const node = createPublicClient({ transport: http(anvil!.rpcUrl) });
    expect(await node.getChainId()).toBe(31337);
    const transactions = context.archive.list("transactions", { limit: 1000 });
    for (const step of result.steps) {
      const receipts = await Promise.all(transactions.filter((tx) => tx.kind === step.id).map((tx) => node.getTransactionReceipt({ hash: tx.txHash as Hex })));
      expect(receipts.every((receipt) => receipt.status === "success" && receipt.from.toLowerCase() === deployer.toLowerCase()), step.id).toBe(true);
      expect(receipts.reduce((sum, receipt) => sum + receipt.gasUsed, 0n), step.id).toBe(step.gasUsed);
    }
    // The deployment went through deploy/deployTeezk.ts: eleven contracts (the rollup's ZK leg is two) and eleven
    // wiring calls; then TeeAndZkQuorumRoots with its RollupRootProofVerifier, and the timelock proposal (schedule,
    // execute) making it an enclave remover.
    expect(result.steps[0]!.transactions).toBe(26);
  });

  it("deployed through deploy/deployTeezk.ts on the node: the timelock governs and the deployer renounced governance", async () => {
    const { context } = run!;
    const { publicClient } = context.devnet.clients;
    const governor = keccak256(toHex("GOVERNOR_ROLE"));
    const hasRole = (account: Hex) =>
      publicClient.readContract({ address: context.devnet.addresses.measurementRegistry, abi: measurementRegistryAbi, functionName: "hasRole", args: [governor, account] });
    expect(await hasRole(context.devnet.addresses.timelock)).toBe(true);
    expect(await hasRole(deployer)).toBe(false);
    for (const [name, address] of Object.entries(context.devnet.addresses)) expect((await publicClient.getCode({ address }))?.length ?? 0, name).toBeGreaterThan(2);
  });

  it("teezk delegate --submit sent its proof to the node's PrivateProofVerifier over JSON-RPC, signed by the live TDX enclave", async () => {
    const { context } = run!;
    expect(submitted?.ok).toBe(true);
    expect(submitted?.submitted?.privateProofVerifier.toLowerCase()).toBe(context.devnet.addresses.privateProofVerifier.toLowerCase());
    expect(submitted?.submitted?.enclave.toLowerCase()).toBe(context.registered.tdx.enclave.toLowerCase());
    const receipt = await context.devnet.clients.publicClient.getTransactionReceipt({ hash: submitted!.submitted!.txHash });
    expect(receipt.status).toBe("success");
    expect(receipt.to?.toLowerCase()).toBe(context.devnet.addresses.privateProofVerifier.toLowerCase());
  });
});
