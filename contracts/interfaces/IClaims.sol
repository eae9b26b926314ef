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
    uint32 svn;
    bool debug;
}
