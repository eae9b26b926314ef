// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IRootProofVerifier} from "./IRootProofVerifier.sol";
import {IRollupGroth16Verifier} from "./IRollupGroth16Verifier.sol";

/// @title IRollupRootProofVerifier
/// @notice A MultiProverRoots ZK leg that accepts a root only with a Groth16 proof of the rollup's state transition
/// from the previous epoch's finalized root, for that epoch.
/// @custom:security-contact security@teezk.invalid
interface IRollupRootProofVerifier is IRootProofVerifier {
    /// @notice Thrown by the constructor for a zero verifier, program id or genesis root.
    error RollupVerifierMisconfigured();

    /// @notice The generated Groth16 verifier the proofs are checked with.
    function groth16Verifier() external view returns (IRollupGroth16Verifier);

    /// @notice The only program id this verifier answers for.
    function programId() external view returns (bytes32);

    /// @notice The state root before epoch 1 (epoch 0 is the genesis and is never proven).
    function genesisRoot() external view returns (bytes32);

    /// @notice The root a proof for `epoch` must start from, as `caller` (a MultiProverRoots) has it finalized:
    /// genesisRoot for epoch 1, zero when the previous epoch is not finalized or is disputed.
    function previousRoot(address caller, uint64 epoch) external view returns (bytes32);
}
