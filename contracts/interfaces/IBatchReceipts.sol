// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Batch, Receipt} from "../receipts/Receipt.sol";
import {IEnclaveRegistry} from "./IEnclaveRegistry.sol";

/// @title IBatchReceipts
/// @notice An enclave signs one EIP-712 `Batch` over a StandardMerkleTree of receipts; after one submission,
/// each receipt is checked with a Merkle proof.
/// @dev A batch is identified by (root, signer), never by its root alone: the same root submitted under another
/// signer is another batch, so no submission can block another signer's, and every inclusion check names the
/// signer whose liveness it relies on.
/// @custom:security-contact security@teezk.invalid
interface IBatchReceipts {
    /// @notice A submitted batch (its root and signer are the key it is stored under).
    struct BatchRecord {
        uint32 count;
        uint64 issuedAt;
        uint64 submittedAt;
    }

    /// @notice Thrown when a batch signature does not recover to an address.
    error InvalidBatchSignature();
    /// @notice Thrown when a batch is empty or its root is zero.
    error EmptyBatch();
    /// @notice Thrown when a batch's `issuedAt` is later than the block time plus MAX_CLOCK_SKEW.
    error BatchFromFuture(uint64 issuedAt, uint256 now_);
    /// @notice Thrown when `signer` already submitted a batch with this root.
    error BatchAlreadySubmitted(bytes32 root, address signer);
    /// @notice Thrown when `signer` never submitted a batch with this root.
    error BatchNotFound(bytes32 root, address signer);
    /// @notice Thrown when the Merkle proof does not place the receipt under the root.
    error ReceiptNotInBatch(bytes32 root, bytes32 leaf);
    /// @notice Thrown when the batch's signer is not live for `programId` now: at submission the program the
    /// submitter named, at inclusion the receipt's own.
    error EnclaveNotLive(address signer, bytes32 programId);
    /// @notice Thrown when refreshing a batch's liveness cache while this contract does not mirror the registry's
    /// liveness epoch (it is not, or no longer, a liveness sink of the MeasurementRegistry).
    error LivenessEpochNotMirrored(uint64 registryEpoch, uint64 mirroredEpoch);
    /// @notice Thrown when `consumer` already consumed the receipt whose leaf is `leaf`, through any batch and signer.
    error ReceiptAlreadyConsumed(address consumer, bytes32 leaf);

    /// @notice Emitted when a signed batch root is submitted; (root, enclave) identifies the batch.
    event BatchSubmitted(bytes32 indexed root, address indexed enclave, uint32 count, uint64 issuedAt);
    /// @notice Emitted when the signer's liveness for `programId` is cached for its batch `root` (inclusion of that
    /// program's receipts then skips the registry while `epoch` stays current and until `liveUntil`).
    event BatchLivenessCached(
        bytes32 indexed root, address indexed signer, bytes32 indexed programId, uint64 liveUntil, uint64 epoch
    );
    /// @notice Emitted when `consumer` consumes a receipt (`leaf`) through the batch `root`.
    event BatchReceiptConsumed(
        bytes32 indexed programId, bytes32 indexed root, address indexed consumer, bytes32 leaf
    );

    /// @notice Records `batch` under (batch.root, the address `signature` recovers to); returns that enclave.
    /// @param programId A program the signer must be live for now. It keeps keys that are no enclave at all (such
    /// as the address a junk signature recovers to) from recording anything, and the answer is cached for this
    /// program's receipts (see refreshBatchLiveness). The batch may hold receipts of several programs: the
    /// signer's liveness is still required per receipt, at inclusion time, for the receipt's own programId.
    function submitBatch(Batch calldata batch, bytes32 programId, bytes calldata signature)
        external
        returns (address enclave);

    /// @notice Caches `signer`'s liveness for `programId` for its batch `root` after the full check, so inclusion
    /// of that program's receipts takes the fast path again: after a liveness-epoch change, or for a program other
    /// than the one named at submission. Anyone may call it: it stores only what the full check shows now.
    /// @return liveUntil Until when the cache answers "live" unless the liveness epoch advances first.
    function refreshBatchLiveness(bytes32 root, address signer, bytes32 programId) external returns (uint64 liveUntil);

    /// @notice Reverts unless `signer` submitted batch `root`, `receipt` is in it, and `signer` is live for
    /// `receipt.programId` now.
    /// @dev Caller responsibilities: which signers to trust (any enclave live for the program, as for
    /// IReceiptVerifier, or one the caller pins), receipt age and digest meanings; a view check does not stop
    /// replays (use consumeIncluded).
    function verifyIncluded(Receipt calldata receipt, bytes32 root, address signer, bytes32[] calldata proof)
        external
        view;

    /// @notice Like verifyIncluded, then records the receipt as consumed by `msg.sender`: at most once per consumer,
    /// whatever batch carries it and whichever signer vouches for it (the replay key is the leaf, not the root).
    /// @dev Caller responsibilities: ReceiptVerifier's single receipts are another route with its own consumption
    /// record (keyed by that contract's EIP-712 digest); a consumer accepting both routes for one program checks
    /// the other route's isConsumed, or the receipt nonces it expects (docs/decisions.md).
    function consumeIncluded(Receipt calldata receipt, bytes32 root, address signer, bytes32[] calldata proof)
        external;

    /// @notice The EIP-712 digest an enclave signs for `batch`.
    function batchDigest(Batch calldata batch) external view returns (bytes32);

    /// @notice The tree leaf of `receipt` (see ReceiptTypes.batchLeaf).
    function leafOf(Receipt calldata receipt) external pure returns (bytes32);

    /// @notice True when `consumer` consumed the receipt whose leaf is `leaf` (see leafOf), through any batch.
    function isConsumed(address consumer, bytes32 leaf) external view returns (bool);

    /// @notice The record of the batch `signer` submitted with `root`; zeros when not submitted.
    function batchRecord(bytes32 root, address signer) external view returns (BatchRecord memory);

    /// @notice The liveness cache of (`root`, `signer`, `programId`); liveUntil 0 when none. It is used only while
    /// `epoch` equals the mirrored liveness epoch.
    function batchLiveness(bytes32 root, address signer, bytes32 programId)
        external
        view
        returns (uint64 liveUntil, uint64 epoch);

    /// @notice The enclave registry consulted for liveness.
    function enclaveRegistry() external view returns (IEnclaveRegistry);
}
