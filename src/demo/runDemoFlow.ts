import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { encodeAbiParameters, encodeFunctionData, keccak256, toHex, type Hex } from "viem";
import {
  multiProverRootsAbi,
  proposeRoot,
  reportConflict,
  signRoot,
  submitBatch,
  submitPrivateProof,
  submitZkRoot,
  verifyInclusion,
  verifyPrivateProof,
} from "../chain/index.js";
import type { SimulatedEnclave } from "../devnet/index.js";
import { TeezkError } from "../errors/index.js";
import { proofDigest, type Groth16Calldata } from "../prover/index.js";
import { buildReceiptBatch, getInclusionProof, signBatch, signReceipt, type Receipt } from "../receipts/index.js";
import { openArchive, type Archive } from "../store/index.js";
import { getDevRoots, type DevRoots } from "../tee/simulated/index.js";
import { createStepRecorder, type DemoStep, type StepRecorder } from "./createStepRecorder.js";
import { delegateMembershipProof, type DelegatedProof } from "./delegateMembershipProof.js";
import { expectRefusal } from "./expectRefusal.js";
import { startDemoNetwork, type DemoNetwork } from "./startDemoNetwork.js";

export type RunDemoFlowParameters = {
  /** The SQLite archive the nodes and the demo write; its folder is created. */
  archivePath: string;
  /** Folder for the run's collateral files; default the archive's folder. */
  workDir?: string;
  /** Called as each step ends. */
  onStep?: (step: DemoStep) => void;
  /** Dev PKI of the simulated TEEs; default `getDevRoots()` (.teezk/dev-roots). */
  devRoots?: DevRoots;
  /** Keep the chain and nodes running after the flow (tests continue on them); default false. */
  keepOpen?: boolean;
};

/** Everything the flow built, for the summary and for tests that continue on the same chain. */
export type DemoContext = DemoNetwork & {
  archive: Archive;
  archivePath: string;
  delegated?: DelegatedProof;
  /** Stops the nodes and the chain, then closes the archive. Idempotent. */
  close: () => Promise<void>;
};

export type RunDemoFlowReturnType = {
  ok: boolean;
  steps: readonly DemoStep[];
  /** Present (with keepOpen) when the flow got past registration. */
  context?: DemoContext;
  archivePath: string;
};
export type RunDemoFlowErrorType = TeezkError;

/** The RootProofVerifierTestDouble's valid proof: abi.encode(keccak256(abi.encode(programId, epoch, root))). */
const testDoubleRootProof = (programId: Hex, epoch: bigint, root: Hex): Hex =>
  encodeAbiParameters([{ type: "bytes32" }], [keccak256(encodeAbiParameters([{ type: "bytes32" }, { type: "uint64" }, { type: "bytes32" }], [programId, epoch, root]))]);
const word = (label: string): Hex => keccak256(toHex(label));

/**
 * `npm run demo`'s main job, end to end on one machine: an in-process chain with teezk deployed by its Ignition
 * modules and governed by the timelock; three verifier nodes and three prover nodes (simulated TDX, SEV-SNP and
 * Nitro TEEs) on loopback HTTP; every enclave registered through the committee path; a private membership
 * proof delegated over the attested HPKE channel and accepted by PrivateProofVerifier; a batch of receipts with
 * an inclusion check; a root finalized by two vendors; a conflicting root that halts the roots contract; the ZK
 * escape hatch. Each step reports ✓/✗ and its gas; the flow stops at the first failure (later steps build on
 * earlier ones). Everything the nodes decided and every transaction is in the archive afterwards.
 */
