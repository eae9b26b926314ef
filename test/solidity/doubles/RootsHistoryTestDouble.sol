// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IRootProofVerifier} from "../../../contracts/interfaces/IRootProofVerifier.sol";

/// @notice Test double for the caller a RollupRootProofVerifier reads its previous root from: a roots contract
/// whose finalized history the test writes, so real proofs can be checked at epochs past 1 without enclaves.
contract RootsHistoryTestDouble {
    mapping(uint64 epoch => bytes32 root) public finalizedRoot;

    function setFinalizedRoot(uint64 epoch, bytes32 root) external {
        finalizedRoot[epoch] = root;
    }

    /// @notice Asks `verifier` as this contract does when finalizing, so the verifier reads this history.
    function verifyAsRoots(IRootProofVerifier verifier, bytes32 programId, uint64 epoch, bytes32 root, bytes calldata proof)
        external
        view
        returns (bool)
    {
        return verifier.verifyRootProof(programId, epoch, root, proof);
    }
}
