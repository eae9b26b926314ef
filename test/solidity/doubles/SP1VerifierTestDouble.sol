// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ISP1Verifier} from "../../../contracts/interfaces/ISP1Verifier.sol";

/// @notice Test double for an SP1 verifier (SP1 proofs cannot be produced here): a "proof" is valid when it is
/// keccak256(abi.encode(programVKey, publicValues)), so tests can make valid and invalid proofs.
contract SP1VerifierTestDouble is ISP1Verifier {
    error InvalidProof();

    function verifyProof(bytes32 programVKey, bytes calldata publicValues, bytes calldata proofBytes) external pure {
        if (keccak256(proofBytes) != keccak256(abi.encodePacked(keccak256(abi.encode(programVKey, publicValues))))) {
            revert InvalidProof();
        }
    }
}