export async function runDemoFlow(parameters: RunDemoFlowParameters): Promise<RunDemoFlowReturnType> {
  const archivePath = parameters.archivePath;
  const workDir = parameters.workDir ?? dirname(archivePath);
  mkdirSync(workDir, { recursive: true });
  mkdirSync(dirname(archivePath), { recursive: true });
  const archive = openArchive(archivePath);
  const recorder = createStepRecorder({ archive, ...(parameters.onStep ? { onStep: parameters.onStep } : {}) });
  const closers: (() => Promise<void>)[] = [];
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
    archive.close();
  };
  let context: DemoContext | undefined;
  let finished = false;
  try {
    const setup: Setup = { archive, archivePath, workDir, devRoots: parameters.devRoots ?? getDevRoots(), closers, close, onContext: (built) => (context = built) };
    await runSteps(recorder, setup);
    finished = true;
  } catch (error) {
    // A failed step is already recorded with its reason; anything else failed outside every step.
    if (recorder.steps.every((step) => step.ok)) {
      await close();
      throw error;
    }
  }
  const ok = finished && recorder.steps.every((step) => step.ok);
  // Without a context the caller has nothing to close, so a run that stopped that early is closed here.
  if (!parameters.keepOpen || !context) await close();
  return { ok, steps: recorder.steps, archivePath, ...(context && parameters.keepOpen ? { context } : {}) };
}

type Setup = {
  archive: Archive;
  archivePath: string;
  workDir: string;
  devRoots: DevRoots;
  closers: (() => Promise<void>)[];
  close: () => Promise<void>;
  /** Hands the context out as soon as the network is up, so a caller can inspect or close it after a failure. */
  onContext: (context: DemoContext) => void;
};

