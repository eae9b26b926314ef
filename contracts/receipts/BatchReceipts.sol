// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {IBatchReceipts} from "../interfaces/IBatchReceipts.sol";
import {IEnclaveRegistry} from "../interfaces/IEnclaveRegistry.sol";
import {IGoverned} from "../interfaces/IGoverned.sol";
import {Batch, Receipt, ReceiptTypes} from "./Receipt.sol";

/// @title BatchReceipts
/// @notice Batched receipts: one EIP-712 `Batch(bytes32 root,uint32 count,uint64 issuedAt)` signature
/// (domain "teezk BatchReceipts", version "1") over a StandardMerkleTree (npm openzeppelin merkle-tree), then
/// inclusion checks with OZ MerkleProof.
/// @custom:security-contact security@teezk.invalid
contract BatchReceipts is EIP712, IBatchReceipts, IGoverned {
    /// @notice How far `issuedAt` may run ahead of block time.
    uint64 public constant MAX_CLOCK_SKEW = 5 minutes;

    IEnclaveRegistry private immutable _enclaveRegistry;
    mapping(bytes32 root => BatchRecord) private _batches;
    mapping(address consumer => mapping(bytes32 root => mapping(bytes32 leaf => bool))) private _consumed;

    /// @param enclaveRegistry_ The registry whose live enclaves may sign batches.
    constructor(IEnclaveRegistry enclaveRegistry_) EIP712("teezk BatchReceipts", "1") {
        if (address(enclaveRegistry_) == address(0)) revert ZeroAddress("enclaveRegistry");
        _enclaveRegistry = enclaveRegistry_;
    }

    /// @inheritdoc IBatchReceipts
    function submitBatch(Batch calldata batch, bytes calldata signature) external returns (address enclave) {
        if (batch.count == 0 || batch.root == bytes32(0)) revert EmptyBatch();
        if (batch.issuedAt > block.timestamp + MAX_CLOCK_SKEW) revert BatchFromFuture(batch.issuedAt, block.timestamp);
        if (_batches[batch.root].enclave != address(0)) revert BatchAlreadySubmitted(batch.root);
        ECDSA.RecoverError err;
        (enclave, err,) = ECDSA.tryRecover(_hashTypedDataV4(ReceiptTypes.structHash(batch)), signature);
        if (err != ECDSA.RecoverError.NoError) revert InvalidBatchSignature();
        _batches[batch.root] = BatchRecord({
            enclave: enclave, count: batch.count, issuedAt: batch.issuedAt, submittedAt: uint64(block.timestamp)
        });
        emit BatchSubmitted(batch.root, enclave, batch.count, batch.issuedAt);
    }

    /// @inheritdoc IBatchReceipts
    function verifyIncluded(Receipt calldata receipt, bytes32 root, bytes32[] calldata proof)
        external
        view
        returns (address enclave)
    {
        (enclave,) = _verifyIncluded(receipt, root, proof);
    }

    /// @inheritdoc IBatchReceipts
    function consumeIncluded(Receipt calldata receipt, bytes32 root, bytes32[] calldata proof)
        external
        returns (address enclave)
    {
        bytes32 leaf;
        (enclave, leaf) = _verifyIncluded(receipt, root, proof);
        if (_consumed[msg.sender][root][leaf]) revert ReceiptAlreadyConsumed(msg.sender, root, leaf);
        _consumed[msg.sender][root][leaf] = true;
        emit BatchReceiptConsumed(receipt.programId, root, msg.sender, leaf);
    }

    /// @inheritdoc IBatchReceipts
    function batchDigest(Batch calldata batch) external view returns (bytes32) {
        return _hashTypedDataV4(ReceiptTypes.structHash(batch));
    }

    /// @inheritdoc IBatchReceipts
    function leafOf(Receipt calldata receipt) external pure returns (bytes32) {
        return ReceiptTypes.batchLeaf(receipt);
    }

    /// @inheritdoc IBatchReceipts
    function batchRecord(bytes32 root) external view returns (BatchRecord memory) {
        return _batches[root];
    }

    /// @inheritdoc IBatchReceipts
    function enclaveRegistry() external view returns (IEnclaveRegistry) {
        return _enclaveRegistry;
    }

    function _verifyIncluded(Receipt calldata receipt, bytes32 root, bytes32[] calldata proof)
        private
        view
        returns (address enclave, bytes32 leaf)
    {
        enclave = _batches[root].enclave;
        if (enclave == address(0)) revert BatchNotFound(root);
        leaf = ReceiptTypes.batchLeaf(receipt);
        if (!MerkleProof.verifyCalldata(proof, root, leaf)) revert ReceiptNotInBatch(root, leaf);
        if (!_enclaveRegistry.isLive(enclave, receipt.programId)) revert EnclaveNotLive(enclave, receipt.programId);
    }
}
