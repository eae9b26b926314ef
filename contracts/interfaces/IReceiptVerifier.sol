// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Receipt} from "../receipts/Receipt.sol";
import {IEnclaveRegistry} from "./IEnclaveRegistry.sol";

/// @title IReceiptVerifier
/// @notice Checks EIP-712 receipts signed by live enclaves allowed for the receipt's program.
/// @custom:security-contact security@teezk.invalid
interface IReceiptVerifier {
    /// @notice Thrown when a signature does not recover to an address.
    error InvalidReceiptSignature();
    /// @notice Thrown when the signer is not a live enclave for the program (unregistered, expired, removed, or
    /// its measurement is no longer allowed).
    error EnclaveNotLive(address signer, bytes32 programId);
    /// @notice Thrown when `issuedAt` is later than the block time plus MAX_CLOCK_SKEW.
    error ReceiptFromFuture(uint64 issuedAt, uint256 now_);
    /// @notice Thrown when `consumer` already consumed the receipt with this digest.
    error ReceiptAlreadyConsumed(address consumer, bytes32 digest);

    /// @notice Emitted when `consumer` consumes a receipt.
    event ReceiptConsumed(
        bytes32 indexed programId, address indexed enclave, address indexed consumer, bytes32 digest
    );

    /// @notice Returns the enclave that signed `receipt`; reverts unless it is live for `receipt.programId` now.
    /// @dev Caller responsibilities: how old a receipt may be (`issuedAt`), and what `inputDigest`,
    /// `outputDigest` and `proofDigest` must commit to, are the integrator's to check. A view check does not
    /// stop replays: use consumeReceipt for one-time use.
    function verifyReceipt(Receipt calldata receipt, bytes calldata signature) external view returns (address enclave);

    /// @notice Like verifyReceipt, then records the receipt as consumed by `msg.sender`; a second consumption by
    /// the same caller reverts.
    /// @dev Replay protection is per consumer (msg.sender), so nobody can front-run a receipt to burn it for an
    /// integrator. Caller responsibilities as in verifyReceipt.
    function consumeReceipt(Receipt calldata receipt, bytes calldata signature) external returns (address enclave);

    /// @notice The EIP-712 digest an enclave signs for `receipt`.
    function receiptDigest(Receipt calldata receipt) external view returns (bytes32);

    /// @notice True when `consumer` consumed the receipt with `digest`.
    function isConsumed(address consumer, bytes32 digest) external view returns (bool);

    /// @notice The enclave registry consulted for liveness.
    function enclaveRegistry() external view returns (IEnclaveRegistry);
}
