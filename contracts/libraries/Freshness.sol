// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title Freshness
/// @notice The on-chain freshness rule for a binding nonce (DESIGN §3), shared by every contract that accepts
/// evidence: the nonce is a recent block hash or a challenge the contract issued, so nobody could have known it
/// long before the evidence was made.
/// @custom:security-contact security@teezk.invalid
library Freshness {
    /// @notice True when `nonce` is one of the last 256 block hashes (all the EVM can see); false for zero.
    function isRecentBlockHash(bytes32 nonce) internal view returns (bool) {
        if (nonce == bytes32(0)) return false;
        uint256 current = block.number;
        uint256 oldest = current > 256 ? current - 256 : 0;
        for (uint256 n = current; n > oldest;) {
            unchecked {
                --n;
            }
            if (blockhash(n) == nonce) return true;
        }
        return false;
    }

    /// @notice A challenge nobody can predict before the previous block, unique per (chain, issuing contract,
    /// requester, `count`): the issuer passes a counter it increments per challenge.
    function newChallenge(uint256 count) internal view returns (bytes32) {
        return keccak256(abi.encode(block.chainid, address(this), msg.sender, count, blockhash(block.number - 1)));
    }
}
