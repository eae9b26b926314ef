// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IMeasurementRegistry} from "./IMeasurementRegistry.sol";

/// @title ILivenessEpochSink
/// @notice A contract that keeps a local copy of the MeasurementRegistry's liveness epoch, pushed to it by the
/// registry, so a hot check can compare a cached epoch against local storage instead of calling the registry.
/// @dev The registry pushes the new epoch inside every advance (revocation, rotation, key removal), the current
/// epoch when the governor adds the sink, and `NOT_MIRRORED` (2^64 - 1) when the governor removes it. A sink
/// must start at `NOT_MIRRORED` and trust a cache only while its copy equals the epoch the cache was taken in:
/// then an unwired or removed sink never takes the fast path, and a wired one stops taking it from the block
/// of the next advance (docs/decisions.md, "Batch liveness mirror").
/// @custom:security-contact security@teezk.invalid
interface ILivenessEpochSink {
    /// @notice Thrown when anyone but the sink's registry pushes an epoch.
    error NotLivenessEpochSource(address caller);

    /// @notice Emitted when the registry pushes an epoch (`NOT_MIRRORED` when it stops pushing).
    event LivenessEpochMirrored(uint64 epoch);

    /// @notice Stores `epoch` as the sink's copy. Only the registry returned by `livenessEpochSource()`.
    /// @dev Must not revert for its registry: a revert would block the guardian's revocations.
    function mirrorLivenessEpoch(uint64 epoch) external;

    /// @notice The MeasurementRegistry whose epoch this sink mirrors; the registry refuses a sink that names
    /// another.
    function livenessEpochSource() external view returns (IMeasurementRegistry);

    /// @notice The sink's copy of the epoch; `NOT_MIRRORED` (2^64 - 1) while no registry pushes to it.
    function mirroredLivenessEpoch() external view returns (uint64);
}
