import { encodeAbiParameters, encodeFunctionData, keccak256, type Hex } from "viem";
import { multiProverRootsAbi, proposeRoot, reportConflict, signRoot, submitZkRoot } from "../../chain/index.js";
import type { SimulatedEnclave } from "../../devnet/index.js";
import { TeezkError } from "../../errors/index.js";
import type { DemoContext, DemoFlowStep } from "../demoContext.js";
import { expectRefusal } from "../expectRefusal.js";
import { word } from "../word.js";

/** The RootProofVerifierTestDouble's valid proof: abi.encode(keccak256(abi.encode(programId, epoch, root))). */
const testDoubleRootProof = (programId: Hex, epoch: bigint, root: Hex): Hex =>
  encodeAbiParameters([{ type: "bytes32" }], [keccak256(encodeAbiParameters([{ type: "bytes32" }, { type: "uint64" }, { type: "bytes32" }], [programId, epoch, root]))]);
const honestRoot = (epoch: bigint): Hex => word(`demo rollup state root, epoch ${epoch}`);

/** What every roots step needs: the contract, its clients, and a signer's root signature for it. */
function rootsOf({ devnet }: DemoContext) {
  const roots = devnet.addresses.multiProverRoots;
  const signRootAs = (signer: SimulatedEnclave, epoch: bigint, root: Hex) =>
    signRoot({ account: signer.account, epoch, root, roots: { chainId: devnet.chainId, verifyingContract: roots } });
  return { devnet, roots, signRootAs, base: { ...devnet.clients, roots } };
}

export const rootFinalizedStep: DemoFlowStep = async (recorder, context) => {
  const { base, signRootAs } = rootsOf(context);
  const { tdx, nitro } = context.rollupSigners;
  const root1 = honestRoot(1n);
  await recorder.run(
    "root-finalized",
    "multi-prover root: epoch 1 finalized by two vendors (TDX + Nitro signatures)",
    async () => proposeRoot({ ...base, epoch: 1n, root: root1, signatures: [await signRootAs(tdx, 1n, root1), await signRootAs(nitro, 1n, root1)] }),
    (result) => `TEE types bitmap ${result.teeTypes}, distinct vendors ${result.vendors.join(" + ")}, root ${root1.slice(0, 10)}…`,
  );
};

export const conflictHaltsStep: DemoFlowStep = async (recorder, context) => {
  const { devnet, roots, base, signRootAs } = rootsOf(context);
  const { tdx, nitro, sevsnp } = context.rollupSigners;
  await recorder.run(
    "conflict-halts",
    "conflicting root: the SEV-SNP enclave signs another root for epoch 1 → contract halts, epoch 1 disputed, signer removed",
    async () => {
      const forged = word("forged state root, epoch 1");
      const reported = await reportConflict({ ...base, epoch: 1n, root: forged, signatures: [await signRootAs(sevsnp, 1n, forged)] });
      if (!reported.halted) throw new TeezkError("DEMO_EXPECTATION_FAILED", "reportConflict did not halt the roots contract");
      const read = await devnet.clients.publicClient.readContract({ address: roots, abi: multiProverRootsAbi, functionName: "finalizedRoot", args: [1n] });
      if (read !== `0x${"00".repeat(32)}`) throw new TeezkError("DEMO_EXPECTATION_FAILED", "a disputed epoch still reads as finalized");
      const root2 = honestRoot(2n);
      const refused = await expectRefusal(
        proposeRoot({ ...base, epoch: 2n, root: root2, signatures: [await signRootAs(tdx, 2n, root2), await signRootAs(nitro, 2n, root2)] }),
        /^ContractHalted\(/,
      );
      return { removed: reported.removed, refused };
    },
    (result) => `removed ${result.removed.join(", ")}; epoch 1 reads as not final while disputed; a TEE quorum for epoch 2 now refused: ${result.refused}`,
  );
};

export const zkWhileHaltedStep: DemoFlowStep = async (recorder, context) => {
  const { devnet, base } = rootsOf(context);
  await recorder.run(
    "zk-while-halted",
    "ZK escape hatch while halted: a ZK root proof settles disputed epoch 1 on its honest root and finalizes epoch 2 alone",
    async () => {
      const [root1, root2] = [honestRoot(1n), honestRoot(2n)];
      await submitZkRoot({ ...base, epoch: 1n, root: root1, zkProof: testDoubleRootProof(devnet.programId, 1n, root1) });
      const wrong = await expectRefusal(submitZkRoot({ ...base, epoch: 2n, root: root2, zkProof: testDoubleRootProof(devnet.programId, 2n, word("other")) }), /^InvalidZkProof\(/);
      await submitZkRoot({ ...base, epoch: 2n, root: root2, zkProof: testDoubleRootProof(devnet.programId, 2n, root2) });
      return { wrong };
    },
    (result) => `a wrong proof refused (${result.wrong.split("(")[0]}); ZK verifier: RootProofVerifierTestDouble (no SP1 here)`,
  );
};

export const resumeStep: DemoFlowStep = async (recorder, context) => {
  const { devnet, roots } = rootsOf(context);
  await recorder.run("resume", "governance resumes the roots contract (timelock proposal)", () =>
    devnet.govern([{ target: roots, value: 0n, data: encodeFunctionData({ abi: multiProverRootsAbi, functionName: "resume", args: [] }) }]),
  );
};

export const escapeHatchStep: DemoFlowStep = async (recorder, context) => {
  const { devnet, base } = rootsOf(context);
  await recorder.run(
    "escape-hatch",
    `ZK escape hatch after silence: no TEE quorum for escapeDelay (${Number(devnet.escapeDelay) / 86400} days, chain time advanced) → epoch 3 finalized by ZK alone`,
    async () => {
      const root3 = honestRoot(3n);
      const submission = { ...base, epoch: 3n, root: root3, zkProof: testDoubleRootProof(devnet.programId, 3n, root3) };
      const closedHatch = await expectRefusal(submitZkRoot(submission), /^EscapeHatchClosed\(/);
      await devnet.increaseTime(devnet.escapeDelay);
      await submitZkRoot(submission);
      return { closedHatch };
    },
    (result) => `before the delay: ${result.closedHatch.split("(")[0]}; after it: finalized`,
  );
};
