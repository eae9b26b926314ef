// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @notice Test double with a snarkjs verifier's exact signature for K = 2 public signals: "valid" when
/// a[0] == pubSignals[0] + pubSignals[1], so tests can make valid and invalid proofs without a circuit.
contract Groth16VerifierTestDouble {
    function verifyProof(uint256[2] calldata a, uint256[2][2] calldata, uint256[2] calldata, uint256[2] calldata s)
        external
        pure
        returns (bool)
    {
        return a[0] == s[0] + s[1];
    }
}
