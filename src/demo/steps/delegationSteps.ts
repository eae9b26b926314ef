import { submitPrivateProof, verifyPrivateProof } from "../../chain/index.js";
import { TeezkError } from "../../errors/index.js";
import { proofDigest, type Groth16Calldata } from "../../prover/index.js";
import { signReceipt, type Receipt } from "../../receipts/index.js";
import type { DemoContext, DemoFlowStep } from "../demoContext.js";
import { delegateMembershipProof, type DelegatedProof } from "../delegateMembershipProof.js";
import { expectRefusal } from "../expectRefusal.js";

/** A private membership proof delegated to the TDX prover node; later steps submit and tamper with it. */
export const delegateStep: DemoFlowStep = async (recorder, context) => {
  const { devnet, referenceValues, trustedRoots, groth16 } = context;
  const tdx = context.provers.find((prover) => prover.vendor === "tdx");
  if (!tdx) throw new TeezkError("DEMO_EXPECTATION_FAILED", "No TDX prover node is running");
  context.delegated = await recorder.run(
    "delegate",
    "delegate a private membership proof to the TDX prover node: attest, verify, appraise, seal (HPKE), prove remotely",
    () => delegateMembershipProof({ proverUrl: tdx.url, devnet, referenceValues, trustedRoots, signal: "vote: proposal 7, yes", verifier: groth16 }),
    (result) =>
      `${result.kind} evidence appraised, witness sealed to ${result.hpkePublicKey.slice(0, 10)}…, receipt by ${result.enclaveAddress.slice(0, 10)}…, ` +
      `client ${Math.round(result.timings.totalMs)} ms (node proving ${Math.round(result.proverTimings?.proveMs ?? 0)} ms)`,
  );
};

export const privateProofStep: DemoFlowStep = async (recorder, context) => {
  const delegated = delegatedProof(context);
  const { devnet } = context;
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
};

export const tamperedProofStep: DemoFlowStep = async (recorder, context) => {
  const delegated = delegatedProof(context);
  const { devnet, rollupSigners } = context;
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
};

export const expiredEnclaveStep: DemoFlowStep = async (recorder, context) => {
  const delegated = delegatedProof(context);
  const { devnet } = context;
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
};

function delegatedProof(context: DemoContext): DelegatedProof {
  if (!context.delegated) throw new TeezkError("DEMO_EXPECTATION_FAILED", "No delegated proof: the delegate step has not run");
  return context.delegated;
}

/** A proof with one coordinate changed: what a relay that swapped proofs would submit. */
function tamper(calldata: Groth16Calldata): Groth16Calldata {
  return { ...calldata, a: [calldata.a[0] + 1n, calldata.a[1]] };
}
