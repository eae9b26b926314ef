// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title ISP1Verifier
/// @notice The interface of Succinct's SP1 verifiers and SP1VerifierGateway (succinctlabs/sp1-contracts),
/// restated here rather than vendored.
/// @custom:security-contact security@teezk.invalid
interface ISP1Verifier {
    /// @notice Reverts unless `proofBytes` proves that program `programVKey` committed `publicValues`.
    /// @param programVKey The verification key of the SP1 program.
    /// @param publicValues The ABI-encoded public values the program committed.
    /// @param proofBytes The proof (first 4 bytes select the verifier version in the gateway).
    function verifyProof(bytes32 programVKey, bytes calldata publicValues, bytes calldata proofBytes) external view;
}
