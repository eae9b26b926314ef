// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @notice The one claims record every attestation path produces (DESIGN §2), ABI-encoded identically in
/// TypeScript, Rust and Solidity.
struct Claims {
    uint8 teeType;
    bytes32 measurement;
    bytes32 reportData;
    bytes32 platformId;
    bytes32 rootHash;
    uint64 timestamp;
    uint8 tcbStatus;
    /// Six 8-bit lanes, lane 0 lowest, compared lane by lane (DESIGN §2): SNP microcode, SNP firmware, TEE,
    /// bootloader, FMC; TDX TEE_TCB_SVN[0], [1]; SGX ISVSVN low, high byte; Nitro and NVIDIA 0.
    uint48 svn;
    bool debug;
}

/// @notice Hashing of Claims as committee verdicts sign it and contracts index it.
/// @dev Also gives this file a contract, without which solc's output for it has no `contracts` field and Hardhat's
/// EDR network (hardhat node, ignition) fails to load the build info.
library ClaimsHashing {
    /// @notice keccak256(abi.encode(claims)).
    function hash(Claims memory claims) internal pure returns (bytes32) {
        return keccak256(abi.encode(claims));
    }
}
