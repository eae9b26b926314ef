// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {IEnclaveRegistry} from "../interfaces/IEnclaveRegistry.sol";
import {IGoverned} from "../interfaces/IGoverned.sol";
import {IReceiptVerifier} from "../interfaces/IReceiptVerifier.sol";
import {Receipt, ReceiptTypes} from "./Receipt.sol";

/// @title ReceiptVerifier
/// @notice EIP-712 receipts (domain "teezk ReceiptVerifier", version "1") signed by enclaves that are live for
/// the receipt's program in the EnclaveRegistry at the time of the check.
/// @custom:security-contact security@teezk.invalid
contract ReceiptVerifier is EIP712, IReceiptVerifier, IGoverned {
    /// @notice How far `issuedAt` may run ahead of block time.
    uint64 public constant MAX_CLOCK_SKEW = 5 minutes;

    IEnclaveRegistry private immutable _enclaveRegistry;
    mapping(address consumer => mapping(bytes32 digest => bool)) private _consumed;

    /// @param enclaveRegistry_ The registry whose live enclaves may sign receipts.
    constructor(IEnclaveRegistry enclaveRegistry_) EIP712("teezk ReceiptVerifier", "1") {
        if (address(enclaveRegistry_) == address(0)) revert ZeroAddress("enclaveRegistry");
        _enclaveRegistry = enclaveRegistry_;
    }

    /// @inheritdoc IReceiptVerifier
    function verifyReceipt(Receipt calldata receipt, bytes calldata signature) external view returns (address enclave) {
        (enclave,) = _verify(receipt, signature);
    }

    /// @inheritdoc IReceiptVerifier
    function consumeReceipt(Receipt calldata receipt, bytes calldata signature) external returns (address enclave) {
        bytes32 digest;
        (enclave, digest) = _verify(receipt, signature);
        if (_consumed[msg.sender][digest]) revert ReceiptAlreadyConsumed(msg.sender, digest);
        _consumed[msg.sender][digest] = true;
        emit ReceiptConsumed(receipt.programId, enclave, msg.sender, digest);
    }

    /// @inheritdoc IReceiptVerifier
    function receiptDigest(Receipt calldata receipt) external view returns (bytes32) {
        return _hashTypedDataV4(ReceiptTypes.structHash(receipt));
    }

    /// @inheritdoc IReceiptVerifier
    function isConsumed(address consumer, bytes32 digest) external view returns (bool) {
        return _consumed[consumer][digest];
    }

    /// @inheritdoc IReceiptVerifier
    function enclaveRegistry() external view returns (IEnclaveRegistry) {
        return _enclaveRegistry;
    }

    function _verify(Receipt calldata receipt, bytes calldata signature)
        private
        view
        returns (address enclave, bytes32 digest)
    {
        if (receipt.issuedAt > block.timestamp + MAX_CLOCK_SKEW) revert ReceiptFromFuture(receipt.issuedAt, block.timestamp);
        digest = _hashTypedDataV4(ReceiptTypes.structHash(receipt));
        ECDSA.RecoverError err;
        (enclave, err,) = ECDSA.tryRecover(digest, signature);
        if (err != ECDSA.RecoverError.NoError) revert InvalidReceiptSignature();
        if (!_enclaveRegistry.isLive(enclave, receipt.programId)) revert EnclaveNotLive(enclave, receipt.programId);
    }
}
