// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {TeezkBase} from "../utils/TeezkBase.sol";
import {IMultiProverRoots} from "../../../contracts/interfaces/IMultiProverRoots.sol";
import {IEnclaveRegistry} from "../../../contracts/interfaces/IEnclaveRegistry.sol";
import {IRootProofVerifier} from "../../../contracts/interfaces/IRootProofVerifier.sol";
import {IGoverned} from "../../../contracts/interfaces/IGoverned.sol";
import {MultiProverRoots} from "../../../contracts/multiprover/MultiProverRoots.sol";
import {TeeQuorumRoots} from "../../../contracts/multiprover/TeeQuorumRoots.sol";
import {TeeAndZkQuorumRoots} from "../../../contracts/multiprover/TeeAndZkQuorumRoots.sol";
import {BatchReceipts} from "../../../contracts/receipts/BatchReceipts.sol";
import {RootProofVerifierTestDouble} from "../doubles/RootProofVerifierTestDouble.sol";

/// @notice Shared set-up: enclaves KEYS[i] registered with TEE type TYPES[i] (two TDX, one SNP, one Nitro: vendors
/// Intel, Intel, AMD, AWS).
abstract contract MultiProverBase is TeezkBase {
    uint256[4] internal KEYS = [uint256(0xE1), 0xE2, 0xE3, 0xE4];
    uint8[4] internal TYPES = [uint8(1), 1, 2, 3];
    uint64 internal constant ESCAPE = 7 days;
    RootProofVerifierTestDouble internal zk;
    MultiProverRoots internal roots;

    function _deploy() internal virtual returns (MultiProverRoots);

    function setUp() public virtual override {
        super.setUp();
        zk = new RootProofVerifierTestDouble();
        roots = _deploy();
        vm.prank(governor);
        enclaves.grantRole(REMOVER_ROLE, address(roots));
        for (uint256 i = 0; i < 4; ++i) registerEnclave(KEYS[i], TYPES[i]);
    }

    /// @dev Signatures of the enclaves at `idx` (indices into KEYS), sorted ascending by address.
    function _sigs(uint64 epoch, bytes32 root, uint256[] memory idx) internal view returns (bytes[] memory) {
        uint256[] memory keys = new uint256[](idx.length);
        for (uint256 i = 0; i < idx.length; ++i) keys[i] = KEYS[idx[i]];
        return _sigsOfKeys(epoch, root, keys);
    }

    /// @dev Signatures of the private keys `keys`, sorted ascending by address (sorts `keys` in place).
    function _sigsOfKeys(uint64 epoch, bytes32 root, uint256[] memory keys)
        internal
        view
        returns (bytes[] memory sigs)
    {
        for (uint256 i = 1; i < keys.length; ++i) {
            for (uint256 j = i; j > 0 && vm.addr(keys[j - 1]) > vm.addr(keys[j]); --j) {
                (keys[j - 1], keys[j]) = (keys[j], keys[j - 1]);
            }
        }
        bytes32 digest = roots.rootDigest(epoch, root);
        sigs = new bytes[](keys.length);
        for (uint256 i = 0; i < keys.length; ++i) sigs[i] = signDigest(keys[i], digest);
    }

    function _idx(uint256 a, uint256 b) internal pure returns (uint256[] memory r) {
        r = new uint256[](2);
        (r[0], r[1]) = (a, b);
    }

    function _idx1(uint256 a) internal pure returns (uint256[] memory r) {
        r = new uint256[](1);
        r[0] = a;
    }
}

