import { poseidonHash } from "./poseidonHash.js";

/** A member's two secrets (Semaphore v3 naming). Keep them private: the nullifier links all signals. */
export type MembershipIdentity = { identityNullifier: bigint; identityTrapdoor: bigint };

/** The public leaf for `identity`: Poseidon(Poseidon(identityNullifier, identityTrapdoor)). */
export function identityCommitment(identity: MembershipIdentity): bigint {
  return poseidonHash([poseidonHash([identity.identityNullifier, identity.identityTrapdoor])]);
}