async function runSteps(recorder: StepRecorder, setup: Setup): Promise<void> {
  const network = await startDemoNetwork({ recorder, archive: setup.archive, workDir: setup.workDir, devRoots: setup.devRoots, closers: setup.closers });
  const context: DemoContext = { ...network, archive: setup.archive, archivePath: setup.archivePath, close: setup.close };
  setup.onContext(context);
  const { devnet, referenceValues, trustedRoots, groth16, rollupSigners } = network;
  const tdx = network.provers.find((prover) => prover.vendor === "tdx")!;

  const delegated = await recorder.run(
    "delegate",
    "delegate a private membership proof to the TDX prover node: attest, verify, appraise, seal (HPKE), prove remotely",
    () => delegateMembershipProof({ proverUrl: tdx.url, devnet, referenceValues, trustedRoots, signal: "vote: proposal 7, yes", verifier: groth16 }),
    (result) =>
      `${result.kind} evidence appraised, witness sealed to ${result.hpkePublicKey.slice(0, 10)}…, receipt by ${result.enclaveAddress.slice(0, 10)}…, ` +
      `client ${Math.round(result.timings.totalMs)} ms (node proving ${Math.round(result.proverTimings?.proveMs ?? 0)} ms)`,
  );
  context.delegated = delegated;

  await recorder.run(
    "private-proof",
    "PrivateProofVerifier: Groth16 proof + enclave receipt accepted and consumed on-chain (once)",
    async () => {
      // What a client does with a delegated proof (teezk delegate --submit): the contract's program and receipt
      // domain checked against the receipt's, then consumed once. The step recorder archives the transaction.
      const submit = () => submitPrivateProof({ ...devnet.clients, privateProofVerifier: devnet.addresses.privateProofVerifier, proof: delegated });
      const consumed = await submit();
      const replay = await expectRefusal(submit(), /^PrivateProofAlreadyConsumed\(/);
      return { ...consumed, replay };
    },
    (consumed) => `signed by live enclave ${consumed.enclave}; submitted again: ${consumed.replay.split("(")[0]}`,
  );

  await recorder.run(
    "tampered-proof",
    "refusal: a tampered proof is rejected by PrivateProofVerifier, with the node's receipt and with a receipt signed over it",
    async () => {
      const tampered = tamper(delegated.calldata);
      const base = { publicClient: devnet.clients.publicClient, privateProofVerifier: devnet.addresses.privateProofVerifier, calldata: tampered };
      // The node's receipt commits to the proof it made, so a swapped proof no longer matches it.
      const digest = await expectRefusal(verifyPrivateProof({ ...base, receipt: delegated.receipt, signature: delegated.signature }), /^ProofDigestMismatch\(/);
      // A live enclave that signs a receipt over the tampered proof still cannot make it verify: the Groth16 check does.
      const receipt: Receipt = { ...delegated.receipt, proofDigest: proofDigest(tampered) };
      const signature = await signReceipt({ account: rollupSigners.tdx.account, receipt, domain: { chainId: devnet.chainId, verifyingContract: devnet.addresses.receiptVerifier } });
      const groth16Refusal = await expectRefusal(verifyPrivateProof({ ...base, receipt, signature }), /^InvalidGroth16Proof\(/);
      return { digest, groth16Refusal };
    },
    (result) => `node's receipt: ${result.digest.split("(")[0]}; receipt by a live enclave over the tampered proof: ${result.groth16Refusal}`,
  );

  await recorder.run(
    "batch",
    "batch of receipts: the TDX rollup enclave signs one Merkle root over 64 job receipts; a junk-signature front-run cannot block it; inclusion checks",
    async () => {
      const issuedAt = BigInt(Math.floor((await devnet.chainNow()).getTime() / 1000));
      const receipts = jobReceipts(devnet.programId, issuedAt, 64);
      const built = buildReceiptBatch({ receipts, issuedAt });
      const domain = { chainId: devnet.chainId, verifyingContract: devnet.addresses.batchReceipts };
      const batchBase = { ...devnet.clients, batchReceipts: devnet.addresses.batchReceipts, batch: built.batch, programId: devnet.programId };
      // Someone who saw the root first submits it with a signature over something else (it recovers to a random
      // address): refused, and batches are keyed by (root, signer), so it could not block the real one anyway.
      const junk = await signBatch({ account: rollupSigners.tdx.account, batch: { ...built.batch, issuedAt: issuedAt - 1n }, domain });
      const frontRun = await expectRefusal(submitBatch({ ...batchBase, signature: junk }), /^EnclaveNotLive\(/);
      const signature = await signBatch({ account: rollupSigners.tdx.account, batch: built.batch, domain });
      const { enclave: signer, livenessCache } = await submitBatch({ ...batchBase, signature });
      const { receipt, proof } = getInclusionProof({ batch: built, index: 41 });
      const base = { publicClient: devnet.clients.publicClient, batchReceipts: devnet.addresses.batchReceipts, root: built.batch.root, signer };
      await verifyInclusion({ ...base, receipt, proof });
      const refused = await expectRefusal(verifyInclusion({ ...base, receipt: { ...receipt, outputDigest: word("another output") }, proof }), /^ReceiptNotInBatch\(/);
      return { count: receipts.length, root: built.batch.root, signer, proofLength: proof.length, frontRun, refused, livenessCached: livenessCache !== undefined };
    },
    (result) =>
      `${result.count} receipts under root ${result.root.slice(0, 10)}… by ${result.signer.slice(0, 10)}…; junk front-run refused; signer's liveness ${result.livenessCached ? "cached for the batch" : "not cached (BatchReceipts unwired)"}; receipt #41 included (${result.proofLength}-node proof), an altered copy refused`,
  );

  const rootsAddress = devnet.addresses.multiProverRoots;
  const signRootAs = (signer: SimulatedEnclave, epoch: bigint, root: Hex) =>
    signRoot({ account: signer.account, epoch, root, roots: { chainId: devnet.chainId, verifyingContract: rootsAddress } });
  const { tdx: rollupTdx, nitro, sevsnp } = rollupSigners;
  const root1 = word("demo rollup state root, epoch 1");

  await recorder.run(
    "root-finalized",
    "multi-prover root: epoch 1 finalized by two vendors (TDX + Nitro signatures)",
    async () => proposeRoot({ ...devnet.clients, roots: rootsAddress, epoch: 1n, root: root1, signatures: [await signRootAs(rollupTdx, 1n, root1), await signRootAs(nitro, 1n, root1)] }),
    (result) => `TEE types bitmap ${result.teeTypes}, distinct vendors ${result.vendors.join(" + ")}, root ${root1.slice(0, 10)}…`,
  );

  await recorder.run(
    "conflict-halts",
    "conflicting root: the SEV-SNP enclave signs another root for epoch 1 → contract halts, epoch 1 disputed, signer removed",
    async () => {
      const forged = word("forged state root, epoch 1");
      const reported = await reportConflict({ ...devnet.clients, roots: rootsAddress, epoch: 1n, root: forged, signatures: [await signRootAs(sevsnp, 1n, forged)] });
      if (!reported.halted) throw new TeezkError("DEMO_EXPECTATION_FAILED", "reportConflict did not halt the roots contract");
      const read = await devnet.clients.publicClient.readContract({ address: rootsAddress, abi: multiProverRootsAbi, functionName: "finalizedRoot", args: [1n] });
      if (read !== `0x${"00".repeat(32)}`) throw new TeezkError("DEMO_EXPECTATION_FAILED", "a disputed epoch still reads as finalized");
      const root2 = word("demo rollup state root, epoch 2");
      const refused = await expectRefusal(
        proposeRoot({ ...devnet.clients, roots: rootsAddress, epoch: 2n, root: root2, signatures: [await signRootAs(rollupTdx, 2n, root2), await signRootAs(nitro, 2n, root2)] }),
        /^ContractHalted\(/,
      );
      return { removed: reported.removed, refused };
    },
    (result) => `removed ${result.removed.join(", ")}; epoch 1 reads as not final while disputed; a TEE quorum for epoch 2 now refused: ${result.refused}`,
  );

  await recorder.run(
    "zk-while-halted",
    "ZK escape hatch while halted: a ZK root proof settles disputed epoch 1 on its honest root and finalizes epoch 2 alone",
    async () => {
      await submitZkRoot({ ...devnet.clients, roots: rootsAddress, epoch: 1n, root: root1, zkProof: testDoubleRootProof(devnet.programId, 1n, root1) });
      const root2 = word("demo rollup state root, epoch 2");
      const wrong = await expectRefusal(
        submitZkRoot({ ...devnet.clients, roots: rootsAddress, epoch: 2n, root: root2, zkProof: testDoubleRootProof(devnet.programId, 2n, word("other")) }),
        /^InvalidZkProof\(/,
      );
      await submitZkRoot({ ...devnet.clients, roots: rootsAddress, epoch: 2n, root: root2, zkProof: testDoubleRootProof(devnet.programId, 2n, root2) });
      return { wrong };
    },
    (result) => `a wrong proof refused (${result.wrong.split("(")[0]}); ZK verifier: RootProofVerifierTestDouble (no SP1 here)`,
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
      const root3 = word("demo rollup state root, epoch 3");
      const base = { ...devnet.clients, roots: rootsAddress, epoch: 3n, root: root3, zkProof: testDoubleRootProof(devnet.programId, 3n, root3) };
      const closedHatch = await expectRefusal(submitZkRoot(base), /^EscapeHatchClosed\(/);
      await devnet.increaseTime(devnet.escapeDelay);
      await submitZkRoot(base);
      return { closedHatch };
    },
    (result) => `before the delay: ${result.closedHatch.split("(")[0]}; after it: finalized`,
  );

  await recorder.run(
    "expired-enclave",
    "refusal: 7 days on, the TDX registration (24 h) has expired, so its receipt is rejected on-chain",
    () =>
      expectRefusal(
        verifyPrivateProof({
          publicClient: devnet.clients.publicClient,
          privateProofVerifier: devnet.addresses.privateProofVerifier,
          calldata: delegated.calldata,
          receipt: delegated.receipt,
          signature: delegated.signature,
        }),
        /^EnclaveNotLive\(/,
      ),
    (reason) => reason,
  );
}

/** Receipts of `count` jobs an enclave ran (digests of each job's input, output and proof): what it batches. */
function jobReceipts(programId: Hex, issuedAt: bigint, count: number): Receipt[] {
  return Array.from({ length: count }, (_, i) => ({
    programId,
    inputDigest: word(`rollup job ${i} input`),
    outputDigest: word(`rollup job ${i} output`),
    proofDigest: word(`rollup job ${i} proof`),
    issuedAt,
    nonce: word(`rollup job ${i} nonce`),
  }));
}

/** A proof with one coordinate changed: what a relay that swapped proofs would submit. */
function tamper(calldata: Groth16Calldata): Groth16Calldata {
  return { ...calldata, a: [calldata.a[0] + 1n, calldata.a[1]] };
}