contract TeeQuorumRootsTest is MultiProverBase {
    bytes32 internal constant R = keccak256("root");
    bytes32 internal constant BAD = keccak256("forged root");

    function _deploy() internal override returns (MultiProverRoots) {
        return new TeeQuorumRoots(governor, enclaves, zk, PROGRAM, 2, ESCAPE);
    }

    function test_submitRoot_FinalizesWithTwoDistinctVendors() public {
        bytes[] memory sigs = _sigs(1, R, _idx(0, 2));
        vm.expectEmit(true, true, true, true, address(roots));
        emit IMultiProverRoots.RootFinalized(1, R, (1 << 1) | (1 << 2), false, false);
        uint256 types = roots.submitRoot(1, R, sigs, "");
        assertEq(types, (1 << 1) | (1 << 2), "TDX and SNP");
        assertEq(roots.finalizedRoot(1), R, "finalized");
        assertFalse(roots.zkRequired(), "zk optional");
    }

    function test_submitRoot_RevertWhen_TwoEnclavesOfSameVendor() public {
        bytes[] memory sigs = _sigs(1, R, _idx(0, 1));
        vm.expectRevert(abi.encodeWithSelector(IMultiProverRoots.InsufficientQuorum.selector, 1, 2, false));
        roots.submitRoot(1, R, sigs, "");
    }

    function test_submitRoot_RevertWhen_ZkDoesNotReplaceAVendor() public {
        bytes[] memory sigs = _sigs(1, R, _idx1(0));
        bytes memory proof = zk.validProof(PROGRAM, 1, R);
        vm.expectRevert(abi.encodeWithSelector(IMultiProverRoots.InsufficientQuorum.selector, 1, 2, true));
        roots.submitRoot(1, R, sigs, proof);
    }

    function test_submitRoot_RevertWhen_SignerNotLive() public {
        vm.warp(START + 24 hours);
        bytes[] memory sigs = _sigs(1, R, _idx1(0));
        vm.expectRevert(abi.encodeWithSelector(IMultiProverRoots.EnclaveNotLive.selector, vm.addr(KEYS[0])));
        roots.submitRoot(1, R, sigs, "");
    }

    function test_submitRoot_RevertWhen_SignerMeasurementRevoked() public {
        vm.prank(guardian);
        measurements.revokeMeasurement(2, measurementOf(2));
        bytes[] memory sigs = _sigs(1, R, _idx(0, 2));
        vm.expectRevert(abi.encodeWithSelector(IMultiProverRoots.EnclaveNotLive.selector, vm.addr(KEYS[2])));
        roots.submitRoot(1, R, sigs, "");
    }

    function test_submitRoot_FullCheckAfterUnrelatedRevocation() public {
        vm.prank(guardian);
        measurements.revokeMeasurement(5, measurementOf(5)); // no key of type 5: only the epoch moves
        assertEq(roots.submitRoot(1, R, _sigs(1, R, _idx(0, 3)), ""), (1 << 1) | (1 << 3), "TDX and Nitro");
    }

    function test_submitRoot_RevertWhen_Duplicate() public {
        bytes[] memory one = _sigs(1, R, _idx1(2));
        bytes[] memory sigs = new bytes[](2);
        (sigs[0], sigs[1]) = (one[0], one[0]);
        address s = vm.addr(KEYS[2]);
        vm.expectRevert(abi.encodeWithSelector(IMultiProverRoots.SignersNotAscending.selector, s, s));
        roots.submitRoot(1, R, sigs, "");
    }

    function test_submitRoot_RevertWhen_InvalidSignatureOrZkProof() public {
        bytes[] memory sigs = new bytes[](1);
        sigs[0] = hex"01";
        vm.expectRevert(abi.encodeWithSelector(IMultiProverRoots.InvalidRootSignature.selector, 0));
        roots.submitRoot(1, R, sigs, "");
        sigs = _sigs(1, R, _idx(0, 2));
        vm.expectRevert(abi.encodeWithSelector(IMultiProverRoots.InvalidZkProof.selector, uint64(1), R));
        roots.submitRoot(1, R, sigs, hex"1234");
    }

    function test_submitRoot_RevertWhen_ZeroRootOrFinalized() public {
        bytes[] memory sigs = _sigs(1, R, _idx(0, 2));
        vm.expectRevert(IMultiProverRoots.ZeroRoot.selector);
        roots.submitRoot(1, bytes32(0), sigs, "");
        roots.submitRoot(1, R, sigs, "");
        vm.expectRevert(abi.encodeWithSelector(IMultiProverRoots.EpochAlreadyFinalized.selector, uint64(1), R));
        roots.submitRoot(1, R, sigs, "");
    }

    function test_reportConflict_HaltsAndRemovesSigners() public {
        roots.submitRoot(1, R, _sigs(1, R, _idx(0, 2)), "");
        bytes[] memory bad = _sigs(1, BAD, _idx1(3));
        vm.expectEmit(true, true, true, true, address(roots));
        emit IMultiProverRoots.Halted(1);
        roots.reportConflict(1, BAD, bad);
        assertTrue(roots.halted(), "halted");
        assertTrue(enclaves.isRemoved(vm.addr(KEYS[3])), "conflicting enclave removed");
        assertFalse(enclaves.isRemoved(vm.addr(KEYS[0])), "others kept");

        bytes[] memory sigs = _sigs(2, R, _idx(0, 2));
        vm.expectRevert(IMultiProverRoots.ContractHalted.selector);
        roots.submitRoot(2, R, sigs, "");

        roots.submitZkRoot(2, R, zk.validProof(PROGRAM, 2, R)); // ZK alone while halted
        assertEq(roots.finalizedRoot(2), R, "escape while halted");

        vm.prank(governor);
        roots.resume();
        assertFalse(roots.halted(), "resumed");
        roots.submitRoot(3, R, _sigs(3, R, _idx(0, 2)), "");
    }

    function test_reportConflict_ExpiredSignerStillCounts() public {
        roots.submitRoot(1, R, _sigs(1, R, _idx(0, 2)), "");
        vm.warp(START + 30 days);
        roots.reportConflict(1, BAD, _sigs(1, BAD, _idx1(1)));
        assertTrue(roots.halted(), "halted by an expired key");
    }

    function test_reportConflict_HaltsEvenWithoutRemoverRole() public {
        roots.submitRoot(1, R, _sigs(1, R, _idx(0, 2)), "");
        vm.prank(governor);
        enclaves.revokeRole(REMOVER_ROLE, address(roots));
        bytes[] memory bad = _sigs(1, BAD, _idx1(3));
        vm.expectEmit(true, true, true, true, address(roots));
        emit IMultiProverRoots.EnclaveRemovalFailed(vm.addr(KEYS[3]));
        roots.reportConflict(1, BAD, bad);
        assertTrue(roots.halted(), "halted");
    }

    /// @dev Whatever gas the reporter picks, a report that goes through has removed the conflicting enclave (the
    /// registry is wired, with BatchReceipts as a liveness sink so a removal also pushes an epoch): a reporter
    /// colluding with it cannot halt while starving its removal.
    function testFuzz_reportConflict_NeverHaltsWithoutRemovingWhenWired(uint32 gasLimit) public {
        gasLimit = uint32(bound(gasLimit, 60_000, 600_000));
        BatchReceipts sink = new BatchReceipts(enclaves);
        vm.prank(governor);
        measurements.addLivenessSink(address(sink));
        roots.submitRoot(1, R, _sigs(1, R, _idx(0, 2)), "");
        bytes[] memory bad = _sigs(1, BAD, _idx1(3));
        (bool ok,) = address(roots).call{gas: gasLimit}(abi.encodeCall(roots.reportConflict, (1, BAD, bad)));
        if (ok) {
            assertTrue(roots.halted(), "halted");
            assertTrue(enclaves.isRemoved(vm.addr(KEYS[3])), "halted without removing the conflicting enclave");
            assertEq(sink.mirroredLivenessEpoch(), measurements.livenessEpoch(), "the removal's epoch reached the sink");
        } else {
            assertFalse(roots.halted(), "a failed report changes nothing");
        }
    }

    /// @dev REMOVAL_GAS covers the worst wiring: the maximum of 4 sinks, each taking its first non-zero epoch.
    function test_reportConflict_RemovalFitsItsAllowanceWithTheMostSinks() public {
        vm.startPrank(governor);
        for (uint256 i = 0; i < measurements.MAX_LIVENESS_SINKS(); ++i) {
            measurements.addLivenessSink(address(new BatchReceipts(enclaves)));
        }
        vm.stopPrank();
        assertEq(measurements.livenessEpoch(), 0, "sinks mirror epoch 0, so the removal's push writes a zero slot");
        roots.submitRoot(1, R, _sigs(1, R, _idx(0, 2)), "");
        roots.reportConflict(1, BAD, _sigs(1, BAD, _idx1(3)));
        assertTrue(enclaves.isRemoved(vm.addr(KEYS[3])), "removed within REMOVAL_GAS");
    }

    function test_reportConflict_RevertWhen_Invalid() public {
        bytes[] memory bad = _sigs(1, BAD, _idx1(3));
        vm.expectRevert(abi.encodeWithSelector(IMultiProverRoots.EpochNotFinalized.selector, uint64(1)));
        roots.reportConflict(1, BAD, bad);
        roots.submitRoot(1, R, _sigs(1, R, _idx(0, 2)), "");
        bytes[] memory same = _sigs(1, R, _idx1(3));
        vm.expectRevert(abi.encodeWithSelector(IMultiProverRoots.RootNotConflicting.selector, uint64(1), R));
        roots.reportConflict(1, R, same);
        vm.expectRevert(IMultiProverRoots.NoSignatures.selector);
        roots.reportConflict(1, BAD, new bytes[](0));
        bytes[] memory outsider = new bytes[](1);
        outsider[0] = signDigest(0xBAD, roots.rootDigest(1, BAD));
        vm.expectRevert(abi.encodeWithSelector(IMultiProverRoots.EnclaveNotRegistered.selector, vm.addr(0xBAD)));
        roots.reportConflict(1, BAD, outsider);
    }

    function test_submitZkRoot_EscapeOpensAfterDelay() public {
        bytes memory proof = zk.validProof(PROGRAM, 1, R);
        vm.expectRevert(abi.encodeWithSelector(IMultiProverRoots.EscapeHatchClosed.selector, START + ESCAPE));
        roots.submitZkRoot(1, R, proof);
        vm.warp(START + ESCAPE);
        vm.expectRevert(abi.encodeWithSelector(IMultiProverRoots.InvalidZkProof.selector, uint64(1), BAD));
        roots.submitZkRoot(1, BAD, proof);
        vm.expectEmit(true, true, true, true, address(roots));
        emit IMultiProverRoots.RootFinalized(1, R, 0, true, true);
        roots.submitZkRoot(1, R, proof);
    }

    function test_resume_RevertWhen_NotHaltedOrNotGovernor() public {
        vm.prank(governor);
        vm.expectRevert(IMultiProverRoots.NotHalted.selector);
        roots.resume();
        vm.prank(guardian);
        vm.expectRevert();
        roots.resume();
    }

    function test_constructor_RevertWhen_InvalidConfiguration() public {
        vm.expectRevert(IMultiProverRoots.InvalidConfiguration.selector);
        new TeeQuorumRoots(governor, enclaves, zk, PROGRAM, 0, ESCAPE);
        vm.expectRevert(IMultiProverRoots.InvalidConfiguration.selector);
        new TeeQuorumRoots(governor, enclaves, zk, PROGRAM, 4, ESCAPE); // three enclave vendors: Intel, AMD, AWS
        vm.expectRevert(IMultiProverRoots.InvalidConfiguration.selector);
        new TeeQuorumRoots(governor, enclaves, zk, PROGRAM, 2, 0);
        vm.expectRevert(abi.encodeWithSelector(IGoverned.ZeroAddress.selector, "rootProofVerifier"));
        new TeeQuorumRoots(governor, enclaves, IRootProofVerifier(address(0)), PROGRAM, 2, ESCAPE);
        vm.expectRevert(abi.encodeWithSelector(IGoverned.ZeroAddress.selector, "enclaveRegistry"));
        new TeeQuorumRoots(governor, IEnclaveRegistry(address(0)), zk, PROGRAM, 2, ESCAPE);
    }

    /// forge-config: default.fuzz.runs = 32
    function testFuzz_reportConflict_AnyDifferentRootHalts(bytes32 other, uint8 signer) public {
        vm.assume(other != R);
        roots.submitRoot(1, R, _sigs(1, R, _idx(0, 2)), "");
        roots.reportConflict(1, other, _sigs(1, other, _idx1(bound(signer, 0, 3))));
        assertTrue(roots.halted(), "halted");
    }
}

contract TeeAndZkQuorumRootsTest is MultiProverBase {
    bytes32 internal constant R = keccak256("root");

    function _deploy() internal override returns (MultiProverRoots) {
        return new TeeAndZkQuorumRoots(governor, enclaves, zk, PROGRAM, 2, ESCAPE);
    }

    function test_submitRoot_RevertWhen_NoZkProof() public {
        bytes[] memory sigs = _sigs(1, R, _idx(0, 2));
        vm.expectRevert(abi.encodeWithSelector(IMultiProverRoots.InsufficientQuorum.selector, 2, 2, false));
        roots.submitRoot(1, R, sigs, "");
    }

    function test_submitRoot_FinalizesWithTeeQuorumAndZk() public {
        roots.submitRoot(1, R, _sigs(1, R, _idx(0, 2)), zk.validProof(PROGRAM, 1, R));
        assertEq(roots.finalizedRoot(1), R, "finalized");
        assertTrue(roots.zkRequired(), "zk required");
    }
}
