// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title IRootProofVerifier
/// @notice A ZK verifier for a rollup's state root of one epoch (the MultiProverRoots ZK leg and escape hatch).
/// @custom:security-contact security@teezk.invalid
interface IRootProofVerifier {
    /// @notice True when `proof` proves that `root` is the state root of `epoch` for program `programId`.
    function verifyRootProof(bytes32 programId, uint64 epoch, bytes32 root, bytes calldata proof)
        external
        view
        returns (bool);
}
