// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IRootProofVerifier} from "../../../contracts/interfaces/IRootProofVerifier.sol";

/// @notice Test double for a ZK root verifier: a "proof" is valid when it is
/// abi.encode(keccak256(abi.encode(programId, epoch, root))).
contract RootProofVerifierTestDouble is IRootProofVerifier {
    function verifyRootProof(bytes32 programId, uint64 epoch, bytes32 root, bytes calldata proof)
        external
        pure
        returns (bool)
    {
        return keccak256(proof) == keccak256(validProof(programId, epoch, root));
    }

    function validProof(bytes32 programId, uint64 epoch, bytes32 root) public pure returns (bytes memory) {
        return abi.encode(keccak256(abi.encode(programId, epoch, root)));
    }
}
