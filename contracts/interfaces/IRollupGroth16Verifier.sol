// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title IRollupGroth16Verifier
/// @notice The generated Groth16 verifier of circuits/rollup.circom (RollupGroth16Verifier or its lean variant).
/// @custom:security-contact security@teezk.invalid
interface IRollupGroth16Verifier {
    /// @notice True when the proof (a, b, c) verifies for the public signals [newRoot, prevRoot, epoch].
    function verifyProof(
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c,
        uint256[3] calldata pubSignals
    ) external view returns (bool);
}
