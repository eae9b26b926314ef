import { afterAll, describe, expect, it } from "vitest";
import { keccak256, toHex, type Hex } from "viem";
import { createGroth16Prover } from "../../src/prover/index.js";
import { applyRollupBatch, createRollupState, proveRollupBatch, rootToHex, type RollupTransfer } from "../../src/rollup/index.js";
import { connectWithVerifier } from "./buildVerifierArtifact.js";

const programId = keccak256(toHex("teezk rollup verifier test program"));
const genesis = createRollupState({ balances: [1000n, 500n, 250n, 0n] });
const batch: RollupTransfer[] = [
  { from: 0, to: 1, amount: 100n, nonce: 0 },
  { from: 1, to: 2, amount: 600n, nonce: 0 },
  { from: 2, to: 3, amount: 10n, nonce: 0 },
  { from: 3, to: 0, amount: 5n, nonce: 0 },
];

// The committed keys (circuits/build/rollup): this suite always runs, like membership's.
describe("RollupRootProofVerifier over the generated rollup verifiers, real proofs", () => {
  const prover = createGroth16Prover({ timeoutMs: 30 * 60_000 });
  afterAll(() => prover.close());

  it(
    "accepts epoch 1's proof from the genesis; refuses it for another root, another epoch, or over another genesis; past epoch 1 binds the caller's finalized previous root and the epoch (snarkjs and lean verifiers)",
    async () => {
      const connection = await connectWithVerifier([
        "contracts/zk/RollupGroth16Verifier.sol",
        "contracts/zk/RollupGroth16VerifierLean.sol",
        "contracts/multiprover/RollupRootProofVerifier.sol",
      ], ["test/solidity/doubles/RootsHistoryTestDouble.sol"]);
      const epoch1 = applyRollupBatch({ state: genesis, batch, epoch: 1n });
      const proved = await proveRollupBatch({ prover, applied: epoch1 });
      expect(proved.publicSignals).toEqual([epoch1.newRoot, genesis.root, 1n].map(String));
      // The same transition proven for epoch 2: a valid proof of another statement.
      const asEpoch2 = await proveRollupBatch({ prover, applied: { ...epoch1, witnessInput: { ...epoch1.witnessInput, epoch: 2n } } });
      const root = rootToHex(epoch1.newRoot);
      for (const name of ["RollupGroth16Verifier", "RollupGroth16VerifierLean"]) {
        const groth16 = await connection.viem.deployContract(name);
        const adapter = await connection.viem.deployContract("RollupRootProofVerifier", [groth16.address, programId, rootToHex(genesis.root)]);
        const otherGenesis = await connection.viem.deployContract("RollupRootProofVerifier", [groth16.address, programId, rootToHex(genesis.root + 1n)]);
        const verify = (contract: typeof adapter, epoch: bigint, claimed: Hex, proof: Hex) => contract.read.verifyRootProof!([programId, epoch, claimed, proof]);
        expect(await verify(adapter, 1n, root, proved.zkProof), name).toBe(true);
        expect(await verify(adapter, 1n, rootToHex(epoch1.newRoot + 1n), proved.zkProof), name).toBe(false);
        expect(await verify(adapter, 1n, root, asEpoch2.zkProof), name).toBe(false);
        expect(await verify(otherGenesis, 1n, root, proved.zkProof), name).toBe(false);

        // Past epoch 1 the previous root is the caller's finalized one: the proof must name it AND the epoch.
        const history = await connection.viem.deployContract("RootsHistoryTestDouble");
        const verifyAfter = async (finalized1: Hex, claimed: Hex, proof: Hex) => {
          await history.write.setFinalizedRoot!([1n, finalized1]);
          return history.read.verifyAsRoots!([adapter.address, programId, 2n, claimed, proof]);
        };
        // Epoch 1 finalized on its real root: the transition from the genesis, proven as epoch 2, is a replay.
        expect(await verifyAfter(root, root, asEpoch2.zkProof), `${name}: genesis as epoch 2's previous root`).toBe(false);
        // Epoch 1 finalized on the genesis root itself (a history where that transition is next): the statement
        // [root, genesis, 2] verifies, and the same transition proven for epoch 1 does not.
        expect(await verifyAfter(rootToHex(genesis.root), root, asEpoch2.zkProof), `${name}: control`).toBe(true);
        expect(await verifyAfter(rootToHex(genesis.root), root, proved.zkProof), `${name}: epoch 1's proof at epoch 2`).toBe(false);
      }
    },
    30 * 60_000,
  );
});
