import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import type { Address, Hex } from "viem";
import { proposeRoot, signRoot, submitZkRoot } from "../src/chain/index.js";
import { isTeezkError } from "../src/errors/index.js";
import { createGroth16Prover, resolveCircuitArtifacts } from "../src/prover/index.js";
import { applyRollupBatch, createRollupState, proveRollupBatch, rootToHex, type RollupTransfer } from "../src/rollup/index.js";
import { DEVNET_ESCAPE_DELAY } from "../src/devnet/index.js";
import { PROGRAM_ID, allowSimulatedVendors, deployTeezkSystem, registerSimulatedEnclave, testAccount } from "../test/chain/support/system.js";
import { compareGroth16Engines } from "./groth16Engines.js";
import type { BenchRow, BenchSuite } from "./types.js";

const runs = 3;
const genesis = createRollupState({ balances: [1000n, 800n, 600n, 400n] });
const batch: RollupTransfer[] = [
  { from: 0, to: 1, amount: 150n, nonce: 0 },
  { from: 1, to: 2, amount: 80n, nonce: 0 },
  { from: 2, to: 3, amount: 300n, nonce: 0 },
  { from: 3, to: 0, amount: 25n, nonce: 0 },
];

const skippedRows = (reason: string): BenchRow[] =>
  ["prove.rollup_batch.p50", "prove.rollup_batch.peak_rss", "gas.root.zk_finalize", "gas.root.tee_and_zk_finalize"].map((name) => ({
    name,
    value: Number.NaN,
    unit: name.startsWith("gas") ? "gas" : name.endsWith("p50") ? "ms" : "MiB",
    skipped: reason,
  }));

/**
 * The rollup's two provers on-chain: proving one batch (4 transfers, depth-16 tree) with the committed keys, and
 * finalizing with that proof through RollupRootProofVerifier over the generated lean verifier: the ZK escape
 * hatch alone (TeeQuorumRoots) and a TEE quorum plus ZK (TeeAndZkQuorumRoots), whole transactions.
 */
export const rollupBench: BenchSuite = {
  name: "rollup",
  run: async () => {
    let zkeyPath: string;
    try {
      zkeyPath = resolveCircuitArtifacts({ circuit: "rollup" }).zkeyPath;
    } catch (error) {
      if (!isTeezkError(error, "CIRCUIT_NOT_BUILT")) throw error;
      return skippedRows("not built (npx tsx scripts/circuits/build.ts --only=rollup; a 2^16 phase 1)");
    }
    const info = JSON.parse(readFileSync(path.join(path.dirname(zkeyPath), "build-info.json"), "utf8")) as { constraints: number; ptauPower: number };
    const size = `${info.constraints.toLocaleString("en-US")} constraints, 2^${info.ptauPower}, 4 transfers, depth-16 Poseidon tree, 3 public signals`;
    const applied = applyRollupBatch({ state: genesis, batch, epoch: 1n });
    const prover = createGroth16Prover({ timeoutMs: 30 * 60_000 });
    const rows: BenchRow[] = [];
    try {
      const loadBefore = loadavg()[0]!.toFixed(1);
      let proved = await proveRollupBatch({ prover, applied });
      const timings: number[] = [];
      let peak = 0;
      for (let i = 0; i < runs; i++) {
        proved = await proveRollupBatch({ prover, applied });
        timings.push(proved.ms);
        peak = Math.max(peak, proved.peakRssMiB ?? 0);
      }
      const load = `1-min load average ${loadBefore} before, ${loadavg()[0]!.toFixed(1)} after, on ${cpus().length} cores`;
      timings.sort((a, b) => a - b);
      rows.push(
        { name: "prove.rollup_batch.p50", value: timings[Math.floor(runs / 2)]!, unit: "ms", anchor: `${size}; ${load}`, target: `warm, p50 of ${runs} (witness + prove)` },
        { name: "prove.rollup_batch.peak_rss", value: peak, unit: "MiB", anchor: size, target: "high-water mark of the prover process" },
      );
      rows.push(...(await finalizeRows(proved.zkProof, rootToHex(applied.newRoot), size)));
    } finally {
      await prover.close();
    }
    // Issue 18: the native engine against snarkjs on this batch, alternated (rows prove.rollup.native.*).
    rows.push(...(await compareGroth16Engines("rollup", applied.witnessInput, runs)));
    return rows;
  },
};

async function finalizeRows(zkProof: Hex, root: Hex, size: string): Promise<BenchRow[]> {
  const system = await deployTeezkSystem();
  const { viem } = system.connection;
  const { nodes } = await allowSimulatedVendors(system, ["nitro", "tdx"]);
  const nitro = await registerSimulatedEnclave(system, nodes, "nitro", testAccount("bench rollup nitro"));
  const tdx = await registerSimulatedEnclave(system, nodes, "tdx", testAccount("bench rollup tdx"));
  const groth16 = await viem.deployContract("RollupGroth16VerifierLean");
  const zk = await viem.deployContract("RollupRootProofVerifier", [groth16.address, PROGRAM_ID, rootToHex(genesis.root)]);
  const deployRoots = async (name: "TeeQuorumRoots" | "TeeAndZkQuorumRoots"): Promise<Address> =>
    (await viem.deployContract(name, [system.addresses.timelock, system.addresses.enclaveRegistry, zk.address, PROGRAM_ID, 2n, DEVNET_ESCAPE_DELAY])).address;

  const teeAndZk = await deployRoots("TeeAndZkQuorumRoots");
  const domain = { chainId: system.chainId, verifyingContract: teeAndZk };
  const signatures = [await signRoot({ account: nitro.account, epoch: 1n, root, roots: domain }), await signRoot({ account: tdx.account, epoch: 1n, root, roots: domain })];
  const both = await proposeRoot({ ...system.clients, roots: teeAndZk, epoch: 1n, root, signatures, zkProof });

  const teeOnly = await deployRoots("TeeQuorumRoots");
  await system.devnet.increaseTime(DEVNET_ESCAPE_DELAY);
  const alone = await submitZkRoot({ ...system.clients, roots: teeOnly, epoch: 1n, root, zkProof });
  await system.devnet.close();
  return [
    {
      name: "gas.root.zk_finalize",
      value: Number(alone.gasUsed),
      unit: "gas",
      anchor: `MultiProverRoots.submitZkRoot (escape hatch open), whole tx incl. 21,000 intrinsic + calldata: RollupRootProofVerifier + the lean Groth16 verifier (${size}), epoch 1 from the genesis root`,
    },
    {
      name: "gas.root.tee_and_zk_finalize",
      value: Number(both.gasUsed),
      unit: "gas",
      anchor: `TeeAndZkQuorumRoots.submitRoot, whole tx: Nitro + TDX signatures and the rollup proof (${size}), epoch 1 from the genesis root`,
    },
  ];
}
