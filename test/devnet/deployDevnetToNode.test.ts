import { createServer, type Server } from "node:http";
import { isAddressEqual, keccak256, toHex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildAllowMeasurementCalls, enclaveRegistryAbi, measurementRegistryAbi, multiProverRootsAbi, ROLE_IDS, tcbStatusBitmap } from "../../src/chain/index.js";
import { deployDevnetToNode, devAccount, type DeployDevnetToNodeReturnType } from "../../src/devnet/index.js";
import { rejection } from "../support/rejection.js";
import { ANVIL_DEV_KEY, startAnvil, type Anvil } from "../support/startAnvil.js";

const PROGRAM_ID = keccak256(toHex("teezk devnet-on-a-node test program"));
/** Development methods a real network does not offer: the proxy answers them as such a node does. */
const DEV_METHODS = /^(evm_|anvil_|hardhat_)/;

/**
 * A JSON-RPC proxy in front of anvil that refuses evm_increaseTime, evm_mine and every other development method
 * with -32601 "method not found", as a public network's node does; all else is forwarded.
 */
async function startRealNodeProxy(upstream: string): Promise<{ url: string; refused: string[]; close: () => Promise<void> }> {
  const refused: string[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", async () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const call = JSON.parse(body) as { id: number; method: string };
      response.setHeader("content-type", "application/json");
      if (DEV_METHODS.test(call.method)) {
        refused.push(call.method);
        response.end(JSON.stringify({ jsonrpc: "2.0", id: call.id, error: { code: -32601, message: `the method ${call.method} does not exist/is not available` } }));
        return;
      }
      const answer = await fetch(upstream, { method: "POST", headers: { "content-type": "application/json" }, body });
      response.end(await answer.text());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, refused, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe("deployDevnetToNode on a node without development methods (anvil mining every second behind a proxy that refuses evm_*)", () => {
  let anvil: Anvil | undefined;
  let proxy: Awaited<ReturnType<typeof startRealNodeProxy>> | undefined;
  let devnet: DeployDevnetToNodeReturnType;

  beforeAll(async () => {
    // Interval mining: every transaction waits in the pool for the next block, so nonces and receipts are handled
    // the way a public network needs (pending nonce, polling until mined), not by anvil's instant automine.
    anvil = await startAnvil({ blockTime: 1 });
    proxy = await startRealNodeProxy(anvil.rpcUrl);
    devnet = await deployDevnetToNode({
      rpcUrl: proxy.url,
      privateKey: ANVIL_DEV_KEY,
      committee: [devAccount("node test committee 0").address, devAccount("node test committee 1").address],
      programId: PROGRAM_ID,
      timelockDelay: 3n,
    });
  });
  afterAll(async () => {
    await proxy?.close();
    await anvil?.stop();
  });

  it("deploys through deployTeezk with interval mining: 26 transactions with sequential nonces, each awaited in its own block", async () => {
    const { publicClient } = devnet.clients;
    const sent = await publicClient.getTransactionCount({ address: devnet.clients.walletClient.account.address });
    // Thirteen contracts (the rollup's Groth16 verifier and RollupRootProofVerifier, deployTeezk's seven, the two
    // membership contracts, TeeAndZkQuorumRoots and its own RollupRootProofVerifier), eleven wiring calls, and the
    // timelock proposal (schedule, execute) making TeeAndZkQuorumRoots an enclave remover.
    expect(sent).toBe(26);
    expect((await publicClient.getBlockNumber({ cacheTime: 0 })) - devnet.startBlock).toBeGreaterThanOrEqual(26n);
    for (const [name, address] of Object.entries(devnet.addresses)) expect((await publicClient.getCode({ address }))?.length ?? 0, name).toBeGreaterThan(2);
  });

  it("adds TeeAndZkQuorumRoots (ZK required) with its own rollup ZK leg, an enclave remover through the timelock", async () => {
    const { publicClient } = devnet.clients;
    const { enclaveRegistry, teeAndZkRoots, teeAndZkRootProofVerifier, rootProofVerifier } = devnet.addresses;
    expect(await publicClient.readContract({ address: teeAndZkRoots, abi: multiProverRootsAbi, functionName: "zkRequired" })).toBe(true);
    const zkLeg = await publicClient.readContract({ address: teeAndZkRoots, abi: multiProverRootsAbi, functionName: "rootProofVerifier" });
    expect(isAddressEqual(zkLeg, teeAndZkRootProofVerifier)).toBe(true);
    expect(isAddressEqual(zkLeg, rootProofVerifier)).toBe(false);
    expect(await publicClient.readContract({ address: enclaveRegistry, abi: enclaveRegistryAbi, functionName: "hasRole", args: [ROLE_IDS.ENCLAVE_REMOVER_ROLE, teeAndZkRoots] })).toBe(true);
  });

  it("governance waits out the timelock delay on the node's own blocks when it cannot move time, then executes", async () => {
    const measurement = keccak256(toHex("a measurement allowed by a real-time timelock wait"));
    const calls = buildAllowMeasurementCalls({
      measurementRegistry: devnet.addresses.measurementRegistry,
      programId: PROGRAM_ID,
      teeType: 3,
      measurement,
      policy: { acceptedTcbStatuses: tcbStatusBitmap(["UP_TO_DATE"]), minSvn: 0, maxEvidenceAge: 3600n },
    });
    const before = (await devnet.chainNow()).getTime();
    await devnet.govern(calls);
    expect((await devnet.chainNow()).getTime() - before).toBeGreaterThanOrEqual(3000);
    expect(proxy!.refused).toContain("evm_increaseTime");
    const allowed = await devnet.clients.publicClient.readContract({ address: devnet.addresses.measurementRegistry, abi: measurementRegistryAbi, functionName: "isAllowed", args: [PROGRAM_ID, 3, measurement] });
    expect(allowed).toBe(true);
  });

  it("a 7-day jump is refused in one line (CHAIN_METHOD_UNSUPPORTED), not waited for", async () => {
    const error = await rejection(devnet.increaseTime(7n * 24n * 3600n));
    expect(error.code).toBe("CHAIN_METHOD_UNSUPPORTED");
    expect(error.shortMessage).toBe("Advancing the chain's clock (evm_increaseTime): the method evm_increaseTime does not exist/is not available");
    expect(error.message.length).toBeLessThan(400);
  });
});
