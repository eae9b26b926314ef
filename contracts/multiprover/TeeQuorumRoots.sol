// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IEnclaveRegistry} from "../interfaces/IEnclaveRegistry.sol";
import {IMultiProverRoots} from "../interfaces/IMultiProverRoots.sol";
import {IRootProofVerifier} from "../interfaces/IRootProofVerifier.sol";
import {MultiProverRoots} from "./MultiProverRoots.sol";

/// @title TeeQuorumRoots
/// @notice MultiProverRoots where live enclaves of at least `minVendors` distinct vendors finalize a root; a
/// ZK proof is optional on this path and alone suffices only through the escape hatch.
/// @custom:security-contact security@teezk.invalid
contract TeeQuorumRoots is MultiProverRoots {
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
        return false;
    }

    function _isQuorumSufficient(uint256 distinctVendors, bool) internal view override returns (bool) {
        return distinctVendors >= _minVendors;
    }
}
