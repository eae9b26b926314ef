// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IAttestationVerifier} from "./IAttestationVerifier.sol";

/// @title ICommitteeAttestationVerifier
/// @notice Attestation path where k of n registered verifier nodes sign an EIP-712 verdict over the claims hash.
/// @custom:security-contact security@teezk.invalid
interface ICommitteeAttestationVerifier is IAttestationVerifier {
    /// @notice Thrown when fewer valid signatures than the threshold are given.
    error NotEnoughVerdicts(uint256 given, uint256 threshold);
    /// @notice Thrown when a signature does not recover to an address.
    error InvalidVerdictSignature(uint256 index);
    /// @notice Thrown when a signer is not a committee member.
    error NotCommitteeMember(address signer);
    /// @notice Thrown when signers are not strictly ascending by address (this also rejects duplicates).
    error SignersNotAscending(address previous, address signer);
    /// @notice Thrown when adding a member twice or removing a non-member.
    error MembershipUnchanged(address node, bool member);
    /// @notice Thrown when a threshold is zero or larger than the committee.
    error InvalidThreshold(uint256 threshold, uint256 members);

    /// @notice Emitted when the governor adds a verifier node.
    event CommitteeMemberAdded(address indexed node);
    /// @notice Emitted when the governor removes a verifier node.
    event CommitteeMemberRemoved(address indexed node);
    /// @notice Emitted when the governor changes the threshold.
    event ThresholdSet(uint256 threshold);

    /// @notice Adds verifier node `node`. Governor only.
    function addMember(address node) external;

    /// @notice Removes verifier node `node`; reverts if the committee would fall below the threshold. Governor only.
    function removeMember(address node) external;

    /// @notice Sets how many distinct members must sign a verdict. Governor only.
    function setThreshold(uint256 threshold) external;

    /// @notice True when `node` is a committee member.
    function isMember(address node) external view returns (bool);

    /// @notice The number of committee members.
    function memberCount() external view returns (uint256);

    /// @notice The number of distinct member signatures required.
    function threshold() external view returns (uint256);

    /// @notice The EIP-712 digest a member signs for `claimsHash` (= keccak256(abi.encode(claims))).
    function verdictDigest(bytes32 claimsHash) external view returns (bytes32);
}
