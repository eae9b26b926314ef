// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Batch, Receipt} from "../receipts/Receipt.sol";
import {IEnclaveRegistry} from "./IEnclaveRegistry.sol";

/// @title IBatchReceipts
/// @notice An enclave signs one EIP-712 `Batch` over a StandardMerkleTree of receipts; after one submission,
/// each receipt is checked with a Merkle proof.
/// @custom:security-contact security@teezk.invalid
interface IBatchReceipts {
    /// @notice A submitted batch.
    struct BatchRecord {
        address enclave;
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
    /// @notice Thrown when a root was already submitted.
    error BatchAlreadySubmitted(bytes32 root);
    /// @notice Thrown when no batch with this root was submitted.
    error BatchNotFound(bytes32 root);
    /// @notice Thrown when the Merkle proof does not place the receipt under the root.
    error ReceiptNotInBatch(bytes32 root, bytes32 leaf);
    /// @notice Thrown when the batch's signer is not live for the receipt's program now.
    error EnclaveNotLive(address signer, bytes32 programId);
    /// @notice Thrown when `consumer` already consumed this leaf of this batch.
    error ReceiptAlreadyConsumed(address consumer, bytes32 root, bytes32 leaf);

    /// @notice Emitted when a signed batch root is submitted.
    event BatchSubmitted(bytes32 indexed root, address indexed enclave, uint32 count, uint64 issuedAt);
    /// @notice Emitted when `consumer` consumes a receipt of a batch.
    event BatchReceiptConsumed(
        bytes32 indexed programId, bytes32 indexed root, address indexed consumer, bytes32 leaf
    );

    /// @notice Records `batch` signed by `signature`; returns the signing enclave.
    /// @dev The batch does not name a program, so the signer's liveness is checked per receipt, at inclusion time,
    /// against the receipt's own programId.
    function submitBatch(Batch calldata batch, bytes calldata signature) external returns (address enclave);

    /// @notice Returns the batch signer; reverts unless `receipt` is in batch `root` and the signer is live for
    /// `receipt.programId` now.
    /// @dev Caller responsibilities: receipt age and digest meanings, as for IReceiptVerifier.verifyReceipt; a view
    /// check does not stop replays (use consumeIncluded).
    function verifyIncluded(Receipt calldata receipt, bytes32 root, bytes32[] calldata proof)
        external
        view
        returns (address enclave);

    /// @notice Like verifyIncluded, then records the leaf as consumed by `msg.sender` (per-consumer replay guard).
    function consumeIncluded(Receipt calldata receipt, bytes32 root, bytes32[] calldata proof)
        external
        returns (address enclave);

    /// @notice The EIP-712 digest an enclave signs for `batch`.
    function batchDigest(Batch calldata batch) external view returns (bytes32);

    /// @notice The tree leaf of `receipt` (see ReceiptTypes.batchLeaf).
    function leafOf(Receipt calldata receipt) external pure returns (bytes32);

    /// @notice The record of batch `root`; zeros when not submitted.
    function batchRecord(bytes32 root) external view returns (BatchRecord memory);

    /// @notice The enclave registry consulted for liveness.
    function enclaveRegistry() external view returns (IEnclaveRegistry);
}
