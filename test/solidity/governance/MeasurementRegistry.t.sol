// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {TeezkBase} from "../utils/TeezkBase.sol";
import {Claims} from "../../../contracts/interfaces/IClaims.sol";
import {IMeasurementRegistry} from "../../../contracts/interfaces/IMeasurementRegistry.sol";
import {IGoverned} from "../../../contracts/interfaces/IGoverned.sol";
import {MeasurementRegistry} from "../../../contracts/governance/MeasurementRegistry.sol";
import {LivenessSinkTestDouble} from "../doubles/LivenessSinkTestDouble.sol";

contract MeasurementRegistryTest is TeezkBase {
    bytes32 internal constant M = keccak256("new measurement");

    function _claims() internal view returns (Claims memory) {
        return goodClaims(1, address(0xE1), bytes32(0), bytes32(0));
    }

    // ------------------------------------------------------------------------------------------- add

    function test_addMeasurement_AllowsInsideWindow() public {
        vm.expectEmit(true, true, true, true, address(measurements));
        emit IMeasurementRegistry.MeasurementAdded(PROGRAM, 2, M, uint64(START + 10), uint64(START + 100));
        vm.prank(governor);
        measurements.addMeasurement(PROGRAM, 2, M, uint64(START + 10), uint64(START + 100));
        assertFalse(measurements.isAllowed(PROGRAM, 2, M), "before validFrom");
        vm.warp(START + 10);
        assertTrue(measurements.isAllowed(PROGRAM, 2, M), "inside window");
        assertFalse(measurements.isAllowed(keccak256("other"), 2, M), "other program");
        assertFalse(measurements.isAllowed(PROGRAM, 3, M), "other TEE type");
        vm.warp(START + 100);
        assertFalse(measurements.isAllowed(PROGRAM, 2, M), "at validUntil");
    }

    function test_addMeasurement_RevertWhen_NotGovernor() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, guardian, GOVERNOR_ROLE
            )
        );
        vm.prank(guardian);
        measurements.addMeasurement(PROGRAM, 2, M, 0, 0);
    }

    function test_addMeasurement_RevertWhen_InvalidTeeType() public {
        vm.prank(governor);
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.InvalidTeeType.selector, uint8(6)));
        measurements.addMeasurement(PROGRAM, 6, M, 0, 0);
        vm.prank(governor);
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.InvalidTeeType.selector, uint8(0)));
        measurements.addMeasurement(PROGRAM, 0, M, 0, 0);
    }

    function test_addMeasurement_RevertWhen_ZeroIdentifier() public {
        vm.startPrank(governor);
        vm.expectRevert(IMeasurementRegistry.ZeroIdentifier.selector);
        measurements.addMeasurement(bytes32(0), 1, M, 0, 0);
        vm.expectRevert(IMeasurementRegistry.ZeroIdentifier.selector);
        measurements.addMeasurement(PROGRAM, 1, bytes32(0), 0, 0);
    }

    function test_addMeasurement_RevertWhen_InvalidValidityWindow() public {
        vm.startPrank(governor);
        vm.expectRevert(
            abi.encodeWithSelector(IMeasurementRegistry.InvalidValidityWindow.selector, uint64(START + 5), uint64(START + 5))
        );
        measurements.addMeasurement(PROGRAM, 1, M, uint64(START + 5), uint64(START + 5));
        vm.expectRevert(
            abi.encodeWithSelector(IMeasurementRegistry.InvalidValidityWindow.selector, uint64(1), uint64(START))
        );
        measurements.addMeasurement(PROGRAM, 1, M, 1, uint64(START));
    }

    function test_addMeasurement_RevertWhen_AlreadyAdded() public {
        vm.prank(governor);
        vm.expectRevert(
            abi.encodeWithSelector(IMeasurementRegistry.MeasurementAlreadyAdded.selector, PROGRAM, uint8(1), measurementOf(1))
        );
        measurements.addMeasurement(PROGRAM, 1, measurementOf(1), 0, 0);
    }

    function test_addMeasurement_RevertWhen_Revoked() public {
        vm.prank(guardian);
        measurements.revokeMeasurement(2, M);
        vm.prank(governor);
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.MeasurementIsRevoked.selector, uint8(2), M));
        measurements.addMeasurement(PROGRAM, 2, M, 0, 0);
    }

    // ------------------------------------------------------------------------------------ entry ids and epoch

    function test_addMeasurement_AssignsSequentialEntryIds() public {
        // TeezkBase added measurementOf(1..5) for PROGRAM, ids 1..5.
        for (uint8 t = 1; t <= 5; ++t) {
            IMeasurementRegistry.MeasurementEntry memory e = measurements.measurementEntry(PROGRAM, t, measurementOf(t));
            assertEq(e.id, t, "id in order of addition");
            assertEq(measurements.entryMeasurement(t), measurementOf(t), "entryMeasurement");
        }
        vm.prank(governor);
        measurements.addMeasurement(keccak256("other"), 2, measurementOf(2), 0, 0);
        assertEq(measurements.measurementEntry(keccak256("other"), 2, measurementOf(2)).id, 6, "next id");
        assertEq(measurements.entryMeasurement(6), measurementOf(2), "same measurement, own id");
        assertEq(measurements.entryMeasurement(7), bytes32(0), "unknown id");
    }

    function test_entryAllowedUntil_AnswersForExactlyThatEntry() public {
        vm.prank(governor);
        measurements.addMeasurement(PROGRAM, 2, M, 0, uint64(START + 100));
        uint32 id = measurements.measurementEntry(PROGRAM, 2, M).id;
        assertEq(measurements.entryAllowedUntil(PROGRAM, 2, id, uint64(START)), START + 100, "window end");
        assertEq(measurements.entryAllowedUntil(keccak256("other"), 2, id, uint64(START)), 0, "other program");
        assertEq(measurements.entryAllowedUntil(PROGRAM, 3, id, uint64(START)), 0, "other TEE type");
        assertEq(measurements.entryAllowedUntil(PROGRAM, 2, 1, uint64(START)), 0, "another entry's id");
        assertEq(measurements.entryAllowedUntil(PROGRAM, 2, 999, uint64(START)), 0, "unknown id");
        assertEq(measurements.entryAllowedUntil(PROGRAM, 1, 1, uint64(START)), type(uint64).max, "open-ended entry");
        vm.warp(START + 100);
        assertEq(measurements.entryAllowedUntil(PROGRAM, 2, id, uint64(START)), 0, "window over");
        vm.prank(guardian);
        measurements.revokeMeasurement(1, measurementOf(1));
        assertEq(measurements.entryAllowedUntil(PROGRAM, 1, 1, uint64(START)), 0, "revoked");
    }

    function test_checkClaimsEntry_ReturnsEntryWindowAndEpoch() public {
        vm.prank(guardian);
        measurements.revokeMeasurement(5, measurementOf(5));
        (uint32 id, uint64 validUntil, uint64 epoch) = measurements.checkClaimsEntry(PROGRAM, _claims());
        assertEq(id, 1, "entry of measurementOf(1)");
        assertEq(validUntil, type(uint64).max, "no end");
        assertEq(epoch, 1, "one revocation so far");
        Claims memory c = _claims();
        c.debug = true;
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.DebugNotAllowed.selector, uint8(1)));
        measurements.checkClaimsEntry(PROGRAM, c);
    }

    function test_livenessEpoch_AdvancesOnRevocationRotationAndRole() public {
        assertEq(measurements.livenessEpoch(), 0, "starts at 0");
        vm.expectEmit(true, true, true, true, address(measurements));
        emit IMeasurementRegistry.LivenessEpochAdvanced(1, guardian);
        vm.prank(guardian);
        measurements.revokeMeasurement(3, measurementOf(3));
        vm.prank(governor);
        measurements.rotateMeasurement(PROGRAM, 1, measurementOf(1), M, 1 hours);
        assertEq(measurements.livenessEpoch(), 2, "revocation and rotation");
        vm.prank(governor);
        measurements.addMeasurement(PROGRAM, 2, keccak256("added"), 0, 0);
        assertEq(measurements.livenessEpoch(), 2, "adding ends nobody's liveness");
        address registry = address(enclaves);
        vm.prank(registry);
        measurements.advanceLivenessEpoch();
        assertEq(measurements.livenessEpoch(), 3, "LIVENESS_EPOCH_ROLE");
    }

    function test_advanceLivenessEpoch_RevertWhen_NotRole() public {
        for (uint256 i = 0; i < 2; ++i) {
            address caller = i == 0 ? governor : guardian;
            vm.prank(caller);
            vm.expectRevert(
                abi.encodeWithSelector(
                    IAccessControl.AccessControlUnauthorizedAccount.selector, caller, LIVENESS_EPOCH_ROLE
                )
            );
            measurements.advanceLivenessEpoch();
        }
    }

    // ------------------------------------------------------------------------------------------- rotate

    function test_rotateMeasurement_NewNowOldAfterGrace() public {
        bytes32 old = measurementOf(1);
        vm.expectEmit(true, true, true, true, address(measurements));
        emit IMeasurementRegistry.MeasurementRotated(PROGRAM, 1, old, M, uint64(START + 1 days));
        vm.prank(governor);
        measurements.rotateMeasurement(PROGRAM, 1, old, M, 1 days);
        assertTrue(measurements.isAllowed(PROGRAM, 1, M), "new allowed now");
        assertTrue(measurements.isAllowed(PROGRAM, 1, old), "old allowed during grace");
        vm.warp(START + 1 days);
        assertFalse(measurements.isAllowed(PROGRAM, 1, old), "old expired after grace");
        assertTrue(measurements.isAllowed(PROGRAM, 1, M), "new still allowed");
    }

    function test_rotateMeasurement_RevertWhen_OldNotAllowed() public {
        vm.prank(governor);
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.MeasurementNotAllowed.selector, PROGRAM, uint8(1), M));
        measurements.rotateMeasurement(PROGRAM, 1, M, keccak256("x"), 0);
    }

    function test_rotateMeasurement_RevertWhen_GracePeriodTooLong() public {
        vm.prank(governor);
        vm.expectRevert(
            abi.encodeWithSelector(IMeasurementRegistry.GracePeriodTooLong.selector, uint64(31 days), uint64(30 days))
        );
        measurements.rotateMeasurement(PROGRAM, 1, measurementOf(1), M, 31 days);
    }

    function test_rotateMeasurement_RevertWhen_NotGovernor() public {
        vm.prank(guardian);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, guardian, GOVERNOR_ROLE
            )
        );
        measurements.rotateMeasurement(PROGRAM, 1, measurementOf(1), M, 0);
    }

    // ------------------------------------------------------------------------------------------- revoke

    function test_revokeMeasurement_IsImmediateAndForEveryProgram() public {
        bytes32 other = keccak256("other program");
        vm.prank(governor);
        measurements.addMeasurement(other, 1, measurementOf(1), 0, 0);
        vm.expectEmit(true, true, true, true, address(measurements));
        emit IMeasurementRegistry.MeasurementRevoked(1, measurementOf(1), guardian);
        vm.prank(guardian);
        measurements.revokeMeasurement(1, measurementOf(1));
        assertFalse(measurements.isAllowed(PROGRAM, 1, measurementOf(1)), "revoked for PROGRAM");
        assertFalse(measurements.isAllowed(other, 1, measurementOf(1)), "revoked for other");
        assertTrue(measurements.isRevoked(1, measurementOf(1)), "isRevoked");
    }

    function test_revokeMeasurement_RevertWhen_AlreadyRevoked() public {
        vm.startPrank(guardian);
        measurements.revokeMeasurement(1, M);
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.MeasurementIsRevoked.selector, uint8(1), M));
        measurements.revokeMeasurement(1, M);
    }

    function test_revokeMeasurement_RevertWhen_NotGuardian() public {
        vm.prank(governor);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, governor, GUARDIAN_ROLE
            )
        );
        measurements.revokeMeasurement(1, M);
    }

    function test_revokeMeasurement_RevertWhen_ZeroOrInvalid() public {
        vm.startPrank(guardian);
        vm.expectRevert(IMeasurementRegistry.ZeroIdentifier.selector);
        measurements.revokeMeasurement(1, bytes32(0));
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.InvalidTeeType.selector, uint8(9)));
        measurements.revokeMeasurement(9, M);
    }

    function test_rotateMeasurement_RevertWhen_NewRevoked() public {
        vm.prank(guardian);
        measurements.revokeMeasurement(1, M);
        vm.prank(governor);
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.MeasurementIsRevoked.selector, uint8(1), M));
        measurements.rotateMeasurement(PROGRAM, 1, measurementOf(1), M, 0);
    }

    // ------------------------------------------------------------------------------------------- policy

    // ------------------------------------------------------------- issue 12 item 10: tightening ends admissions

    function _policy(uint256 accepted, uint48 minSvn, uint64 maxAge)
        internal
        pure
        returns (IMeasurementRegistry.TeePolicy memory)
    {
        return IMeasurementRegistry.TeePolicy({acceptedTcbStatuses: accepted, minSvn: minSvn, maxEvidenceAge: maxAge});
    }

    function test_setTeePolicy_Tightening_EndsEarlierAdmissionsAndAdvancesEpoch() public {
        uint64 epoch = measurements.livenessEpoch();
        vm.warp(START + 10);
        vm.expectEmit(true, true, true, true, address(measurements));
        emit IMeasurementRegistry.TeePolicyTightened(1, uint64(START + 10));
        vm.expectEmit(true, true, true, true, address(measurements));
        emit IMeasurementRegistry.LivenessEpochAdvanced(epoch + 1, governor);
        vm.prank(governor);
        measurements.setTeePolicy(1, _policy(ACCEPTED, 3, 1 days));
        assertEq(measurements.policyTightenedAt(1), START + 10, "recorded");
        assertEq(measurements.policyTightenedAt(2), 0, "other types untouched");
        assertEq(measurements.entryAllowedUntil(PROGRAM, 1, 1, uint64(START + 10)), 0, "admitted in the same block");
        assertEq(measurements.entryAllowedUntil(PROGRAM, 1, 1, uint64(START + 11)), type(uint64).max, "admitted after");
        vm.prank(governor);
        measurements.setTeePolicy(1, _policy(1 << 0, 3, 1 days)); // NOT_APPLICABLE dropped
        assertEq(measurements.livenessEpoch(), epoch + 2, "dropping a TCB status tightens too");
    }

    /// @dev Lanes compare on their own: lowering the low lane while raising the next one still tightens.
    function test_setTeePolicy_RaisingOneLane_Tightens() public {
        uint64 epoch = measurements.livenessEpoch();
        vm.prank(governor);
        measurements.setTeePolicy(1, _policy(ACCEPTED, 0x0100, 1 days)); // lane 0: 2 -> 0, lane 1: 0 -> 1
        assertEq(measurements.livenessEpoch(), epoch + 1, "a raised lane tightens");
        vm.prank(governor);
        measurements.setRootMinSvn(1, ROOT_HASH, 0);
        assertEq(measurements.livenessEpoch(), epoch + 1, "clearing a root minimum ends nothing");
    }

    function test_setTeePolicy_LooseningOrAgeLimit_EndsNothing() public {
        uint64 epoch = measurements.livenessEpoch();
        vm.startPrank(governor);
        measurements.setTeePolicy(1, _policy(ACCEPTED | (1 << 1), 1, 1 days)); // one more status, lower minimum
        measurements.setTeePolicy(1, _policy(ACCEPTED | (1 << 1), 1, 1 hours)); // the age limit is for registration
        vm.stopPrank();
        assertEq(measurements.livenessEpoch(), epoch, "no epoch advance");
        assertEq(measurements.policyTightenedAt(1), 0, "nothing ended");
    }

    function test_setRootHashAllowed_Disallowing_EndsEarlierAdmissions() public {
        uint64 epoch = measurements.livenessEpoch();
        vm.startPrank(governor);
        measurements.setRootHashAllowed(2, keccak256("second root"), true);
        assertEq(measurements.livenessEpoch(), epoch, "allowing a root ends nothing");
        vm.expectEmit(true, true, true, true, address(measurements));
        emit IMeasurementRegistry.TeePolicyTightened(2, uint64(START));
        measurements.setRootHashAllowed(2, keccak256("second root"), false);
        vm.stopPrank();
        assertEq(measurements.livenessEpoch(), epoch + 1, "disallowing one advances the epoch");
        assertEq(measurements.policyTightenedAt(2), START, "recorded");
    }

    function test_setTeePolicy_RevertWhen_Invalid() public {
        vm.startPrank(governor);
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.InvalidTeePolicy.selector, uint8(1)));
        measurements.setTeePolicy(1, IMeasurementRegistry.TeePolicy(0, 0, 1 days));
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.InvalidTeePolicy.selector, uint8(1)));
        measurements.setTeePolicy(1, IMeasurementRegistry.TeePolicy(1, 0, 0));
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.InvalidTeeType.selector, uint8(0)));
        measurements.setTeePolicy(0, IMeasurementRegistry.TeePolicy(1, 0, 1));
    }

    function test_setTeePolicy_RevertWhen_NotGovernor() public {
        vm.prank(guardian);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, guardian, GOVERNOR_ROLE
            )
        );
        measurements.setTeePolicy(1, IMeasurementRegistry.TeePolicy(1, 0, 1));
    }

    function test_setRootHashAllowed_TogglesAndRevertWhen_Unchanged() public {
        vm.startPrank(governor);
        vm.expectRevert(
            abi.encodeWithSelector(IMeasurementRegistry.RootHashUnchanged.selector, uint8(1), ROOT_HASH, true)
        );
        measurements.setRootHashAllowed(1, ROOT_HASH, true);
        vm.expectEmit(true, true, true, true, address(measurements));
        emit IMeasurementRegistry.RootHashSet(1, ROOT_HASH, false);
        measurements.setRootHashAllowed(1, ROOT_HASH, false);
        assertFalse(measurements.isRootHashAllowed(1, ROOT_HASH), "disallowed");
        vm.expectRevert(IMeasurementRegistry.ZeroIdentifier.selector);
        measurements.setRootHashAllowed(1, bytes32(0), true);
    }

    function test_checkClaims_AcceptsGoodClaims() public view {
        measurements.checkClaims(PROGRAM, _claims());
    }

    function test_checkClaims_RevertWhen_EachRuleFails() public {
        Claims memory c = _claims();
        c.measurement = M;
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.MeasurementNotAllowed.selector, PROGRAM, uint8(1), M));
        measurements.checkClaims(PROGRAM, c);

        c = _claims();
        c.tcbStatus = 3;
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.TcbStatusNotAccepted.selector, uint8(1), uint8(3)));
        measurements.checkClaims(PROGRAM, c);

        c = _claims();
        c.tcbStatus = 254;
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.TcbStatusNotAccepted.selector, uint8(1), uint8(254)));
        measurements.checkClaims(PROGRAM, c);

        c = _claims();
        c.svn = 1;
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.SvnTooLow.selector, uint8(1), uint48(1), uint48(2)));
        measurements.checkClaims(PROGRAM, c);

        c = _claims();
        c.timestamp = uint64(START - 1 days - 1);
        vm.expectRevert(
            abi.encodeWithSelector(IMeasurementRegistry.EvidenceTooOld.selector, c.timestamp, uint64(1 days), START)
        );
        measurements.checkClaims(PROGRAM, c);

        c = _claims();
        c.timestamp = uint64(START + 5 minutes + 1);
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.EvidenceFromFuture.selector, c.timestamp, START));
        measurements.checkClaims(PROGRAM, c);

        c = _claims();
        c.rootHash = keccak256("dev root");
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.RootHashNotAllowed.selector, uint8(1), c.rootHash));
        measurements.checkClaims(PROGRAM, c);

        c = _claims();
        c.debug = true;
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.DebugNotAllowed.selector, uint8(1)));
        measurements.checkClaims(PROGRAM, c);
    }

    /// @dev Even with a type-4 measurement, policy and root allowed (setUp allows them for every type), GPU claims
    /// are never an enclave's claims.
    function test_checkClaims_RevertWhen_GpuClaimsStandalone() public {
        Claims memory c = goodClaims(4, address(0xE1), bytes32(0), bytes32(0));
        assertTrue(measurements.isAllowed(PROGRAM, 4, c.measurement), "the GPU measurement itself is allowlisted");
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.GpuClaimsNotStandalone.selector, uint8(4)));
        measurements.checkClaims(PROGRAM, c);
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.GpuClaimsNotStandalone.selector, uint8(4)));
        measurements.checkClaimsEntry(PROGRAM, c);
    }

    function test_checkClaims_RevertWhen_PolicyNotSet() public {
        MeasurementRegistry fresh = new MeasurementRegistry(governor, guardian);
        vm.prank(governor);
        fresh.addMeasurement(PROGRAM, 1, measurementOf(1), 0, 0);
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.TeePolicyNotSet.selector, uint8(1)));
        fresh.checkClaims(PROGRAM, _claims());
    }

    // ---------------------------------------------------------------------------------- liveness sinks

    function test_addLivenessSink_PushesTheCurrentEpochThenEveryAdvance() public {
        vm.prank(guardian);
        measurements.revokeMeasurement(5, measurementOf(5));
        LivenessSinkTestDouble sink = new LivenessSinkTestDouble(measurements);
        vm.expectEmit(true, true, true, true, address(measurements));
        emit IMeasurementRegistry.LivenessSinkAdded(address(sink), 1);
        vm.prank(governor);
        measurements.addLivenessSink(address(sink));
        assertEq(sink.mirroredLivenessEpoch(), 1, "current epoch pushed on adding");
        assertEq(measurements.livenessSinks().length, 1, "listed");

        vm.prank(guardian);
        measurements.revokeMeasurement(4, measurementOf(4));
        assertEq(sink.mirroredLivenessEpoch(), 2, "revocation pushed");
        vm.prank(governor);
        measurements.rotateMeasurement(PROGRAM, 3, measurementOf(3), M, 1 hours);
        assertEq(sink.mirroredLivenessEpoch(), 3, "rotation pushed");
        vm.prank(governor);
        measurements.grantRole(LIVENESS_EPOCH_ROLE, address(this));
        measurements.advanceLivenessEpoch();
        assertEq(sink.mirroredLivenessEpoch(), 4, "advance by the role pushed");
        assertEq(sink.pushes(), 4, "one push per change");
    }

    function test_removeLivenessSink_PushesNotMirroredAndStops() public {
        LivenessSinkTestDouble sink = new LivenessSinkTestDouble(measurements);
        LivenessSinkTestDouble kept = new LivenessSinkTestDouble(measurements);
        vm.startPrank(governor);
        measurements.addLivenessSink(address(sink));
        measurements.addLivenessSink(address(kept));
        vm.expectEmit(true, true, true, true, address(measurements));
        emit IMeasurementRegistry.LivenessSinkRemoved(address(sink), true);
        measurements.removeLivenessSink(address(sink));
        vm.stopPrank();
        assertEq(sink.mirroredLivenessEpoch(), measurements.NOT_MIRRORED(), "told to stop trusting its copy");
        vm.prank(guardian);
        measurements.revokeMeasurement(1, measurementOf(1));
        assertEq(sink.mirroredLivenessEpoch(), measurements.NOT_MIRRORED(), "no longer pushed");
        assertEq(kept.mirroredLivenessEpoch(), 1, "the other sink still is");
        assertEq(measurements.livenessSinks().length, 1, "one left");
        assertEq(measurements.livenessSinks()[0], address(kept), "the kept one");
    }

    function test_addLivenessSink_RevertWhen_Invalid() public {
        LivenessSinkTestDouble sink = new LivenessSinkTestDouble(measurements);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, guardian, measurements.GOVERNOR_ROLE()
            )
        );
        vm.prank(guardian);
        measurements.addLivenessSink(address(sink));

        vm.startPrank(governor);
        vm.expectRevert(abi.encodeWithSelector(IGoverned.ZeroAddress.selector, "sink"));
        measurements.addLivenessSink(address(0));
        MeasurementRegistry other = new MeasurementRegistry(governor, guardian);
        LivenessSinkTestDouble foreign = new LivenessSinkTestDouble(other);
        vm.expectRevert(
            abi.encodeWithSelector(
                IMeasurementRegistry.LivenessSinkSourceMismatch.selector, address(foreign), address(other)
            )
        );
        measurements.addLivenessSink(address(foreign));
        sink.setReverting(true);
        vm.expectRevert("LivenessSinkTestDouble: reverting");
        measurements.addLivenessSink(address(sink));
        sink.setReverting(false);
        measurements.addLivenessSink(address(sink));
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.LivenessSinkAlreadyAdded.selector, address(sink)));
        measurements.addLivenessSink(address(sink));
        for (uint256 i = 1; i < measurements.MAX_LIVENESS_SINKS(); ++i) {
            measurements.addLivenessSink(address(new LivenessSinkTestDouble(measurements)));
        }
        address fifth = address(new LivenessSinkTestDouble(measurements));
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.TooManyLivenessSinks.selector, 4));
        measurements.addLivenessSink(fifth);
        vm.stopPrank();
    }

    function test_removeLivenessSink_RevertWhen_NotFoundOrNotGovernorOrGuardian() public {
        LivenessSinkTestDouble sink = new LivenessSinkTestDouble(measurements);
        vm.prank(governor);
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.LivenessSinkNotFound.selector, address(sink)));
        measurements.removeLivenessSink(address(sink));
        vm.prank(governor);
        measurements.addLivenessSink(address(sink));
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, address(0xBAD), measurements.GUARDIAN_ROLE()
            )
        );
        vm.prank(address(0xBAD));
        measurements.removeLivenessSink(address(sink));
    }

    /// @dev Whoever executes a removal (the timelock lets anyone) cannot starve the notice and leave a working
    /// sink trusting its copy: too little gas reverts the removal instead.
    function test_removeLivenessSink_RevertWhen_TooLittleGasForTheNotice() public {
        LivenessSinkTestDouble sink = new LivenessSinkTestDouble(measurements);
        vm.prank(governor);
        measurements.addLivenessSink(address(sink));
        vm.prank(governor);
        (bool ok, bytes memory returned) =
            address(measurements).call{gas: 45_000}(abi.encodeCall(measurements.removeLivenessSink, (address(sink))));
        assertFalse(ok, "starved removal");
        assertEq(
            keccak256(returned),
            keccak256(abi.encodeWithSelector(IMeasurementRegistry.NotEnoughGasForSinkNotice.selector, 50_000)),
            "NotEnoughGasForSinkNotice"
        );
        assertEq(measurements.livenessSinks().length, 1, "still a sink");
        vm.prank(governor);
        measurements.removeLivenessSink{gas: 100_000}(address(sink));
        assertEq(sink.mirroredLivenessEpoch(), measurements.NOT_MIRRORED(), "notified with enough gas");
    }

    /// @dev For any gas the executor picks, a removal either reverts or notifies a sink that needs about 45k of its 50k (15k burnt, a zero-to-non-zero store, a counter)
    /// allowance: never removed-but-unnotified because the executor starved the call.
    function testFuzz_removeLivenessSink_NeverStarvesTheNotice(uint32 gasLimit) public {
        gasLimit = uint32(bound(gasLimit, 30_000, 200_000));
        LivenessSinkTestDouble sink = new LivenessSinkTestDouble(measurements);
        vm.prank(governor);
        measurements.addLivenessSink(address(sink));
        sink.setGasToBurn(15_000);
        vm.prank(governor);
        (bool ok,) = address(measurements).call{gas: gasLimit}(abi.encodeCall(measurements.removeLivenessSink, (address(sink))));
        if (ok) assertEq(sink.mirroredLivenessEpoch(), measurements.NOT_MIRRORED(), "removed without being told");
        else assertEq(measurements.livenessSinks().length, 1, "a failed removal keeps the sink");
    }

    /// @dev A sink that reverts is never skipped: the revocation reverts with it, so no sink can miss one. The
    /// guardian removes the broken sink (its last push reverts too, so `notified` is false) and revokes.
    function test_revokeMeasurement_RevertsWhenASinkRevertsUntilTheGuardianRemovesIt() public {
        LivenessSinkTestDouble sink = new LivenessSinkTestDouble(measurements);
        vm.prank(governor);
        measurements.addLivenessSink(address(sink));
        sink.setReverting(true);
        vm.prank(guardian);
        vm.expectRevert("LivenessSinkTestDouble: reverting");
        measurements.revokeMeasurement(1, measurementOf(1));
        assertFalse(measurements.isRevoked(1, measurementOf(1)), "nothing changed");

        vm.expectEmit(true, true, true, true, address(measurements));
        emit IMeasurementRegistry.LivenessSinkRemoved(address(sink), false);
        vm.prank(guardian);
        measurements.removeLivenessSink(address(sink));
        vm.prank(guardian);
        measurements.revokeMeasurement(1, measurementOf(1));
        assertTrue(measurements.isRevoked(1, measurementOf(1)), "revoked once the broken sink is gone");
    }

    function test_constructor_RevertWhen_ZeroGovernor() public {
        vm.expectRevert(abi.encodeWithSelector(IGoverned.ZeroAddress.selector, "governor"));
        new MeasurementRegistry(address(0), guardian);
    }

    /// forge-config: default.fuzz.runs = 64
    function testFuzz_checkClaims_TcbStatusFollowsBitmask(uint8 status, uint256 mask) public {
        mask = mask | 1; // a policy must accept something
        vm.prank(governor);
        measurements.setTeePolicy(1, IMeasurementRegistry.TeePolicy(mask, 0, 1 days));
        Claims memory c = _claims();
        c.tcbStatus = status;
        if (mask & (uint256(1) << status) == 0) {
            vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.TcbStatusNotAccepted.selector, uint8(1), status));
        }
        measurements.checkClaims(PROGRAM, c);
    }

    // ------------------------------------------------------------------------------------------- governance

    /// forge-config: default.fuzz.runs = 64
    function testFuzz_addMeasurement_RevertWhen_CallerIsNotGovernor(address caller, bytes32 m) public {
        vm.assume(caller != governor && m != bytes32(0));
        vm.prank(caller);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, caller, GOVERNOR_ROLE
            )
        );
        measurements.addMeasurement(PROGRAM, 1, m, 0, 0);
    }

    /// forge-config: default.fuzz.runs = 64
    function testFuzz_revokeMeasurement_IsPermanent(bytes32 m, uint32 later) public {
        vm.assume(m != bytes32(0) && m != measurementOf(1));
        vm.prank(governor);
        measurements.addMeasurement(PROGRAM, 1, m, 0, 0);
        vm.prank(guardian);
        measurements.revokeMeasurement(1, m);
        vm.warp(START + uint256(later));
        assertFalse(measurements.isAllowed(PROGRAM, 1, m), "revoked stays disallowed");
        vm.prank(governor);
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.MeasurementIsRevoked.selector, uint8(1), m));
        measurements.addMeasurement(keccak256(abi.encode(later)), 1, m, 0, 0);
    }

    function test_governance_TimelockAddsOnlyAfterDelay() public {
        address proposer = address(0x7000);
        address[] memory proposers = new address[](1);
        proposers[0] = proposer;
        address[] memory executors = new address[](1);
        executors[0] = address(0); // anyone executes once the delay has passed
        TimelockController timelock = new TimelockController(2 days, proposers, executors, address(0));
        MeasurementRegistry governed = new MeasurementRegistry(address(timelock), guardian);

        bytes memory call = abi.encodeCall(MeasurementRegistry.addMeasurement, (PROGRAM, 1, M, 0, 0));
        vm.prank(proposer);
        timelock.schedule(address(governed), 0, call, bytes32(0), bytes32(0), 2 days);
        vm.expectRevert();
        timelock.execute(address(governed), 0, call, bytes32(0), bytes32(0));
        vm.warp(START + 2 days);
        timelock.execute(address(governed), 0, call, bytes32(0), bytes32(0));
        assertTrue(governed.isAllowed(PROGRAM, 1, M), "allowed through the timelock");

        vm.prank(proposer);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, proposer, GOVERNOR_ROLE
            )
        );
        governed.addMeasurement(PROGRAM, 1, keccak256("direct"), 0, 0);
    }
}
