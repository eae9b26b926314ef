// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {IGoverned} from "../interfaces/IGoverned.sol";
import {IPrivateProofVerifier} from "../interfaces/IPrivateProofVerifier.sol";
import {IReceiptVerifier} from "../interfaces/IReceiptVerifier.sol";
import {Receipt} from "./Receipt.sol";

/// @title PrivateProofVerifier
/// @notice One deployment per circuit: verifies a Groth16 proof through the circuit's snarkjs-generated
/// `verifyProof(uint256[2],uint256[2][2],uint256[2],uint256[K])` and an enclave receipt committing to it.
/// @dev snarkjs verifiers take a fixed-size `uint256[K]`, whose selector depends on K and whose ABI encoding is K
/// words in place. The adapter computes that selector once at deployment and calls with
/// `selector ‖ abi.encode(a, b, c) ‖ abi.encodePacked(publicSignals)` (elements of a uint256 array are packed as
/// full words), so any K works without per-circuit Solidity.
/// proofDigest = keccak256(abi.encode(a, b, c, publicSignals)) with types (uint256[2], uint256[2][2], uint256[2],
/// uint256[]) — the dynamic array encoded with its offset and length (viem: encodeAbiParameters with those types).
/// @custom:security-contact security@teezk.invalid
contract PrivateProofVerifier is IPrivateProofVerifier, IGoverned {
    IReceiptVerifier private immutable _receiptVerifier;
    address private immutable _groth16Verifier;
    uint256 private immutable _publicSignalCount;
    bytes32 private immutable _programId;
    bytes4 private immutable _verifySelector;

    mapping(address consumer => mapping(bytes32 receiptDigest => bool)) private _consumed;

    /// @param receiptVerifier_ Checks the enclave signature and liveness.
    /// @param groth16Verifier_ The circuit's snarkjs-generated verifier.
    /// @param publicSignalCount_ K, the circuit's number of public signals.
    /// @param programId_ The program id this circuit's receipts carry.
    constructor(
        IReceiptVerifier receiptVerifier_,
        address groth16Verifier_,
        uint256 publicSignalCount_,
        bytes32 programId_
    ) {
        if (address(receiptVerifier_) == address(0)) revert ZeroAddress("receiptVerifier");
        if (groth16Verifier_.code.length == 0 || publicSignalCount_ == 0) {
            revert InvalidCircuitVerifier(groth16Verifier_, publicSignalCount_);
        }
        _receiptVerifier = receiptVerifier_;
        _groth16Verifier = groth16Verifier_;
        _publicSignalCount = publicSignalCount_;
        _programId = programId_;
        _verifySelector = bytes4(
            keccak256(
                bytes(
                    string.concat(
                        "verifyProof(uint256[2],uint256[2][2],uint256[2],uint256[",
                        Strings.toString(publicSignalCount_),
                        "])"
                    )
                )
            )
        );
    }

    /// @inheritdoc IPrivateProofVerifier
    function verifyPrivateProof(
        Groth16Proof calldata proof,
        uint256[] calldata publicSignals,
        Receipt calldata receipt,
        bytes calldata signature
    ) external view returns (address enclave) {
        _checkProof(proof, publicSignals, receipt);
        enclave = _receiptVerifier.verifyReceipt(receipt, signature);
    }

    /// @inheritdoc IPrivateProofVerifier
    function consumePrivateProof(
        Groth16Proof calldata proof,
        uint256[] calldata publicSignals,
        Receipt calldata receipt,
        bytes calldata signature
    ) external returns (address enclave) {
        _checkProof(proof, publicSignals, receipt);
        enclave = _receiptVerifier.verifyReceipt(receipt, signature);
        bytes32 digest = _receiptVerifier.receiptDigest(receipt);
        if (_consumed[msg.sender][digest]) revert PrivateProofAlreadyConsumed(msg.sender, digest);
        _consumed[msg.sender][digest] = true;
        emit PrivateProofConsumed(receipt.programId, enclave, msg.sender, digest);
    }

    /// @inheritdoc IPrivateProofVerifier
    function proofDigestOf(Groth16Proof calldata proof, uint256[] calldata publicSignals)
        external
        pure
        returns (bytes32)
    {
        return _proofDigest(proof, publicSignals);
    }

    /// @inheritdoc IPrivateProofVerifier
    function programId() external view returns (bytes32) {
        return _programId;
    }

    /// @inheritdoc IPrivateProofVerifier
    function groth16Verifier() external view returns (address) {
        return _groth16Verifier;
    }

    /// @inheritdoc IPrivateProofVerifier
    function publicSignalCount() external view returns (uint256) {
        return _publicSignalCount;
    }

    /// @inheritdoc IPrivateProofVerifier
    function receiptVerifier() external view returns (IReceiptVerifier) {
        return _receiptVerifier;
    }

    function _checkProof(Groth16Proof calldata proof, uint256[] calldata publicSignals, Receipt calldata receipt)
        private
        view
    {
        if (publicSignals.length != _publicSignalCount) {
            revert PublicSignalCountMismatch(publicSignals.length, _publicSignalCount);
        }
        if (receipt.programId != _programId) revert ProgramMismatch(_programId, receipt.programId);
        bytes32 digest = _proofDigest(proof, publicSignals);
        if (receipt.proofDigest != digest) revert ProofDigestMismatch(digest, receipt.proofDigest);

        uint256[] memory signals = publicSignals;
        (bool ok, bytes memory result) = _groth16Verifier.staticcall(
            abi.encodePacked(_verifySelector, abi.encode(proof.a, proof.b, proof.c), signals)
        );
        if (!ok || result.length != 32 || abi.decode(result, (uint256)) != 1) revert InvalidGroth16Proof();
    }

    function _proofDigest(Groth16Proof calldata proof, uint256[] calldata publicSignals)
        private
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(proof.a, proof.b, proof.c, publicSignals));
    }
}
