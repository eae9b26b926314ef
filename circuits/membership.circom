pragma circom 2.1.0;

// Semaphore-style anonymous group membership (compatible with Semaphore v3's statement):
//   secret         = Poseidon(identityNullifier, identityTrapdoor)
//   commitment     = Poseidon(secret)                       (the leaf)
//   merkleRoot     = root of a Poseidon binary Merkle tree of depth DEPTH holding the commitment
//   nullifierHash  = Poseidon(externalNullifier, identityNullifier)
// The signal is bound by squaring signalHash, so the optimizer cannot drop the otherwise unused input
// and a proof cannot be replayed with a different signal.
// Public signals, in snarkjs order (outputs, then public inputs):
//   [merkleRoot, nullifierHash, signalHash, externalNullifier]

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/mux1.circom";

// Root of the binary Poseidon tree from a leaf and its authentication path.
// pathIndices[i] = 0 when the running node is the left child at level i, 1 when it is the right child.
template BinaryMerkleRoot(depth) {
    signal input leaf;
    signal input pathIndices[depth];
    signal input siblings[depth];
    signal output root;

    signal nodes[depth + 1];
    component hashers[depth];
    component order[depth];

    nodes[0] <== leaf;
    for (var i = 0; i < depth; i++) {
        // An index outside {0,1} would let the prover pick any linear mix of node and sibling.
        pathIndices[i] * (1 - pathIndices[i]) === 0;

        order[i] = MultiMux1(2);
        order[i].c[0][0] <== nodes[i];
        order[i].c[0][1] <== siblings[i];
        order[i].c[1][0] <== siblings[i];
        order[i].c[1][1] <== nodes[i];
        order[i].s <== pathIndices[i];

        hashers[i] = Poseidon(2);
        hashers[i].inputs[0] <== order[i].out[0];
        hashers[i].inputs[1] <== order[i].out[1];
        nodes[i + 1] <== hashers[i].out;
    }
    root <== nodes[depth];
}

template Membership(depth) {
    signal input identityNullifier;
    signal input identityTrapdoor;
    signal input treePathIndices[depth];
    signal input treeSiblings[depth];

    signal input signalHash;
    signal input externalNullifier;

    signal output merkleRoot;
    signal output nullifierHash;

    component secret = Poseidon(2);
    secret.inputs[0] <== identityNullifier;
    secret.inputs[1] <== identityTrapdoor;

    component commitment = Poseidon(1);
    commitment.inputs[0] <== secret.out;

    component tree = BinaryMerkleRoot(depth);
    tree.leaf <== commitment.out;
    for (var i = 0; i < depth; i++) {
        tree.pathIndices[i] <== treePathIndices[i];
        tree.siblings[i] <== treeSiblings[i];
    }
    merkleRoot <== tree.root;

    component nullifier = Poseidon(2);
    nullifier.inputs[0] <== externalNullifier;
    nullifier.inputs[1] <== identityNullifier;
    nullifierHash <== nullifier.out;

    signal signalHashSquared;
    signalHashSquared <== signalHash * signalHash;
}

component main {public [signalHash, externalNullifier]} = Membership(20);
