import { delegateProof, type DelegateProofReturnType } from "../client/index.js";
import type { Devnet } from "../devnet/index.js";
import type { TeezkError } from "../errors/index.js";
import type { ReferenceValues } from "../policy/index.js";
import { createMembershipWitnessInput, hashSignal, identityCommitment, type Groth16Proof, type Prover } from "../prover/index.js";
import type { PinnedRoot } from "../util/x509.js";

export type DelegateMembershipProofParameters = {
  proverUrl: string;
  devnet: Devnet;
  /** What the client trusts; the witness is sealed only to an enclave that passes it. */
  referenceValues: ReferenceValues;
  /** The simulated TEEs' dev roots (and nothing else beyond the vendors' pinned roots). */
  trustedRoots: readonly PinnedRoot[];
  /** The statement: "a member of the group says `signal`", once per `scope`. */
  signal: string;
  scope?: string;
  /** Checks the returned proof locally before it is trusted (a shared prover process). */
  verifier?: Pick<Prover<Groth16Proof>, "verify">;
};
export type DelegatedProof = DelegateProofReturnType;
export type DelegateMembershipProofErrorType = TeezkError;

/** A small group of five identities; the fourth proves membership without saying which one it is. */
const GROUP = [11n, 22n, 33n, 44n, 55n].map((n) => ({ identityNullifier: n * 1_000_003n, identityTrapdoor: n * 7_000_019n }));

/**
 * The private job of the demo: a Semaphore-style membership proof whose witness (the member's secrets and Merkle
 * path) goes to the prover node only sealed to its attested HPKE key. The client pins the program id and
 * ReceiptVerifier of the devnet, and the public signals it expects, so the receipt it gets back is one
 * PrivateProofVerifier accepts.
 */
export async function delegateMembershipProof(parameters: DelegateMembershipProofParameters): Promise<DelegatedProof> {
  const { devnet } = parameters;
  const { witnessInput, expectedPublicSignals } = createMembershipWitnessInput({
    identity: GROUP[3]!,
    leaves: GROUP.map(identityCommitment),
    signalHash: hashSignal(parameters.signal),
    externalNullifier: hashSignal(parameters.scope ?? "teezk/demo/poll-7"),
  });
  return await delegateProof({
    proverUrl: parameters.proverUrl,
    circuit: "membership",
    witnessInput,
    referenceValues: parameters.referenceValues,
    trustedRoots: parameters.trustedRoots,
    programId: devnet.programId,
    receiptDomain: { chainId: devnet.chainId, verifyingContract: devnet.addresses.receiptVerifier },
    expectedPublicSignals,
    ...(parameters.verifier ? { verifier: parameters.verifier } : {}),
  });
}
