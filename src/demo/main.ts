import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { describeError } from "./createStepRecorder.js";
import { formatDemoStep, formatDemoSummary } from "./formatDemoSummary.js";
import { DEMO_PRIVATE_KEY_ENV, resolveDemoNode } from "./resolveDemoNode.js";
import { runDemoFlow } from "./runDemoFlow.js";
import { serveDemoConsole, serveDemoWalletRpc, untilInterrupted } from "./serveDemoConsole.js";
import { showRealEvidence } from "./showRealEvidence.js";
import { openArchive } from "../store/index.js";

const USAGE = `npm run demo [-- --evidence | --flow] [--archive <file.sqlite>] [--rpc-url <url> [--private-key-env <NAME>]] [--console]

  (default)          both parts: real evidence from four vendors, then the end-to-end job on loopback
  --evidence         only part 1: every real fixture verified against the pinned vendor roots
  --flow             only part 2: chain, verifier and prover nodes, delegation, receipts, roots, escape hatch
  --archive          where the SQLite archive goes (default .teezk/demo/<time>/archive.sqlite)
  --rpc-url          run part 2 on this Ethereum node over JSON-RPC (e.g. anvil --hardfork osaka) instead of
                     an in-process chain; a node without evm_increaseTime waits out the 60 s timelock delay
                     and stops at the 7-day escape hatch (CHAIN_METHOD_UNSUPPORTED)
  --private-key-env  the variable holding the paying key (default ${DEMO_PRIVATE_KEY_ENV}; on chain 31337 without
                     it, the node's public first dev account)
  --console          after the flow, keep its chain and nodes running and serve the web console (prints the URL;
                     Ctrl-C stops)`;

/**
 * `npm run demo`. Part 1 shows real evidence (src/demo/showRealEvidence.ts); part 2 is the main job
 * (src/demo/runDemoFlow.ts). Exits 1 when any check or step fails, 2 on a usage error.
 */
async function main(): Promise<void> {
  let options: { evidence?: boolean; flow?: boolean; archive?: string; "rpc-url"?: string; "private-key-env"?: string; console?: boolean; help?: boolean };
  try {
    options = parseArgs({
      options: {
        evidence: { type: "boolean" },
        flow: { type: "boolean" },
        archive: { type: "string" },
        "rpc-url": { type: "string" },
        "private-key-env": { type: "string" },
        console: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
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
    const rpcUrl = options["rpc-url"];
    const node = rpcUrl ? await resolveDemoNode({ rpcUrl, ...(options["private-key-env"] ? { privateKeyEnv: options["private-key-env"] } : {}) }) : undefined;
    const chain = node ? `chain ${node.chainId} at ${new URL(node.rpcUrl).origin} over JSON-RPC` : "in-process chain";
    print(`${both ? "\n" : ""}teezk demo — part 2: the main job, end to end (${chain}, 3 verifier + 3 prover nodes on loopback)\n`);
    if (node?.usingDevKey) print(`(no ${DEMO_PRIVATE_KEY_ENV}: paying with the development node's public first account)\n`);
    const result = await runDemoFlow({
      archivePath,
      keepOpen: options.console === true,
      onStep: (step) => print(formatDemoStep(step)),
      ...(node ? { node: { rpcUrl: node.rpcUrl, privateKey: node.privateKey } } : {}),
    });
    const archive = openArchive(result.archivePath);
    try {
      print(`\n${formatDemoSummary({ steps: result.steps, archivePath: result.archivePath, archive })}`);
    } finally {
      archive.close();
    }
    if (!result.ok) failed = true;
    if (options.console && result.context) {
      const served = await serveDemoConsole(result.context, node ? { rpcUrl: node.rpcUrl } : {});
      // A browser wallet needs a node to send through: the --rpc-url one, or an endpoint onto the in-process chain.
      const walletRpc = node ? undefined : await serveDemoWalletRpc(result.context);
      print(`\nteezk console: ${served.url}  (the demo's chain and nodes keep running; Ctrl-C stops)`);
      print(`wallet RPC: ${walletRpc?.url ?? node?.rpcUrl} (chain ${result.context.devnet.chainId}; the dev accounts 0 = timelock proposer, 1 = guardian)`);
      await untilInterrupted();
      await walletRpc?.close();
      await served.close();
      await result.context.close();
    }
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
