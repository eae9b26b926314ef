// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IMultiProverRoots} from "../../../contracts/interfaces/IMultiProverRoots.sol";
import {IEnclaveRegistry} from "../../../contracts/interfaces/IEnclaveRegistry.sol";
import {MultiProverRoots} from "../../../contracts/multiprover/MultiProverRoots.sol";
import {TeeQuorumRoots} from "../../../contracts/multiprover/TeeQuorumRoots.sol";
import {MultiProverBase} from "./MultiProverRoots.t.sol";

/// @notice Issue 12's attacks on the roots contract, each performed the way an attacker would: Intel counted
/// twice (TDX + SGX), a GPU signing as an enclave, one removed key halting again after every resume, and a
/// disputed root still read as final.
contract MultiProverRootsAttacksTest is MultiProverBase {
    bytes32 internal constant R = keccak256("root");
    bytes32 internal constant BAD = keccak256("forged root");
    uint256 internal constant SGX_KEY = 0xE5;
    uint256 internal constant GPU_KEY = 0xE6;

    function _deploy() internal override returns (MultiProverRoots) {
        return new TeeQuorumRoots(governor, enclaves, zk, PROGRAM, 2, ESCAPE);
    }

    function setUp() public override {
        super.setUp();
        registerEnclave(SGX_KEY, 5);
    }

    function _keys(uint256 a, uint256 b) internal pure returns (uint256[] memory r) {
        r = new uint256[](2);
        (r[0], r[1]) = (a, b);
    }

    function _key(uint256 a) internal pure returns (uint256[] memory r) {
        r = new uint256[](1);
        r[0] = a;
    }

    /// @dev The registry (wrongly, the registry refuses standalone GPUs) reports the GPU key registered and live
    /// with TEE type 4: the roots contract must not rely on the registry alone.
    function _gpuLiveInRegistry() internal returns (address gpu) {
        gpu = vm.addr(GPU_KEY);
        bytes memory liveTeeTypeCall = abi.encodeCall(IEnclaveRegistry.liveTeeType, (gpu, PROGRAM));
        vm.mockCall(address(enclaves), liveTeeTypeCall, abi.encode(uint8(4)));
        IEnclaveRegistry.Enclave memory info = IEnclaveRegistry.Enclave({
            teeType: 4,
            expiresAt: uint64(block.timestamp + 1 days),
            registeredAt: uint64(block.timestamp),
            path: COMMITTEE_PATH,
            measurement: measurementOf(4),
            entryId: 1
        });
        vm.mockCall(address(enclaves), abi.encodeCall(IEnclaveRegistry.enclaveInfo, (gpu, PROGRAM)), abi.encode(info));
    }

    function _expectAlreadyRemoved(uint64 epoch, bytes32 root) internal {
        vm.expectRevert(abi.encodeWithSelector(IMultiProverRoots.ConflictSignersAlreadyRemoved.selector, epoch, root));
    }

    function _resume() internal {
        vm.prank(governor);
        roots.resume();
    }

    // ------------------------------------------------------------------------- item 1: vendors, not TEE types

    /// @dev One leaked Intel key forges both a TDX and an SGX quote: two Intel TEE types are one vendor.
    function test_submitRoot_RevertWhen_TdxAndSgxShareTheIntelRoot() public {
        bytes[] memory sigs = _sigsOfKeys(1, BAD, _keys(KEYS[0], SGX_KEY));
        vm.expectRevert(abi.encodeWithSelector(IMultiProverRoots.InsufficientQuorum.selector, 1, 2, false));
        roots.submitRoot(1, BAD, sigs, "");
    }

    function test_vendorOf_IntelForTdxAndSgxNvidiaForTheGpu() public view {
        uint8[8] memory teeTypes = [uint8(0), 1, 2, 3, 4, 5, 6, 255];
        uint8[8] memory vendors = [uint8(0), 1, 2, 3, 4, 1, 0, 0];
        for (uint256 i = 0; i < teeTypes.length; ++i) assertEq(roots.vendorOf(teeTypes[i]), vendors[i], "vendor");
    }

    function test_constructor_RevertWhen_MoreVendorsThanIssueEnclaves() public {
        vm.expectRevert(IMultiProverRoots.InvalidConfiguration.selector);
        new TeeQuorumRoots(governor, enclaves, zk, PROGRAM, 4, ESCAPE);
        assertEq(new TeeQuorumRoots(governor, enclaves, zk, PROGRAM, 3, ESCAPE).minVendors(), 3, "Intel, AMD, AWS");
    }

    function test_submitRoot_FinalizesWithSgxAndAnotherVendor() public {
        uint256 types = roots.submitRoot(1, R, _sigsOfKeys(1, R, _keys(SGX_KEY, KEYS[2])), "");
        assertEq(types, (1 << 5) | (1 << 2), "SGX and SNP");
    }

    // ------------------------------------------------------------------- item 2: a GPU alone is no enclave

    function test_submitRoot_RevertWhen_SignerIsAGpu() public {
        address gpu = _gpuLiveInRegistry();
        bytes[] memory sigs = _sigsOfKeys(1, BAD, _keys(KEYS[0], GPU_KEY));
        vm.expectRevert(abi.encodeWithSelector(IMultiProverRoots.NotAnEnclave.selector, gpu, uint8(4)));
        roots.submitRoot(1, BAD, sigs, "");
    }

    /// @dev Whoever drives a GPU picks its nonce, so a GPU key could halt at will.
    function test_reportConflict_RevertWhen_SignerIsAGpu() public {
        roots.submitRoot(1, R, _sigs(1, R, _idx(0, 2)), "");
        address gpu = _gpuLiveInRegistry();
        bytes[] memory bad = _sigsOfKeys(1, BAD, _key(GPU_KEY));
        vm.expectRevert(abi.encodeWithSelector(IMultiProverRoots.NotAnEnclave.selector, gpu, uint8(4)));
        roots.reportConflict(1, BAD, bad);
        assertFalse(roots.halted(), "a GPU halted the roots contract");
    }

    // ------------------------------------------------------------ item 4: a punished key never halts again

    /// @dev The attack in the issue: one equivocating key halts, governance resumes, the same key halts again, over
    /// and over, with the same root, another root, or another epoch.
    function test_reportConflict_RevertWhen_RemovedKeyHaltsAgain() public {
        roots.submitRoot(1, R, _sigs(1, R, _idx(0, 2)), "");
        roots.reportConflict(1, BAD, _sigs(1, BAD, _idx1(3)));
        assertTrue(roots.halted(), "first report halts");
        _resume();
        roots.submitRoot(2, R, _sigs(2, R, _idx(0, 2)), "");

        bytes32 other = keccak256("another forged root");
        bytes[] memory again = _sigs(1, BAD, _idx1(3));
        _expectAlreadyRemoved(uint64(1), BAD);
        roots.reportConflict(1, BAD, again);
        again = _sigs(1, other, _idx1(3));
        _expectAlreadyRemoved(uint64(1), other);
        roots.reportConflict(1, other, again);
        again = _sigs(2, BAD, _idx1(3));
        _expectAlreadyRemoved(uint64(2), BAD);
        roots.reportConflict(2, BAD, again);
        assertFalse(roots.halted(), "a removed key halted again");
    }

    /// @dev Without ENCLAVE_REMOVER_ROLE the registry keeps the key live; the roots contract remembers it anyway.
    function test_reportConflict_RevertWhen_KeyWhoseRemovalFailedHaltsAgain() public {
        roots.submitRoot(1, R, _sigs(1, R, _idx(0, 2)), "");
        vm.prank(governor);
        enclaves.revokeRole(REMOVER_ROLE, address(roots));
        roots.reportConflict(1, BAD, _sigs(1, BAD, _idx1(3)));
        assertFalse(enclaves.isRemoved(vm.addr(KEYS[3])), "removal refused by the registry");
        _resume();
        bytes32 other = keccak256("another forged root");
        bytes[] memory again = _sigs(1, other, _idx1(3));
        _expectAlreadyRemoved(uint64(1), other);
        roots.reportConflict(1, other, again);
        assertFalse(roots.halted(), "a reported key halted again");
    }

    /// @dev A key the guardian removed for another reason is punished too: it cannot halt.
    function test_reportConflict_RevertWhen_GuardianRemovedKey() public {
        roots.submitRoot(1, R, _sigs(1, R, _idx(0, 2)), "");
        vm.prank(governor);
        enclaves.grantRole(REMOVER_ROLE, guardian);
        vm.prank(guardian);
        enclaves.removeEnclave(vm.addr(KEYS[3]));
        bytes[] memory bad = _sigs(1, BAD, _idx1(3));
        _expectAlreadyRemoved(uint64(1), BAD);
        roots.reportConflict(1, BAD, bad);
    }

    /// @dev Evidence already judged (a conflict for the same epoch and root) does not undo a resume; a fresh key
    /// that signed it is still removed.
    function test_reportConflict_JudgedEvidenceRemovesWithoutHalting() public {
        roots.submitRoot(1, R, _sigs(1, R, _idx(0, 2)), "");
        roots.reportConflict(1, BAD, _sigs(1, BAD, _idx1(3)));
        _resume();
        roots.reportConflict(1, BAD, _sigs(1, BAD, _idx1(1)));
        assertFalse(roots.halted(), "judged evidence halted again");
        assertTrue(enclaves.isRemoved(vm.addr(KEYS[1])), "the fresh signer of the judged root is removed");
    }

    /// @dev A mix of removed and fresh signers is evidence against the fresh ones only.
    function test_reportConflict_HaltsOnTheFreshSignerBesideARemovedOne() public {
        roots.submitRoot(1, R, _sigs(1, R, _idx(0, 2)), "");
        roots.reportConflict(1, BAD, _sigs(1, BAD, _idx1(3)));
        _resume();
        bytes32 other = keccak256("another forged root");
        roots.reportConflict(1, other, _sigs(1, other, _idx(1, 3)));
        assertTrue(roots.halted(), "a fresh key's new conflict halts");
        assertTrue(enclaves.isRemoved(vm.addr(KEYS[1])), "fresh signer removed");
    }

    // ---------------------------------------------------------- item 11: a disputed root is not read as final

    function test_finalizedRoot_ZeroWhileDisputed() public {
        roots.submitRoot(1, BAD, _sigs(1, BAD, _idx(0, 2)), "");
        bytes[] memory conflict = _sigs(1, R, _idx1(3));
        vm.expectEmit(true, true, true, true, address(roots));
        emit IMultiProverRoots.RootDisputed(1, BAD, R);
        roots.reportConflict(1, R, conflict);
        assertEq(roots.finalizedRoot(1), bytes32(0), "a disputed root read as final while halted");
        (bytes32 disputed, bytes32 conflicting) = roots.disputedRoots(1);
        assertEq(disputed, BAD, "disputed root exposed");
        assertEq(conflicting, R, "conflicting root exposed");
        assertTrue(roots.conflictJudged(1, R) && roots.wasReported(vm.addr(KEYS[3])), "judged");
        _resume();
        assertEq(roots.finalizedRoot(1), bytes32(0), "a disputed root read as final after resume");
        bytes[] memory sigs = _sigs(1, BAD, _idx(1, 2));
        vm.expectRevert(abi.encodeWithSelector(IMultiProverRoots.EpochDisputed.selector, uint64(1)));
        roots.submitRoot(1, BAD, sigs, "");
    }

    /// @dev After the resume the escape hatch is closed for open epochs, yet a ZK proof settles a disputed one.
    function test_submitZkRoot_SettlesADisputedEpoch() public {
        roots.submitRoot(1, BAD, _sigs(1, BAD, _idx(0, 2)), "");
        roots.reportConflict(1, R, _sigs(1, R, _idx1(3)));
        _resume();
        assertEq(roots.escapeOpensAt(), block.timestamp + ESCAPE, "escape hatch closed again");
        bytes memory proof = zk.validProof(PROGRAM, 1, R);
        vm.expectEmit(true, true, true, true, address(roots));
        emit IMultiProverRoots.DisputeSettled(1, BAD, R);
        roots.submitZkRoot(1, R, proof);
        assertEq(roots.finalizedRoot(1), R, "the ZK-proven root is final");
        (bytes32 disputed,) = roots.disputedRoots(1);
        assertEq(disputed, bytes32(0), "no longer disputed");
        assertTrue(roots.conflictJudged(1, BAD), "the losing root is judged");
        // The signers of the losing root are removed, but the settled epoch is not disputed or halted again.
        roots.reportConflict(1, BAD, _sigs(1, BAD, _idx(0, 2)));
        assertFalse(roots.halted(), "judged evidence halted again");
        assertEq(roots.finalizedRoot(1), R, "settled root stays final");
        assertTrue(enclaves.isRemoved(vm.addr(KEYS[0])), "signer of the disproved root removed");
    }
}
