// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {TeezkBase} from "../utils/TeezkBase.sol";
import {Claims} from "../../../contracts/interfaces/IClaims.sol";
import {ICommitteeAttestationVerifier} from "../../../contracts/interfaces/ICommitteeAttestationVerifier.sol";
import {IGoverned} from "../../../contracts/interfaces/IGoverned.sol";
import {CommitteeAttestationVerifier} from "../../../contracts/attestation/CommitteeAttestationVerifier.sol";

contract CommitteeAttestationVerifierTest is TeezkBase {
    bytes internal encoded;
    bytes32 internal digest;

    function setUp() public override {
        super.setUp();
        encoded = abi.encode(goodClaims(1, address(0xE1), bytes32(0), bytes32(0)));
        digest = committee.verdictDigest(keccak256(encoded));
    }

    function _sorted(uint256[] memory keys) internal pure returns (uint256[] memory) {
        for (uint256 i = 1; i < keys.length; ++i) {
            for (uint256 j = i; j > 0 && vm.addr(keys[j - 1]) > vm.addr(keys[j]); --j) {
                (keys[j - 1], keys[j]) = (keys[j], keys[j - 1]);
            }
        }
        return keys;
    }

    function _proof(uint256[] memory keys) internal view returns (bytes memory) {
        bytes[] memory sigs = new bytes[](keys.length);
        for (uint256 i = 0; i < keys.length; ++i) sigs[i] = signDigest(keys[i], digest);
        return abi.encode(sigs);
    }

    function _keys(uint256 a, uint256 b) internal pure returns (uint256[] memory k) {
        k = new uint256[](2);
        (k[0], k[1]) = (a, b);
    }

    function test_verifyAttestation_AcceptsThresholdOfMembers() public view {
        committee.verifyAttestation(encoded, _proof(_sorted(_keys(nodeKeys[0], nodeKeys[2]))));
        uint256[] memory all = new uint256[](3);
        (all[0], all[1], all[2]) = (nodeKeys[0], nodeKeys[1], nodeKeys[2]);
        committee.verifyAttestation(encoded, _proof(_sorted(all)));
    }

    function test_verdictDigest_MatchesEip712() public view {
        bytes32 domain = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("teezk CommitteeVerifier"),
                keccak256("1"),
                block.chainid,
                address(committee)
            )
        );
        bytes32 structHash = keccak256(abi.encode(keccak256("Verdict(bytes32 claimsHash)"), keccak256(encoded)));
        assertEq(digest, keccak256(abi.encodePacked("\x19\x01", domain, structHash)), "EIP-712 digest");
    }

    function test_verifyAttestation_RevertWhen_NotEnoughVerdicts() public {
        uint256[] memory one = new uint256[](1);
        one[0] = nodeKeys[0];
        vm.expectRevert(abi.encodeWithSelector(ICommitteeAttestationVerifier.NotEnoughVerdicts.selector, 1, 2));
        committee.verifyAttestation(encoded, _proof(one));
    }

    function test_verifyAttestation_RevertWhen_Duplicate() public {
        address signer = vm.addr(nodeKeys[0]);
        vm.expectRevert(abi.encodeWithSelector(ICommitteeAttestationVerifier.SignersNotAscending.selector, signer, signer));
        committee.verifyAttestation(encoded, _proof(_keys(nodeKeys[0], nodeKeys[0])));
    }

    function test_verifyAttestation_RevertWhen_Descending() public {
        uint256[] memory k = _sorted(_keys(nodeKeys[0], nodeKeys[1]));
        (k[0], k[1]) = (k[1], k[0]);
        vm.expectRevert(
            abi.encodeWithSelector(ICommitteeAttestationVerifier.SignersNotAscending.selector, vm.addr(k[0]), vm.addr(k[1]))
        );
        committee.verifyAttestation(encoded, _proof(k));
    }

    function test_verifyAttestation_RevertWhen_NotMember() public {
        uint256 outsider = 0x0BAD;
        uint256[] memory k = _sorted(_keys(nodeKeys[0], outsider));
        vm.expectRevert(abi.encodeWithSelector(ICommitteeAttestationVerifier.NotCommitteeMember.selector, vm.addr(outsider)));
        committee.verifyAttestation(encoded, _proof(k));
    }

    function test_verifyAttestation_RevertWhen_InvalidSignature() public {
        bytes[] memory sigs = new bytes[](2);
        sigs[0] = hex"0102";
        sigs[1] = hex"0304";
        vm.expectRevert(abi.encodeWithSelector(ICommitteeAttestationVerifier.InvalidVerdictSignature.selector, 0));
        committee.verifyAttestation(encoded, abi.encode(sigs));
    }

    function test_membership_GovernedChanges() public {
        address node = address(0x1234);
        vm.startPrank(governor);
        vm.expectEmit(true, true, true, true, address(committee));
        emit ICommitteeAttestationVerifier.CommitteeMemberAdded(node);
        committee.addMember(node);
        vm.expectRevert(abi.encodeWithSelector(ICommitteeAttestationVerifier.MembershipUnchanged.selector, node, true));
        committee.addMember(node);
        committee.setThreshold(4);
        vm.expectRevert(abi.encodeWithSelector(ICommitteeAttestationVerifier.InvalidThreshold.selector, 4, 3));
        committee.removeMember(node);
        committee.setThreshold(3);
        committee.removeMember(node);
        vm.expectRevert(abi.encodeWithSelector(ICommitteeAttestationVerifier.MembershipUnchanged.selector, node, false));
        committee.removeMember(node);
        vm.expectRevert(abi.encodeWithSelector(ICommitteeAttestationVerifier.InvalidThreshold.selector, 0, 3));
        committee.setThreshold(0);
        vm.expectRevert(abi.encodeWithSelector(IGoverned.ZeroAddress.selector, "node"));
        committee.addMember(address(0));
        assertEq(committee.memberCount(), 3, "members");
        assertEq(committee.threshold(), 3, "threshold");
    }

    function test_membership_RevertWhen_NotGovernor() public {
        vm.prank(guardian);
        vm.expectRevert();
        committee.addMember(address(0x1234));
    }

    function test_constructor_RevertWhen_ThresholdAboveMembers() public {
        address[] memory nodes = new address[](1);
        nodes[0] = address(0x1);
        vm.expectRevert(abi.encodeWithSelector(ICommitteeAttestationVerifier.InvalidThreshold.selector, 2, 1));
        new CommitteeAttestationVerifier(governor, nodes, 2);
    }

    /// forge-config: default.fuzz.runs = 32
    function testFuzz_verifyAttestation_RevertWhen_ClaimsDiffer(bytes32 measurement) public {
        Claims memory c = goodClaims(1, address(0xE1), bytes32(0), bytes32(0));
        vm.assume(measurement != c.measurement);
        bytes memory proof = _proof(_sorted(_keys(nodeKeys[0], nodeKeys[1])));
        c.measurement = measurement;
        vm.expectRevert();
        committee.verifyAttestation(abi.encode(c), proof);
    }
}
