import type { Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { parseReferenceValues } from "../../src/policy/index.js";
import { serveApp } from "../../src/services/http/index.js";
import { createVerifierNode } from "../../src/services/verifier/index.js";

/**
 * A verifier node that fetches its TDX collateral from a PCS (bench/collateral.ts's stand-in) and refreshes it in
 * the background, for the load-with-refresh rows. Its clock is pinned inside the first item's refresh window, so
 * every background pass is due and really refetches and re-verifies. Config: one JSON argument
 * `{ pcsUrl, cacheDir, at, measurement, checkEveryMs }`; the key comes from TEEZK_BENCH_VERIFIER_KEY. Prints
 * `{ url, address }` once listening; stops on SIGTERM.
 */
const config = JSON.parse(process.argv[2]!) as { pcsUrl: string; cacheDir: string; at: string; measurement: Hex; checkEveryMs: number };
const at = new Date(config.at);
const node = createVerifierNode({
  account: privateKeyToAccount(process.env.TEEZK_BENCH_VERIFIER_KEY as Hex),
  committee: { chainId: 31337, verifyingContract: "0x00000000000000000000000000000000be0c4001" },
  referenceValues: parseReferenceValues({
    version: 1,
    tee: { TDX: { allowedMeasurements: [config.measurement], acceptedTcbStatuses: ["UP_TO_DATE"], requiredChecks: ["tcbInfo", "qeIdentity", "pckRevocation"] } },
  }),
  collateralServices: { pcsUrl: config.pcsUrl, cacheDir: config.cacheDir },
  collateralRefresh: { checkEveryMs: config.checkEveryMs },
  clock: () => at,
});
const server = await serveApp(node.app, { host: "127.0.0.1", port: 0 });
process.stdout.write(`${JSON.stringify({ url: server.url, address: node.address })}\n`);
process.once("SIGTERM", () => {
  node.close();
  void server.close().then(() => process.exit(0));
});
