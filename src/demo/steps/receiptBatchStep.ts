import type { Hex } from "viem";
import { submitBatch, verifyInclusion } from "../../chain/index.js";
import { buildReceiptBatch, getInclusionProof, signBatch, type Receipt } from "../../receipts/index.js";
import type { DemoFlowStep } from "../demoContext.js";
import { expectRefusal } from "../expectRefusal.js";
import { word } from "../word.js";

export const receiptBatchStep: DemoFlowStep = async (recorder, { devnet, rollupSigners }) => {
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
};

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
