import { TeezkError } from "../../errors/index.js";
import { bn254ScalarField } from "../normalizeWitnessInput.js";
import { computeMerkleProof, membershipTreeDepth } from "./computeMerkleProof.js";
import { identityCommitment, type MembershipIdentity } from "./identityCommitment.js";
import { poseidonHash } from "./poseidonHash.js";

export type CreateMembershipWitnessInputParameters = {
  identity: MembershipIdentity;
  /** The group's identity commitments, in tree order. The identity's own commitment must be among them. */
  leaves: readonly bigint[];
  /** Field element of the signal (see hashSignal). */
  signalHash: bigint;
  /** The scope: one nullifier hash per identity per scope. */
  externalNullifier: bigint;
};

export type CreateMembershipWitnessInputReturnType = {
  /** The input object for `prove({ circuit: "membership", witnessInput })`. */
  witnessInput: Record<string, bigint | bigint[]>;
  /** The public signals the proof will carry: [merkleRoot, nullifierHash, signalHash, externalNullifier]. */
  expectedPublicSignals: [bigint, bigint, bigint, bigint];
};

export type CreateMembershipWitnessInputErrorType = TeezkError;

/**
 * Builds the membership circuit's witness input and the public signals the proof will expose.
 * @throws TeezkError WITNESS_INVALID when the identity is not in the group or a value is not a field element.
 */
export function createMembershipWitnessInput(
  parameters: CreateMembershipWitnessInputParameters,
): CreateMembershipWitnessInputReturnType {
  const { identity, leaves, signalHash, externalNullifier } = parameters;
  for (const [name, value] of Object.entries({ signalHash, externalNullifier, ...identity })) {
    if (value < 0n || value >= bn254ScalarField) {
      throw new TeezkError("WITNESS_INVALID", `${name} is outside the BN254 scalar field`);
    }
  }
  const commitment = identityCommitment(identity);
  const index = leaves.indexOf(commitment);
  if (index < 0) {
    throw new TeezkError("WITNESS_INVALID", "the identity's commitment is not a leaf of the group", {
      details: `commitment ${commitment}`,
    });
  }
  const path = computeMerkleProof({ leaves, index, depth: membershipTreeDepth });
  const nullifierHash = poseidonHash([externalNullifier, identity.identityNullifier]);
  return {
    witnessInput: {
      identityNullifier: identity.identityNullifier,
      identityTrapdoor: identity.identityTrapdoor,
      treePathIndices: path.pathIndices.map(BigInt),
      treeSiblings: path.siblings,
      signalHash,
      externalNullifier,
    },
    expectedPublicSignals: [path.root, nullifierHash, signalHash, externalNullifier],
  };
}
