// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title IGoverned
/// @notice Errors shared by every teezk contract that has a governor.
/// @custom:security-contact security@teezk.invalid
interface IGoverned {
    /// @notice Thrown when a required address (governor, registry, verifier) is the zero address.
    /// @param what Which parameter was zero.
    error ZeroAddress(string what);
}
