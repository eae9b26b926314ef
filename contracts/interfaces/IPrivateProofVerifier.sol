// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Receipt} from "../receipts/Receipt.sol";
import {IReceiptVerifier} from "./IReceiptVerifier.sol";

/// @title IPrivateProofVerifier
/// @notice "Proved privately in an attested TEE": a Groth16 proof of one app circuit plus an enclave receipt
/// whose proofDigest commits to that proof and its public signals.
/// @custom:security-contact security@teezk.invalid
interface IPrivateProofVerifier {
    /// @notice A Groth16 proof in snarkjs' Solidity calldata layout.
    struct Groth16Proof {
        uint256[2] a;
        uint256[2][2] b;
        uint256[2] c;
    }

    /// @notice Thrown when the number of public signals differs from the circuit's.
    error PublicSignalCountMismatch(uint256 given, uint256 expected);
    /// @notice Thrown when the receipt is for another program.
    error ProgramMismatch(bytes32 expected, bytes32 receiptProgramId);
    /// @notice Thrown when the receipt's proofDigest does not commit to this proof and these public signals.
    error ProofDigestMismatch(bytes32 expected, bytes32 receiptProofDigest);
    /// @notice Thrown when the Groth16 verifier rejects the proof (or does not answer with one boolean).
    error InvalidGroth16Proof();
    /// @notice Thrown when `consumer` already consumed the receipt with this digest here.
    error PrivateProofAlreadyConsumed(address consumer, bytes32 receiptDigest);
    /// @notice Thrown when the circuit verifier has no code or the circuit has no public signals.
    error InvalidCircuitVerifier(address verifier, uint256 publicSignalCount);

    /// @notice Emitted when `consumer` consumes a private proof.
    event PrivateProofConsumed(
        bytes32 indexed programId, address indexed enclave, address indexed consumer, bytes32 receiptDigest
    );

    /// @notice Returns the enclave that signed the receipt; reverts unless the Groth16 proof verifies, the
    /// receipt is for this circuit's programId, its proofDigest equals proofDigestOf(proof, publicSignals), and
    /// the signer is live for the program.
    /// @dev Caller responsibilities: what the public signals must say for the application, the receipt's age,
    /// and replay (use consumePrivateProof).
    function verifyPrivateProof(
        Groth16Proof calldata proof,
        uint256[] calldata publicSignals,
        Receipt calldata receipt,
        bytes calldata signature
    ) external view returns (address enclave);

    /// @notice Like verifyPrivateProof, then records the receipt as consumed by `msg.sender` (per-consumer).
    function consumePrivateProof(
        Groth16Proof calldata proof,
        uint256[] calldata publicSignals,
        Receipt calldata receipt,
        bytes calldata signature
    ) external returns (address enclave);

    /// @notice keccak256(abi.encode(uint256[2] a, uint256[2][2] b, uint256[2] c, uint256[] publicSignals)).
    function proofDigestOf(Groth16Proof calldata proof, uint256[] calldata publicSignals)
        external
        pure
        returns (bytes32);

    /// @notice The program id receipts must carry (one deployment per circuit).
    function programId() external view returns (bytes32);

    /// @notice The snarkjs-generated verifier of the circuit.
    function groth16Verifier() external view returns (address);

    /// @notice How many public signals the circuit has.
    function publicSignalCount() external view returns (uint256);

    /// @notice The receipt verifier that checks the enclave's signature and liveness.
    function receiptVerifier() external view returns (IReceiptVerifier);
}
