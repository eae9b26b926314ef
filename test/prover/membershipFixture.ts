import { createMembershipWitnessInput, hashSignal, identityCommitment } from "../../src/prover/index.js";

/** A small group and one member's statement, shared by the prover and on-chain verifier tests. */
export function membershipFixture() {
  const identities = [11n, 22n, 33n, 44n, 55n].map((n) => ({
    identityNullifier: n * 1_000_003n,
    identityTrapdoor: n * 7_000_019n,
  }));
  const leaves = identities.map(identityCommitment);
  const member = identities[3]!;
  const signalHash = hashSignal("vote: proposal 7, yes");
  const externalNullifier = hashSignal("teezk/test/poll-7");
  return { identities, leaves, member, signalHash, externalNullifier, ...createMembershipWitnessInput({
    identity: member,
    leaves,
    signalHash,
    externalNullifier,
  }) };
}
