import type { Hex } from "viem";
import { multiProverRootsAbi, proposeRoot, submitZkRoot, type RootSignature } from "../../chain/index.js";
import { TeezkError } from "../../errors/index.js";
import { rootToHex } from "../../rollup/index.js";
import type { DemoFlowStep } from "../demoContext.js";
import { createDemoRollup, previousRootHex } from "../demoRollup.js";
import { expectRefusal } from "../expectRefusal.js";

/**
 * The deployment that requires ZK as well (TeeAndZkQuorumRoots): the TDX and Nitro sequencer enclaves execute
 * epochs 1 and 2 themselves and sign the roots they computed for this contract, and each root finalizes only with
 * those signatures AND the real Groth16 proof of its transition, in one transaction. Refused on the way: the
 * signatures alone, the proof alone (or with one vendor), a valid proof of epoch 2 while this contract has not
 * finalized its previous root, and epoch 1's proof replayed for epoch 2.
 *
 * Order: before the rollup roots steps, whose escape hatch moves the chain 7 days on and so lets the sequencers'
 * registrations lapse. The proofs are the run's shared ones (context.rollupProofs): the roots steps reuse them.
 */
export const teeAndZkRootStep: DemoFlowStep = async (recorder, { devnet, rollupSigners, rollupProofs }) => {
  const roots = devnet.addresses.teeAndZkRoots;
  const domain = { chainId: devnet.chainId, verifyingContract: roots };
  const rollup = createDemoRollup(rollupSigners);
  const honest = [rollup.sequencers.tdx, rollup.sequencers.nitro];
  const rootOf = (epoch: bigint) => rootToHex(rollup.states[Number(epoch)]!.root);
  const signaturesOf = async (epoch: bigint): Promise<RootSignature[]> => {
    const signatures: RootSignature[] = [];
    for (const sequencer of honest) {
      sequencer.execute({ epoch, previousRoot: previousRootHex(rollup, epoch), batch: rollup.batchOf(epoch) });
      signatures.push(await sequencer.signRoot({ epoch, root: rootOf(epoch), roots: domain }));
    }
    return signatures;
  };

  await recorder.run(
    "tee-and-zk-roots",
    "TEE + ZK roots (TeeAndZkQuorumRoots: two vendors AND a Groth16 proof): the TDX and Nitro sequencers sign epochs 1 and 2, each finalized with its real proof in one transaction",
    async () => {
      const [root1, root2] = [rootOf(1n), rootOf(2n)];
      const [signatures1, signatures2] = [await signaturesOf(1n), await signaturesOf(2n)];
      const [proof1, proof2] = [await rollupProofs(1n, root1), await rollupProofs(2n, root2)];
      const submit = (epoch: bigint, root: Hex, signatures: readonly RootSignature[], zkProof?: Hex) =>
        proposeRoot({ ...devnet.clients, roots, epoch, root, signatures, ...(zkProof ? { zkProof } : {}) });
      const refused = {
        teeOnly: await expectRefusal(submit(1n, root1, signatures1), /^InsufficientQuorum\(2, 2, false\)$/),
        zkOnly: await expectRefusal(submit(1n, root1, [], proof1), /^InsufficientQuorum\(0, 2, true\)$/),
        oneVendorAndZk: await expectRefusal(submit(1n, root1, signatures1.slice(0, 1), proof1), /^InsufficientQuorum\(1, 2, true\)$/),
        escapeHatch: await expectRefusal(submitZkRoot({ ...devnet.clients, roots, epoch: 1n, root: root1, zkProof: proof1 }), /^EscapeHatchClosed\(/),
        // Epoch 2's proof is valid, but from root 1, which this contract has not finalized yet.
        unfinalizedPrevious: await expectRefusal(submit(2n, root2, signatures2, proof2), /^InvalidZkProof\(2, /),
      };
      const epoch1 = await submit(1n, root1, signatures1, proof1);
      // Its public signals are [root1, genesis, 1]; for epoch 2 the contract asks [root2, root1, 2].
      const replayedProof = await expectRefusal(submit(2n, root2, signatures2, proof1), /^InvalidZkProof\(2, /);
      const epoch2 = await submit(2n, root2, signatures2, proof2);
      for (const [epoch, root] of [[1n, root1], [2n, root2]] as const) {
        const read = await devnet.clients.publicClient.readContract({ address: roots, abi: multiProverRootsAbi, functionName: "finalizedRoot", args: [epoch] });
        if (read !== root) throw new TeezkError("DEMO_EXPECTATION_FAILED", `TeeAndZkQuorumRoots reads ${read} for epoch ${epoch}, not the root its quorum and proof finalized`);
      }
      return { epoch1, epoch2, root1, refused: { ...refused, replayedProof } };
    },
    ({ epoch1, epoch2, root1, refused }) =>
      [
        `epoch 1 root ${root1.slice(0, 10)}… by ${epoch1.vendors.join(" + ")} + Groth16 (${epoch1.gasUsed.toLocaleString("en-US")} gas), epoch 2 likewise (${epoch2.gasUsed.toLocaleString("en-US")} gas);`,
        `refused: signatures without the proof ${refused.teeOnly}, the proof without signatures ${refused.zkOnly} (one vendor ${refused.oneVendorAndZk}, escape hatch ${refused.escapeHatch.split("(")[0]}),`,
        `epoch 2's proof before its previous root was final here ${refused.unfinalizedPrevious.split("(")[0]}, epoch 1's proof replayed for epoch 2 ${refused.replayedProof.split("(")[0]}`,
      ].join(" "),
  );
};
