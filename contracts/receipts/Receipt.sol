// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @notice What an enclave signs about one proving job (DESIGN §4), EIP-712 type `Receipt`.
/// @param programId The program (circuit or zkVM program) the enclave ran.
/// @param inputDigest Commitment to the inputs (the witness itself never leaves the enclave).
/// @param outputDigest Commitment to the outputs.
/// @param proofDigest Commitment to the proof; for Groth16 see PrivateProofVerifier.
/// @param issuedAt When the enclave signed, in seconds.
/// @param nonce The requester's nonce: makes each receipt unique.
struct Receipt {
    bytes32 programId;
    bytes32 inputDigest;
    bytes32 outputDigest;
    bytes32 proofDigest;
    uint64 issuedAt;
    bytes32 nonce;
}

/// @notice What an enclave signs over a Merkle tree of receipts, EIP-712 type `Batch`.
/// @param root StandardMerkleTree root over receipts (leaf encoding in ReceiptTypes.batchLeaf).
/// @param count How many receipts the tree holds.
/// @param issuedAt When the enclave signed, in seconds.
struct Batch {
    bytes32 root;
    uint32 count;
    uint64 issuedAt;
}

/// @title ReceiptTypes
/// @notice EIP-712 type strings and struct hashes of Receipt and Batch; mirrored once in TypeScript
/// (src/receipts), whose tests check that the hashes match.
/// @custom:security-contact security@teezk.invalid
library ReceiptTypes {
    /// @notice The EIP-712 type string of Receipt.
    string internal constant RECEIPT_TYPE =
        "Receipt(bytes32 programId,bytes32 inputDigest,bytes32 outputDigest,bytes32 proofDigest,uint64 issuedAt,bytes32 nonce)";
    /// @notice keccak256(RECEIPT_TYPE).
    bytes32 internal constant RECEIPT_TYPEHASH = keccak256(bytes(RECEIPT_TYPE));
    /// @notice The EIP-712 type string of Batch.
    string internal constant BATCH_TYPE = "Batch(bytes32 root,uint32 count,uint64 issuedAt)";
    /// @notice keccak256(BATCH_TYPE).
    bytes32 internal constant BATCH_TYPEHASH = keccak256(bytes(BATCH_TYPE));

    /// @notice The EIP-712 struct hash of `receipt`.
    function structHash(Receipt calldata receipt) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(
                RECEIPT_TYPEHASH,
                receipt.programId,
                receipt.inputDigest,
                receipt.outputDigest,
                receipt.proofDigest,
                receipt.issuedAt,
                receipt.nonce
            )
        );
    }

    /// @notice The EIP-712 struct hash of `batch`.
    function structHash(Batch calldata batch) internal pure returns (bytes32) {
        return keccak256(abi.encode(BATCH_TYPEHASH, batch.root, batch.count, batch.issuedAt));
    }

    /// @notice The leaf of `receipt` in a batch tree: a StandardMerkleTree (npm openzeppelin merkle-tree) with leaf
    /// encoding ["bytes32","bytes32","bytes32","bytes32","uint64","bytes32"] over (programId, inputDigest,
    /// outputDigest, proofDigest, issuedAt, nonce), i.e. keccak256(bytes.concat(keccak256(abi.encode(fields)))).
    function batchLeaf(Receipt calldata receipt) internal pure returns (bytes32) {
        return keccak256(
            bytes.concat(
                keccak256(
                    abi.encode(
                        receipt.programId,
                        receipt.inputDigest,
                        receipt.outputDigest,
                        receipt.proofDigest,
                        receipt.issuedAt,
                        receipt.nonce
                    )
                )
            )
        );
    }
}
