// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IAttestationVerifier} from "../interfaces/IAttestationVerifier.sol";
import {IGoverned} from "../interfaces/IGoverned.sol";
import {ISP1Verifier} from "../interfaces/ISP1Verifier.sol";

/// @title Sp1AttestationVerifier
/// @notice Attestation path where an SP1 program (zkprogram, `attest` mode) verified the vendor evidence and
/// committed `abi.encode(Claims)` as its public values. It cannot vouch for composite CPU+GPU claims (the program
/// commits no composite journal yet): registerComposite through it reverts CompositeNotSupported.
/// @dev Immutable: a new program version is a new route in the EnclaveRegistry, and the old route is frozen.
/// @custom:security-contact security@teezk.invalid
contract Sp1AttestationVerifier is IAttestationVerifier, IGoverned {
    /// @notice The SP1 verifier (gateway) that checks proofs.
    ISP1Verifier public immutable sp1Verifier;
    /// @notice The verification key of the teezk SP1 program.
    bytes32 public immutable programVKey;
    /// @notice Length of `abi.encode(Claims)`, the `attest` mode's public values.
    uint256 public constant ENCODED_CLAIMS_BYTES = 288;

    /// @param sp1Verifier_ The SP1 verifier gateway.
    /// @param programVKey_ The SP1 program's verification key.
    constructor(ISP1Verifier sp1Verifier_, bytes32 programVKey_) {
        if (address(sp1Verifier_) == address(0)) revert ZeroAddress("sp1Verifier");
        sp1Verifier = sp1Verifier_;
        programVKey = programVKey_;
    }

    /// @inheritdoc IAttestationVerifier
    function verifyAttestation(bytes calldata encodedClaims, bytes calldata proof) external view {
        // The program's attest mode commits one Claims record and no composite journal: anything longer would be
        // another mode's public values read as a composite (issue 12 item 6).
        if (encodedClaims.length != ENCODED_CLAIMS_BYTES) revert CompositeNotSupported(encodedClaims.length);
        sp1Verifier.verifyProof(programVKey, encodedClaims, proof);
    }
}
