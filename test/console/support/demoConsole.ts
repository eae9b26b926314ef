import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EIP1193Provider } from "viem";
import { runDemoFlow, type DemoContext } from "../../../src/demo/runDemoFlow.js";
import type { StartConsoleReturnType } from "../../../src/console/index.js";
import { serveDemoConsole } from "../../../src/demo/serveDemoConsole.js";
import { createSimulatedEnclave, devAccount, registerThroughCommittee, type SimulatedEnclave, type StartDevnetReturnType } from "../../../src/devnet/index.js";
import { createVerifierSigner } from "../../../src/services/verifierSigner.js";
import { DEMO_COMMITTEE_SIZE } from "../../../src/demo/startDemoNetwork.js";
import type { SimulatedVendor } from "../../../src/tee/simulated/index.js";

export type DemoConsole = {
  demo: DemoContext;
  console: StartConsoleReturnType;
  provider: EIP1193Provider;
  dir: string;
  close: () => Promise<void>;
};

/**
 * `npm run demo`'s flow on the in-process devnet, kept open, with the console served over it (its RPC proxy reads
 * the devnet's EIP-1193 provider; its archive is the one the demo's nodes wrote).
 */
export async function startDemoConsole(): Promise<DemoConsole> {
  const dir = mkdtempSync(join(tmpdir(), "teezk-console-"));
  const flow = await runDemoFlow({ archivePath: join(dir, "archive.sqlite"), keepOpen: true });
  if (!flow.ok || !flow.context) {
    await flow.context?.close();
    throw new Error(`the demo flow failed: ${flow.steps.filter((s) => !s.ok).map((s) => `${s.id}: ${s.error ?? s.detail ?? ""}`).join("; ")}`);
  }
  const demo = flow.context;
  const provider = (demo.devnet as StartDevnetReturnType).connection.provider as unknown as EIP1193Provider;
  const served = await serveDemoConsole(demo, { port: 0 });
  return {
    demo,
    console: served,
    provider,
    dir,
    close: async () => {
      await served.close();
      await demo.close();
    },
  };
}

/**
 * Registers a fresh simulated enclave at the chain's time, with verdicts from the demo committee's keys signed in
 * this process: after the demo's 7-day jump the HTTP nodes' clocks are a week behind the chain, so their verdicts
 * would be over evidence the chain finds too old.
 */
export async function registerLiveEnclave(demo: DemoContext, vendor: SimulatedVendor, label: string): Promise<SimulatedEnclave> {
  const { devnet } = demo;
  let chainTime = await devnet.chainNow();
  const enclave = await createSimulatedEnclave({ vendor, label, clock: () => chainTime, collateralParentDir: join(tmpdir(), "teezk-console-collateral") });
  const nodes = Array.from({ length: DEMO_COMMITTEE_SIZE }, (_, i) =>
    createVerifierSigner({
      account: devAccount(`demo verifier node ${i}`),
      committee: { chainId: devnet.chainId, verifyingContract: devnet.addresses.committee },
      referenceValues: demo.referenceValues,
      extraTrustedRoots: demo.trustedRoots,
    }),
  );
  await registerThroughCommittee({
    devnet,
    attest: async (nonce) => {
      chainTime = await devnet.chainNow();
      return enclave.attest(nonce);
    },
    collectVerdicts: ({ attestation, binding, now }) =>
      Promise.all(nodes.map((node) => node.attest({ evidence: attestation.evidence, now, expectedBinding: binding, ...(attestation.collateralDir ? { collateralDir: attestation.collateralDir } : {}) }))),
  });
  return enclave;
}
