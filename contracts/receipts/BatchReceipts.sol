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
/// @dev Batches are keyed by (root, signer): a root is only ever "the root signed by this enclave", so nobody's
/// submission can block another signer's submission of the same root, and an inclusion check names the signer it
/// trusts. A root alone once identified the batch, which let anyone record a real root first under a junk
/// signature (or a hostile enclave claim another enclave's root) and block the real submission for good.
/// @custom:security-contact security@teezk.invalid
contract BatchReceipts is EIP712, IBatchReceipts, IGoverned {
    /// @notice How far `issuedAt` may run ahead of block time.
    uint64 public constant MAX_CLOCK_SKEW = 5 minutes;

    IEnclaveRegistry private immutable _enclaveRegistry;
    /// @dev One storage word per batch; `count != 0` marks a submitted batch (empty batches are refused).
    mapping(bytes32 root => mapping(address signer => BatchRecord)) private _batches;
    /// @dev Keyed by root, not (root, signer): the same receipt vouched for by two signers is still one receipt,
    /// so a consumer cannot use it twice by naming the other signer.
    mapping(address consumer => mapping(bytes32 root => mapping(bytes32 leaf => bool))) private _consumed;

    /// @param enclaveRegistry_ The registry whose live enclaves may sign batches.
    constructor(IEnclaveRegistry enclaveRegistry_) EIP712("teezk BatchReceipts", "1") {
        if (address(enclaveRegistry_) == address(0)) revert ZeroAddress("enclaveRegistry");
        _enclaveRegistry = enclaveRegistry_;
    }

    /// @inheritdoc IBatchReceipts
    function submitBatch(Batch calldata batch, bytes32 programId, bytes calldata signature)
        external
        returns (address enclave)
    {
        if (batch.count == 0 || batch.root == bytes32(0)) revert EmptyBatch();
        if (batch.issuedAt > block.timestamp + MAX_CLOCK_SKEW) revert BatchFromFuture(batch.issuedAt, block.timestamp);
        ECDSA.RecoverError err;
        (enclave, err,) = ECDSA.tryRecover(_hashTypedDataV4(ReceiptTypes.structHash(batch)), signature);
        if (err != ECDSA.RecoverError.NoError) revert InvalidBatchSignature();
        BatchRecord storage record = _batches[batch.root][enclave];
        if (record.count != 0) revert BatchAlreadySubmitted(batch.root, enclave);
        // A sanity check, not the security boundary (inclusion checks liveness per receipt): it refuses records
        // under keys that are not enclaves at all, such as the random address a junk signature recovers to.
        if (!_enclaveRegistry.isLive(enclave, programId)) revert EnclaveNotLive(enclave, programId);
        (record.count, record.issuedAt, record.submittedAt) = (batch.count, batch.issuedAt, uint64(block.timestamp));
        emit BatchSubmitted(batch.root, enclave, batch.count, batch.issuedAt);
    }

    /// @inheritdoc IBatchReceipts
    function verifyIncluded(Receipt calldata receipt, bytes32 root, address signer, bytes32[] calldata proof)
        external
        view
    {
        _verifyIncluded(receipt, root, signer, proof);
    }

    /// @inheritdoc IBatchReceipts
    function consumeIncluded(Receipt calldata receipt, bytes32 root, address signer, bytes32[] calldata proof)
        external
    {
        bytes32 leaf = _verifyIncluded(receipt, root, signer, proof);
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
    function batchRecord(bytes32 root, address signer) external view returns (BatchRecord memory) {
        return _batches[root][signer];
    }

    /// @inheritdoc IBatchReceipts
    function enclaveRegistry() external view returns (IEnclaveRegistry) {
        return _enclaveRegistry;
    }

    function _verifyIncluded(Receipt calldata receipt, bytes32 root, address signer, bytes32[] calldata proof)
        private
        view
        returns (bytes32 leaf)
    {
        if (_batches[root][signer].count == 0) revert BatchNotFound(root, signer);
        leaf = ReceiptTypes.batchLeaf(receipt);
        if (!MerkleProof.verifyCalldata(proof, root, leaf)) revert ReceiptNotInBatch(root, leaf);
        if (!_enclaveRegistry.isLive(signer, receipt.programId)) revert EnclaveNotLive(signer, receipt.programId);
    }
}
