// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {IAttestationVerifier} from "../interfaces/IAttestationVerifier.sol";
import {ICommitteeAttestationVerifier} from "../interfaces/ICommitteeAttestationVerifier.sol";
import {Governed} from "../governance/Governed.sol";

/// @title CommitteeAttestationVerifier
/// @notice k-of-n EIP-712 verdicts `Verdict(bytes32 claimsHash)` from registered verifier nodes.
/// @dev The proof is `abi.encode(bytes[] signatures)`, 65-byte ECDSA signatures ordered by signer address,
/// strictly ascending, so duplicates are rejected with one comparison per signature. A verdict has no deadline:
/// it states that evidence verified; freshness is the registry's nonce and the policy's maximum evidence age.
/// @custom:security-contact security@teezk.invalid
contract CommitteeAttestationVerifier is Governed, EIP712, ICommitteeAttestationVerifier {
    /// @notice The EIP-712 type string of a verdict.
    string public constant VERDICT_TYPE = "Verdict(bytes32 claimsHash)";
    /// @notice keccak256(VERDICT_TYPE).
    bytes32 public constant VERDICT_TYPEHASH = keccak256(bytes(VERDICT_TYPE));

    mapping(address node => bool) private _members;
    uint256 private _memberCount;
    uint256 private _threshold;

    /// @param governor Holder of GOVERNOR_ROLE (a TimelockController in production).
    /// @param members Initial verifier nodes.
    /// @param threshold_ Initial number of signatures required.
    constructor(address governor, address[] memory members, uint256 threshold_)
        Governed(governor)
        EIP712("teezk CommitteeVerifier", "1")
    {
        for (uint256 i = 0; i < members.length; ++i) {
            _addMember(members[i]);
        }
        _setThreshold(threshold_);
    }

    /// @inheritdoc IAttestationVerifier
    function verifyAttestation(bytes calldata encodedClaims, bytes calldata proof) external view {
        bytes[] memory signatures = abi.decode(proof, (bytes[]));
        uint256 needed = _threshold;
        if (signatures.length < needed) revert NotEnoughVerdicts(signatures.length, needed);
        bytes32 digest = _verdictDigest(keccak256(encodedClaims));
        address previous = address(0);
        for (uint256 i = 0; i < signatures.length; ++i) {
            (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecover(digest, signatures[i]);
            if (err != ECDSA.RecoverError.NoError) revert InvalidVerdictSignature(i);
            if (signer <= previous) revert SignersNotAscending(previous, signer);
            if (!_members[signer]) revert NotCommitteeMember(signer);
            previous = signer;
        }
    }

    /// @inheritdoc ICommitteeAttestationVerifier
    function addMember(address node) external onlyRole(GOVERNOR_ROLE) {
        _addMember(node);
    }

    /// @inheritdoc ICommitteeAttestationVerifier
    function removeMember(address node) external onlyRole(GOVERNOR_ROLE) {
        if (!_members[node]) revert MembershipUnchanged(node, false);
        if (_memberCount - 1 < _threshold) revert InvalidThreshold(_threshold, _memberCount - 1);
        _members[node] = false;
        --_memberCount;
        emit CommitteeMemberRemoved(node);
    }

    /// @inheritdoc ICommitteeAttestationVerifier
    function setThreshold(uint256 threshold_) external onlyRole(GOVERNOR_ROLE) {
        _setThreshold(threshold_);
    }

    /// @inheritdoc ICommitteeAttestationVerifier
    function isMember(address node) external view returns (bool) {
        return _members[node];
    }

    /// @inheritdoc ICommitteeAttestationVerifier
    function memberCount() external view returns (uint256) {
        return _memberCount;
    }

    /// @inheritdoc ICommitteeAttestationVerifier
    function threshold() external view returns (uint256) {
        return _threshold;
    }

    /// @inheritdoc ICommitteeAttestationVerifier
    function verdictDigest(bytes32 claimsHash) external view returns (bytes32) {
        return _verdictDigest(claimsHash);
    }

    function _verdictDigest(bytes32 claimsHash) private view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(VERDICT_TYPEHASH, claimsHash)));
    }

    function _addMember(address node) private {
        if (node == address(0)) revert ZeroAddress("node");
        if (_members[node]) revert MembershipUnchanged(node, true);
        _members[node] = true;
        ++_memberCount;
        emit CommitteeMemberAdded(node);
    }

    function _setThreshold(uint256 threshold_) private {
        if (threshold_ == 0 || threshold_ > _memberCount) revert InvalidThreshold(threshold_, _memberCount);
        _threshold = threshold_;
        emit ThresholdSet(threshold_);
    }
}
