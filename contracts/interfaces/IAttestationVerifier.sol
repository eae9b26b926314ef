// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title IAttestationVerifier
/// @notice One attestation path (committee verdicts, SP1 proof, later on-chain DCAP): it checks that a proof
/// vouches for exactly these ABI-encoded Claims. The EnclaveRegistry selects a path by id.
/// @custom:security-contact security@teezk.invalid
interface IAttestationVerifier {
    /// @notice Thrown by a path that vouches only for one Claims record (`abi.encode(Claims)`, 288 bytes) when
    /// asked to vouch for `encodedLength` bytes, such as a composite's `abi.encode(Claims cpu, Claims[] gpus)`.
    error CompositeNotSupported(uint256 encodedLength);

    /// @notice Reverts unless `proof` vouches for `encodedClaims` (= `abi.encode(Claims)`, or for a composite
    /// `abi.encode(Claims cpu, Claims[] gpus)`).
    /// @dev Caller responsibilities: a path says only that the evidence behind the claims verified against the
    /// vendor's chain. Binding, nonce freshness and measurement policy are the caller's (EnclaveRegistry) to check.
    function verifyAttestation(bytes calldata encodedClaims, bytes calldata proof) external view;
}
