// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {IBatchReceipts} from "../interfaces/IBatchReceipts.sol";
import {IEnclaveRegistry} from "../interfaces/IEnclaveRegistry.sol";
import {IGoverned} from "../interfaces/IGoverned.sol";
import {ILivenessEpochSink} from "../interfaces/ILivenessEpochSink.sol";
import {IMeasurementRegistry} from "../interfaces/IMeasurementRegistry.sol";
import {Batch, Receipt, ReceiptTypes} from "./Receipt.sol";

/// @title BatchReceipts
/// @notice Batched receipts: one EIP-712 `Batch(bytes32 root,uint32 count,uint64 issuedAt)` signature
/// (domain "teezk BatchReceipts", version "1") over a StandardMerkleTree (npm openzeppelin merkle-tree), then
/// inclusion checks with OZ MerkleProof.
/// @dev Batches are keyed by (root, signer): a root is only ever "the root signed by this enclave", so nobody's
/// submission can block another signer's submission of the same root, and an inclusion check names the signer it
/// trusts. A root alone once identified the batch, which let anyone record a real root first under a junk
/// signature (or a hostile enclave claim another enclave's root) and block the real submission for good.
/// Inclusion has a fast path: submission caches the signer's full liveness for the program it names, under the
/// MeasurementRegistry's liveness epoch, in the word keyed by (root, signer, programId); the registry pushes
/// every epoch here (ILivenessEpochSink), so while the local copy still equals the cached epoch and the cached
/// deadline has not passed, no revocation, rotation, removal or re-attestation under another measurement has
/// happened since, and the cache is the full answer. Otherwise inclusion asks the EnclaveRegistry in full.
/// @custom:security-contact security@teezk.invalid
contract BatchReceipts is EIP712, IBatchReceipts, ILivenessEpochSink, IGoverned {
    /// @notice How far `issuedAt` may run ahead of block time.
    uint64 public constant MAX_CLOCK_SKEW = 5 minutes;

    /// @notice The mirrored epoch while no registry pushes here; equal to MeasurementRegistry.NOT_MIRRORED.
    uint64 public constant NOT_MIRRORED = type(uint64).max;

    /// @dev One word: the signer was live for the program when `epoch` was the liveness epoch, until `liveUntil`.
    /// `liveUntil == 0`: nothing cached.
    struct LivenessCache {
        uint40 liveUntil;
        uint64 epoch;
    }

    IEnclaveRegistry private immutable _enclaveRegistry;
    IMeasurementRegistry private immutable _measurementRegistry;
    /// @dev One storage word per batch; `count != 0` marks a submitted batch (empty batches are refused).
    mapping(bytes32 root => mapping(address signer => BatchRecord)) private _batches;
    /// @dev Written only for submitted batches, so a live cache also proves the batch exists.
    mapping(bytes32 root => mapping(address signer => mapping(bytes32 programId => LivenessCache))) private
        _livenessCache;
    /// @dev Starts (and, once removed as a sink, ends) at NOT_MIRRORED, which no cache epoch ever equals.
    uint64 private _mirroredEpoch = NOT_MIRRORED;
    /// @dev Keyed by the leaf alone, the receipt's own identity: the same receipt carried by another batch (another
    /// root) or vouched for by another signer is still one receipt, so a consumer cannot use it twice by naming
    /// another batch or signer. Keyed by (root, leaf), a key holder could re-batch a consumed receipt and replay it.
    mapping(address consumer => mapping(bytes32 leaf => bool)) private _consumed;

    /// @param enclaveRegistry_ The registry whose live enclaves may sign batches.
    constructor(IEnclaveRegistry enclaveRegistry_) EIP712("teezk BatchReceipts", "1") {
        if (address(enclaveRegistry_) == address(0)) revert ZeroAddress("enclaveRegistry");
        _enclaveRegistry = enclaveRegistry_;
        _measurementRegistry = enclaveRegistry_.measurementRegistry();
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
        // Refuses records under keys that are not enclaves at all, such as the random address a junk signature
        // recovers to; the answer is also what inclusion of this program's receipts reads back (cached below)
        // until the epoch moves. Inclusion still requires liveness per receipt, for the receipt's own program.
        (uint64 liveUntil, uint64 epoch) = _enclaveRegistry.liveness(enclave, programId);
        if (liveUntil == 0) revert EnclaveNotLive(enclave, programId);
        (record.count, record.issuedAt, record.submittedAt) = (batch.count, batch.issuedAt, uint64(block.timestamp));
        emit BatchSubmitted(batch.root, enclave, batch.count, batch.issuedAt);
        // Unmirrored (not a sink yet, or the registry is behind this copy): no cache, inclusion checks in full.
        if (epoch == _mirroredEpoch) _cache(batch.root, enclave, programId, liveUntil, epoch);
    }

    /// @inheritdoc IBatchReceipts
    function refreshBatchLiveness(bytes32 root, address signer, bytes32 programId)
        external
        returns (uint64 liveUntil)
    {
        if (_batches[root][signer].count == 0) revert BatchNotFound(root, signer);
        uint64 epoch;
        (liveUntil, epoch) = _enclaveRegistry.liveness(signer, programId);
        if (liveUntil == 0) revert EnclaveNotLive(signer, programId);
        if (epoch != _mirroredEpoch) revert LivenessEpochNotMirrored(epoch, _mirroredEpoch);
        _cache(root, signer, programId, liveUntil, epoch);
    }

    /// @inheritdoc ILivenessEpochSink
    function mirrorLivenessEpoch(uint64 epoch) external {
        if (msg.sender != address(_measurementRegistry)) revert NotLivenessEpochSource(msg.sender);
        _mirroredEpoch = epoch;
        emit LivenessEpochMirrored(epoch);
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
        if (_consumed[msg.sender][leaf]) revert ReceiptAlreadyConsumed(msg.sender, leaf);
        _consumed[msg.sender][leaf] = true;
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
    function isConsumed(address consumer, bytes32 leaf) external view returns (bool) {
        return _consumed[consumer][leaf];
    }

    /// @inheritdoc IBatchReceipts
    function batchRecord(bytes32 root, address signer) external view returns (BatchRecord memory) {
        return _batches[root][signer];
    }

    /// @inheritdoc IBatchReceipts
    function batchLiveness(bytes32 root, address signer, bytes32 programId)
        external
        view
        returns (uint64 liveUntil, uint64 epoch)
    {
        LivenessCache memory cached = _livenessCache[root][signer][programId];
        return (cached.liveUntil, cached.epoch);
    }

    /// @inheritdoc IBatchReceipts
    function enclaveRegistry() external view returns (IEnclaveRegistry) {
        return _enclaveRegistry;
    }

    /// @inheritdoc ILivenessEpochSink
    function livenessEpochSource() external view returns (IMeasurementRegistry) {
        return _measurementRegistry;
    }

    /// @inheritdoc ILivenessEpochSink
    function mirroredLivenessEpoch() external view returns (uint64) {
        return _mirroredEpoch;
    }

    function _verifyIncluded(Receipt calldata receipt, bytes32 root, address signer, bytes32[] calldata proof)
        private
        view
        returns (bytes32 leaf)
    {
        bytes32 programId = receipt.programId;
        LivenessCache memory cached = _livenessCache[root][signer][programId];
        // The cache exists only for submitted batches, so the fast path needs neither the record nor the registry.
        bool cachedLive = block.timestamp < cached.liveUntil && cached.epoch == _mirroredEpoch;
        if (!cachedLive && _batches[root][signer].count == 0) revert BatchNotFound(root, signer);
        leaf = ReceiptTypes.batchLeaf(receipt);
        if (!MerkleProof.verifyCalldata(proof, root, leaf)) revert ReceiptNotInBatch(root, leaf);
        if (!cachedLive && !_enclaveRegistry.isLive(signer, programId)) revert EnclaveNotLive(signer, programId);
    }

    function _cache(bytes32 root, address signer, bytes32 programId, uint64 liveUntil, uint64 epoch) private {
        // liveUntil <= the key's expiry, a uint40 in the registry.
        _livenessCache[root][signer][programId] = LivenessCache({liveUntil: uint40(liveUntil), epoch: epoch});
        emit BatchLivenessCached(root, signer, programId, liveUntil, epoch);
    }
}
