pragma circom 2.1.0;

// One rollup batch: newRoot = apply(prevRoot, BATCH transfers) over a binary Poseidon Merkle tree of accounts of
// depth DEPTH (circuits/README.md, "rollup"; docs/decisions.md for the choices).
//
// An account leaf is ACCOUNT_TAG + balance * 2^64 + nonce (balance < 2^64, nonce < 2^32); an empty slot is 0.
// Leaves are not hashed: the tag makes an empty slot unprovable as an account (a transfer to a non-existent leaf
// has no opening), and the range checks below make the decomposition unique. Hashing them would cost 16
// Poseidon calls a batch and push the circuit past 2^16 constraints.
// A transfer debits `from` (whose nonce must equal the transfer's, and is incremented: a replayed batch no
// longer opens), then credits `to` against the intermediate root, so a transfer to oneself is well defined.
// Overdraft and overflow are refused by range-checking both new balances to 64 bits.
// Public signals, in snarkjs order (outputs, then public inputs): [newRoot, prevRoot, epoch].

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/bitify.circom";

// Old and new root of one leaf update: both paths share the index bits and the siblings.
template MerkleLeafUpdate(depth) {
    signal input oldLeaf;
    signal input newLeaf;
    signal input indexBits[depth];   // little-endian; 1 = the running node is the right child at that level
    signal input siblings[depth];
    signal output oldRoot;
    signal output newRoot;

    signal oldNodes[depth + 1];
    signal newNodes[depth + 1];
    signal oldSwap[depth];
    signal newSwap[depth];
    component oldHash[depth];
    component newHash[depth];
    oldNodes[0] <== oldLeaf;
    newNodes[0] <== newLeaf;
    for (var i = 0; i < depth; i++) {
        // left = node + bit * (sibling - node), right = node + sibling - left: one constraint per level and path.
        oldSwap[i] <== indexBits[i] * (siblings[i] - oldNodes[i]);
        oldHash[i] = Poseidon(2);
        oldHash[i].inputs[0] <== oldNodes[i] + oldSwap[i];
        oldHash[i].inputs[1] <== siblings[i] - oldSwap[i];
        oldNodes[i + 1] <== oldHash[i].out;

        newSwap[i] <== indexBits[i] * (siblings[i] - newNodes[i]);
        newHash[i] = Poseidon(2);
        newHash[i].inputs[0] <== newNodes[i] + newSwap[i];
        newHash[i].inputs[1] <== siblings[i] - newSwap[i];
        newNodes[i + 1] <== newHash[i].out;
    }
    oldRoot <== oldNodes[depth];
    newRoot <== newNodes[depth];
}

template RollupBatch(depth, batchSize) {
    var ACCOUNT_TAG = 1 << 128;
    var BALANCE_SHIFT = 1 << 64;

    signal input prevRoot;
    signal input epoch;

    signal input from[batchSize];
    signal input to[batchSize];
    signal input amount[batchSize];
    signal input nonce[batchSize];            // the sender's nonce before the transfer
    signal input senderBalance[batchSize];    // before the transfer
    signal input senderSiblings[batchSize][depth];
    signal input receiverBalance[batchSize];  // before the credit (after the debit when from == to)
    signal input receiverNonce[batchSize];    // likewise
    signal input receiverSiblings[batchSize][depth];

    signal output newRoot;

    component fromBits[batchSize];
    component toBits[batchSize];
    component amountRange[batchSize];
    component nonceRange[batchSize];
    component receiverNonceRange[batchSize];
    component senderAfterRange[batchSize];
    component receiverAfterRange[batchSize];
    component debit[batchSize];
    component credit[batchSize];
    signal roots[batchSize + 1];
    signal senderAfter[batchSize];
    signal receiverAfter[batchSize];

    roots[0] <== prevRoot;
    for (var t = 0; t < batchSize; t++) {
        // Num2Bits also bounds the indices to the tree.
        fromBits[t] = Num2Bits(depth);
        fromBits[t].in <== from[t];
        toBits[t] = Num2Bits(depth);
        toBits[t].in <== to[t];
        amountRange[t] = Num2Bits(64);
        amountRange[t].in <== amount[t];
        nonceRange[t] = Num2Bits(32);
        nonceRange[t].in <== nonce[t];
        receiverNonceRange[t] = Num2Bits(32);
        receiverNonceRange[t].in <== receiverNonce[t];

        // A negative result wraps to a field element far above 2^64: the overdraft cannot be range-checked.
        senderAfter[t] <== senderBalance[t] - amount[t];
        senderAfterRange[t] = Num2Bits(64);
        senderAfterRange[t].in <== senderAfter[t];
        receiverAfter[t] <== receiverBalance[t] + amount[t];
        receiverAfterRange[t] = Num2Bits(64);
        receiverAfterRange[t].in <== receiverAfter[t];

        debit[t] = MerkleLeafUpdate(depth);
        debit[t].oldLeaf <== ACCOUNT_TAG + senderBalance[t] * BALANCE_SHIFT + nonce[t];
        debit[t].newLeaf <== ACCOUNT_TAG + senderAfter[t] * BALANCE_SHIFT + nonce[t] + 1;
        for (var i = 0; i < depth; i++) {
            debit[t].indexBits[i] <== fromBits[t].out[i];
            debit[t].siblings[i] <== senderSiblings[t][i];
        }
        debit[t].oldRoot === roots[t];

        credit[t] = MerkleLeafUpdate(depth);
        credit[t].oldLeaf <== ACCOUNT_TAG + receiverBalance[t] * BALANCE_SHIFT + receiverNonce[t];
        credit[t].newLeaf <== ACCOUNT_TAG + receiverAfter[t] * BALANCE_SHIFT + receiverNonce[t];
        for (var i = 0; i < depth; i++) {
            credit[t].indexBits[i] <== toBits[t].out[i];
            credit[t].siblings[i] <== receiverSiblings[t][i];
        }
        credit[t].oldRoot === debit[t].newRoot;
        roots[t + 1] <== credit[t].newRoot;
    }
    newRoot <== roots[batchSize];

    // Binds the epoch into the constraint system (it is otherwise unused), so a proof is for one epoch only.
    signal epochSquared;
    epochSquared <== epoch * epoch;
}

component main {public [prevRoot, epoch]} = RollupBatch(16, 4);
