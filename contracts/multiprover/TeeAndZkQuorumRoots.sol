// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IEnclaveRegistry} from "../interfaces/IEnclaveRegistry.sol";
import {IMultiProverRoots} from "../interfaces/IMultiProverRoots.sol";
import {IRootProofVerifier} from "../interfaces/IRootProofVerifier.sol";
import {MultiProverRoots} from "./MultiProverRoots.sol";

/// @title TeeAndZkQuorumRoots
/// @notice MultiProverRoots where a root needs live enclaves of at least `minVendors` distinct vendors AND a
/// verified ZK proof.
/// @dev The ZK requirement is structural — this contract type — and not a flag: a governance toggle is a key
/// that, once compromised or rushed, lets TEE signatures alone finalize a forged root (Taiko, two SGX proofs).
/// @custom:security-contact security@teezk.invalid
contract TeeAndZkQuorumRoots is MultiProverRoots {
    /// @notice See MultiProverRoots' constructor.
    constructor(
        address governor,
        IEnclaveRegistry enclaveRegistry_,
        IRootProofVerifier rootProofVerifier_,
        bytes32 programId_,
        uint256 minVendors_,
        uint64 escapeDelay_
    ) MultiProverRoots(governor, enclaveRegistry_, rootProofVerifier_, programId_, minVendors_, escapeDelay_) {}

    /// @inheritdoc IMultiProverRoots
    function zkRequired() external pure returns (bool) {
        return true;
    }

    function _isQuorumSufficient(uint256 distinctVendors, bool zkProven) internal view override returns (bool) {
        return zkProven && distinctVendors >= _minVendors;
    }
}
