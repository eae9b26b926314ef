// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IRollupGroth16Verifier} from "../../../contracts/interfaces/IRollupGroth16Verifier.sol";

/// @notice Test double with the rollup verifier's signature: "valid" when a[0] == keccak256(abi.encode(pubSignals)),
/// so a test can make a proof of exactly the public signals [newRoot, prevRoot, epoch] it names, and no other.
/// The real verifier is tested with real proofs in test/circuits/RollupGroth16Verifier.test.ts.
contract RollupGroth16VerifierTestDouble is IRollupGroth16Verifier {
    function verifyProof(uint256[2] calldata a, uint256[2][2] calldata, uint256[2] calldata, uint256[3] calldata s)
        external
        pure
        returns (bool)
    {
        return a[0] == uint256(keccak256(abi.encode(s)));
    }

    function proofOf(bytes32 newRoot, bytes32 prevRoot, uint64 epoch) external pure returns (bytes memory) {
        uint256[3] memory s = [uint256(newRoot), uint256(prevRoot), uint256(epoch)];
        uint256[2] memory a = [uint256(keccak256(abi.encode(s))), 0];
        uint256[2][2] memory b;
        uint256[2] memory c;
        return abi.encode(a, b, c);
    }
}
