import { encodeFunctionData, type Hex } from "viem";
import { multiProverRootsAbi, proposeRoot, reportConflict, submitZkRoot } from "../chain/index.js";
import type { SimulatedEnclave } from "../devnet/index.js";
import { TeezkError } from "../errors/index.js";
import { rootToHex } from "../rollup/index.js";
import type { StepRecorder } from "./createStepRecorder.js";
import { createDemoRollup, DEMO_ROLLUP_FAULTY_BATCH, previousRootHex } from "./demoRollup.js";
import { expectRefusal } from "./expectRefusal.js";
import type { DemoNetwork } from "./startDemoNetwork.js";
import type { DemoVendor } from "./startDemoProvers.js";

export type RunRollupRootStepsParameters = {
  recorder: StepRecorder;
  devnet: DemoNetwork["devnet"];
  rollupSigners: Record<DemoVendor, SimulatedEnclave>;
  /** The ZK leg's proof that `root` is epoch `epoch`'s state root (whatever verifier the roots contract has). */
  zkProofFor: (epoch: bigint, root: Hex) => Promise<Hex>;
  /** How the ZK verifier is named in the step summary. */
  zkVerifierLabel: string;
};

/**
 * The multi-prover roots part of the demo, on a real rollup: the sequencer enclaves execute each epoch's batch
 * themselves and sign only the root they computed; the SEV-SNP enclave, fed a different batch, computes and signs
 * a conflicting root; the ZK leg settles the dispute and finalizes epochs alone while halted and after silence.
 */
export async function runRollupRootSteps({ recorder, devnet, rollupSigners, zkProofFor, zkVerifierLabel }: RunRollupRootStepsParameters): Promise<void> {
  const rootsAddress = devnet.addresses.multiProverRoots;
  const domain = { chainId: devnet.chainId, verifyingContract: rootsAddress };
  const rollup = createDemoRollup(rollupSigners);
  const { tdx, nitro, sevsnp } = rollup.sequencers;
  const rootOf = (epoch: bigint) => rootToHex(rollup.states[Number(epoch)]!.root);
  const executeHonest = (epoch: bigint) => {
    for (const sequencer of [tdx, nitro]) sequencer.execute({ epoch, previousRoot: previousRootHex(rollup, epoch), batch: rollup.batchOf(epoch) });
  };

  await recorder.run(
    "root-finalized",
    "multi-prover root: the TDX and Nitro sequencer enclaves each execute epoch 1's batch (4 transfers) and sign the root they computed → finalized by two vendors",
    async () => {
      executeHonest(1n);
      const root = rootOf(1n);
      const signatures = [await tdx.signRoot({ epoch: 1n, root, roots: domain }), await nitro.signRoot({ epoch: 1n, root, roots: domain })];
      const result = await proposeRoot({ ...devnet.clients, roots: rootsAddress, epoch: 1n, root, signatures });
      return { ...result, root };
    },
    (result) => `TEE types bitmap ${result.teeTypes}, distinct vendors ${result.vendors.join(" + ")}, root ${result.root.slice(0, 10)}… (Poseidon account tree, depth 16)`,
  );

  await recorder.run(
    "conflict-halts",
    "conflicting root: the SEV-SNP enclave, fed a different epoch-1 batch, signs the root it computed → contract halts, epoch 1 disputed, signer removed",
    async () => {
      const faulty = sevsnp.execute({ epoch: 1n, previousRoot: previousRootHex(rollup, 1n), batch: DEMO_ROLLUP_FAULTY_BATCH });
      // Asked to sign the honest root instead, it refuses: it signs only what it computed.
      const refusedHonest = await sevsnp.signRoot({ epoch: 1n, root: rootOf(1n), roots: domain }).then(
        () => "signed",
        (error: unknown) => (error as TeezkError).code,
      );
      if (refusedHonest !== "ROLLUP_ROOT_NOT_COMPUTED") throw new TeezkError("DEMO_EXPECTATION_FAILED", "a sequencer signed a root it did not compute");
      const reported = await reportConflict({ ...devnet.clients, roots: rootsAddress, epoch: 1n, root: faulty.root, signatures: [await sevsnp.signRoot({ epoch: 1n, root: faulty.root, roots: domain })] });
      if (!reported.halted) throw new TeezkError("DEMO_EXPECTATION_FAILED", "reportConflict did not halt the roots contract");
      const read = await devnet.clients.publicClient.readContract({ address: rootsAddress, abi: multiProverRootsAbi, functionName: "finalizedRoot", args: [1n] });
      if (read !== `0x${"00".repeat(32)}`) throw new TeezkError("DEMO_EXPECTATION_FAILED", "a disputed epoch still reads as finalized");
      executeHonest(2n);
      const root2 = rootOf(2n);
      const refused = await expectRefusal(
        proposeRoot({ ...devnet.clients, roots: rootsAddress, epoch: 2n, root: root2, signatures: [await tdx.signRoot({ epoch: 2n, root: root2, roots: domain }), await nitro.signRoot({ epoch: 2n, root: root2, roots: domain })] }),
        /^ContractHalted\(/,
      );
      return { removed: reported.removed, refused, refusedHonest };
    },
    (result) => `removed ${result.removed.join(", ")}; asked to sign the honest root it answered ${result.refusedHonest}; epoch 1 reads as not final while disputed; a TEE quorum for epoch 2 now refused: ${result.refused}`,
  );

  await recorder.run(
    "zk-while-halted",
    "ZK escape hatch while halted: a ZK root proof settles disputed epoch 1 on the honest root and finalizes epoch 2 alone; another epoch's proof is refused",
    async () => {
      await submitZkRoot({ ...devnet.clients, roots: rootsAddress, epoch: 1n, root: rootOf(1n), zkProof: await zkProofFor(1n, rootOf(1n)) });
      const root2 = rootOf(2n);
      const wrong = await expectRefusal(
        submitZkRoot({ ...devnet.clients, roots: rootsAddress, epoch: 2n, root: root2, zkProof: await zkProofFor(3n, rootOf(3n)) }),
        /^InvalidZkProof\(/,
      );
      await submitZkRoot({ ...devnet.clients, roots: rootsAddress, epoch: 2n, root: root2, zkProof: await zkProofFor(2n, root2) });
      return { wrong };
    },
    (result) => `another epoch's proof refused (${result.wrong.split("(")[0]}); ZK verifier: ${zkVerifierLabel}`,
  );

  await recorder.run(
    "resume",
    "governance resumes the roots contract (timelock proposal)",
    () => devnet.govern([{ target: rootsAddress, value: 0n, data: encodeFunctionData({ abi: multiProverRootsAbi, functionName: "resume", args: [] }) }]),
  );

  await recorder.run(
    "escape-hatch",
    `ZK escape hatch after silence: no TEE quorum for escapeDelay (${Number(devnet.escapeDelay) / 86400} days, chain time advanced) → epoch 3 finalized by ZK alone`,
    async () => {
      const root3 = rootOf(3n);
      const base = { ...devnet.clients, roots: rootsAddress, epoch: 3n, root: root3, zkProof: await zkProofFor(3n, root3) };
      const closedHatch = await expectRefusal(submitZkRoot(base), /^EscapeHatchClosed\(/);
      await devnet.increaseTime(devnet.escapeDelay);
      await submitZkRoot(base);
      return { closedHatch };
    },
    (result) => `before the delay: ${result.closedHatch.split("(")[0]}; after it: finalized`,
  );
}
