// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {TeezkBase} from "../utils/TeezkBase.sol";
import {Claims} from "../../../contracts/interfaces/IClaims.sol";
import {IMeasurementRegistry} from "../../../contracts/interfaces/IMeasurementRegistry.sol";

/// @dev Issue 12 item 7: `Claims.svn` is a vector of 8-bit lanes, and a minimum holds only when every lane does.
contract MeasurementRegistrySvnTest is TeezkBase {
    /// @dev The issue's minimum, SNP (bootloader 4, tee 0, snp 24, microcode 219), lanes 3..0.
    uint48 internal constant GENOA_MIN = 0x04_00_18_DB;

    function _snpClaims(uint48 svn) internal view returns (Claims memory c) {
        c = goodClaims(2, address(0xE1), bytes32(0), bytes32(0));
        c.svn = svn;
    }

    function _setSnpMinSvn(uint48 minSvn) internal {
        vm.prank(governor);
        measurements.setTeePolicy(
            2, IMeasurementRegistry.TeePolicy({acceptedTcbStatuses: ACCEPTED, minSvn: minSvn, maxEvidenceAge: 1 days})
        );
    }

    function test_checkClaims_RevertWhen_SvnLaneBelowMinimum() public {
        _setSnpMinSvn(GENOA_MIN);
        // Bootloader 9, SNP firmware 0, microcode 0: larger as one number, older in two components.
        Claims memory c = _snpClaims(0x09_00_00_00);
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.SvnTooLow.selector, uint8(2), c.svn, GENOA_MIN));
        measurements.checkClaims(PROGRAM, c);
    }

    function test_checkClaims_AcceptsWhenEveryLaneReachesMinimum() public {
        _setSnpMinSvn(GENOA_MIN);
        measurements.checkClaims(PROGRAM, _snpClaims(0x09_00_18_DB));
        measurements.checkClaims(PROGRAM, _snpClaims(GENOA_MIN));
    }

    function testFuzz_checkClaims_SvnComparedLaneByLane(uint48 svn, uint48 minSvn) public {
        _setSnpMinSvn(minSvn);
        bool atLeast = true;
        for (uint256 lane = 0; lane < 6; ++lane) {
            if ((svn >> (8 * lane)) & 0xff < (minSvn >> (8 * lane)) & 0xff) atLeast = false;
        }
        if (!atLeast) {
            vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.SvnTooLow.selector, uint8(2), svn, minSvn));
        }
        measurements.checkClaims(PROGRAM, _snpClaims(svn));
    }

    function test_checkClaims_RevertWhen_BelowRootMinimum() public {
        // Turin's FMC SVN is lane 4: a per-product (per-ARK) minimum can require it.
        uint48 turinMin = uint48(1) << 32 | GENOA_MIN;
        vm.expectEmit(true, true, true, true, address(measurements));
        emit IMeasurementRegistry.RootMinSvnSet(2, ROOT_HASH, turinMin);
        vm.prank(governor);
        measurements.setRootMinSvn(2, ROOT_HASH, turinMin);
        assertEq(measurements.rootMinSvn(2, ROOT_HASH), turinMin, "set");
        assertTrue(measurements.isRootHashAllowed(2, ROOT_HASH), "the allowance shares the word, untouched");
        Claims memory c = _snpClaims(GENOA_MIN);
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.SvnTooLow.selector, uint8(2), c.svn, turinMin));
        measurements.checkClaims(PROGRAM, c);
        measurements.checkClaims(PROGRAM, _snpClaims(turinMin));
        // Another TEE type's root entry is its own.
        measurements.checkClaims(PROGRAM, goodClaims(1, address(0xE1), bytes32(0), bytes32(0)));
    }

    function test_setRootHashAllowed_KeepsRootMinimum() public {
        vm.startPrank(governor);
        measurements.setRootMinSvn(2, ROOT_HASH, GENOA_MIN);
        measurements.setRootHashAllowed(2, ROOT_HASH, false);
        measurements.setRootHashAllowed(2, ROOT_HASH, true);
        vm.stopPrank();
        assertEq(measurements.rootMinSvn(2, ROOT_HASH), GENOA_MIN, "kept");
    }

    function test_setRootMinSvn_RevertWhen_NotGovernorOrInvalid() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, guardian, GOVERNOR_ROLE)
        );
        vm.prank(guardian);
        measurements.setRootMinSvn(2, ROOT_HASH, 1);
        vm.startPrank(governor);
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.InvalidTeeType.selector, uint8(6)));
        measurements.setRootMinSvn(6, ROOT_HASH, 1);
        vm.expectRevert(IMeasurementRegistry.ZeroIdentifier.selector);
        measurements.setRootMinSvn(2, bytes32(0), 1);
        vm.stopPrank();
    }
}
