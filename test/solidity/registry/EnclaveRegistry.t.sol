// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {TeezkBase} from "../utils/TeezkBase.sol";
import {Claims} from "../../../contracts/interfaces/IClaims.sol";
import {IEnclaveRegistry} from "../../../contracts/interfaces/IEnclaveRegistry.sol";
import {IGoverned} from "../../../contracts/interfaces/IGoverned.sol";
import {IMeasurementRegistry} from "../../../contracts/interfaces/IMeasurementRegistry.sol";
import {ICommitteeAttestationVerifier} from "../../../contracts/interfaces/ICommitteeAttestationVerifier.sol";
import {IAttestationVerifier} from "../../../contracts/interfaces/IAttestationVerifier.sol";
import {EnclaveRegistry} from "../../../contracts/registry/EnclaveRegistry.sol";

contract EnclaveRegistryTest is TeezkBase {
    uint256 internal constant KEY = 0xE1;
    bytes32 internal constant HPKE = keccak256("hpke");

    function _prepare(uint8 teeType) internal returns (address enclave, bytes32 nonce, Claims memory claims) {
        enclave = vm.addr(KEY);
        nonce = enclaves.issueChallenge(PROGRAM);
        claims = goodClaims(teeType, enclave, HPKE, nonce);
    }

    function test_register_StoresLiveEnclave() public {
        (address enclave, bytes32 nonce, Claims memory claims) = _prepare(2);
        vm.expectEmit(true, true, true, true, address(enclaves));
        emit IEnclaveRegistry.EnclaveRegistered(
            enclave, PROGRAM, measurementOf(2), 2, COMMITTEE_PATH, HPKE, keccak256("platform"), uint64(START + 24 hours)
        );
        uint64 expiresAt =
            enclaves.register(PROGRAM, claims, enclave, HPKE, nonce, COMMITTEE_PATH, committeeProof(claims));
        assertEq(expiresAt, START + 24 hours, "default 24 h expiry");
        assertTrue(enclaves.isLive(enclave, PROGRAM), "live");
        assertFalse(enclaves.isLive(enclave, keccak256("other")), "not live for another program");
        IEnclaveRegistry.Enclave memory e = enclaves.enclaveInfo(enclave, PROGRAM);
        assertEq(e.teeType, 2, "teeType");
        assertEq(e.measurement, measurementOf(2), "measurement");
        assertEq(e.registeredAt, START, "registeredAt");
        assertEq(e.path, COMMITTEE_PATH, "path");
        assertEq(e.entryId, measurements.measurementEntry(PROGRAM, 2, measurementOf(2)).id, "entry id");
        (, bool used) = enclaves.nonceState(PROGRAM, nonce);
        assertTrue(used, "nonce used");
    }

    function test_register_AcceptsRecentBlockHash() public {
        vm.roll(2000);
        bytes32 nonce = blockhash(block.number - 10);
        assertTrue(nonce != bytes32(0), "runner provides block hashes");
        address enclave = vm.addr(KEY);
        Claims memory claims = goodClaims(1, enclave, HPKE, nonce);
        enclaves.register(PROGRAM, claims, enclave, HPKE, nonce, COMMITTEE_PATH, committeeProof(claims));
        assertTrue(enclaves.isLive(enclave, PROGRAM), "live");
    }

    function test_register_ReattestationExtends() public {
        address enclave = registerEnclave(KEY, 1);
        vm.warp(START + 20 hours);
        registerEnclave(KEY, 1);
        vm.warp(START + 30 hours);
        assertTrue(enclaves.isLive(enclave, PROGRAM), "extended");
        vm.warp(START + 44 hours);
        assertFalse(enclaves.isLive(enclave, PROGRAM), "expired 24 h after re-attestation");
    }

    function test_isLive_FalseAfterRevocationAtOnce() public {
        address enclave = registerEnclave(KEY, 3);
        assertTrue(enclaves.isLive(enclave, PROGRAM), "live before");
        vm.prank(guardian);
        measurements.revokeMeasurement(3, measurementOf(3));
        assertFalse(enclaves.isLive(enclave, PROGRAM), "revoked measurement kills the key");
        assertEq(enclaves.liveTeeType(enclave, PROGRAM), 0, "liveTeeType agrees");
    }

    // ------------------------------------------------------------------ liveness cache (fast path) vs full check

    function test_isLive_EndsAtMeasurementWindowEndBeforeExpiry() public {
        bytes32 program = keccak256("windowed program");
        vm.prank(governor);
        measurements.addMeasurement(program, 1, measurementOf(1), 0, uint64(START + 2 hours));
        address enclave = vm.addr(KEY);
        bytes32 nonce = enclaves.issueChallenge(program);
        Claims memory claims = goodClaims(1, enclave, HPKE, nonce);
        enclaves.register(program, claims, enclave, HPKE, nonce, COMMITTEE_PATH, committeeProof(claims));
        uint64 epoch = measurements.livenessEpoch();
        vm.warp(START + 2 hours - 1);
        assertTrue(enclaves.isLive(enclave, program), "inside the window");
        vm.warp(START + 2 hours);
        assertEq(measurements.livenessEpoch(), epoch, "no epoch change: the cached answer is the one given");
        assertFalse(enclaves.isLive(enclave, program), "window ended, 22 h before the registration expires");
        assertEq(enclaves.liveTeeType(enclave, program), 0, "liveTeeType agrees");
    }

    function test_isLive_RotationEndsLivenessAfterGrace() public {
        address enclave = registerEnclave(KEY, 1);
        uint64 epoch = measurements.livenessEpoch();
        vm.prank(governor);
        measurements.rotateMeasurement(PROGRAM, 1, measurementOf(1), keccak256("m1 v2"), 1 hours);
        assertEq(measurements.livenessEpoch(), epoch + 1, "rotation advances the epoch");
        vm.warp(START + 1 hours - 1);
        assertTrue(enclaves.isLive(enclave, PROGRAM), "live during the grace period");
        vm.warp(START + 1 hours);
        assertFalse(enclaves.isLive(enclave, PROGRAM), "not live once the grace period is over");
    }

    function test_isLive_FullCheckAfterUnrelatedEpochChange() public {
        address enclave = registerEnclave(KEY, 1);
        vm.prank(guardian);
        measurements.revokeMeasurement(3, measurementOf(3));
        assertTrue(enclaves.isLive(enclave, PROGRAM), "another measurement's revocation does not end this key");
        assertEq(enclaves.liveTeeType(enclave, PROGRAM), 1, "type 1 through the full check");
        registerEnclave(KEY, 1);
        assertTrue(enclaves.isLive(enclave, PROGRAM), "re-attestation caches the new epoch");
    }

    function test_refreshLiveness_CachesUnderTheNewEpoch() public {
        address enclave = registerEnclave(KEY, 1);
        vm.prank(guardian);
        measurements.revokeMeasurement(3, measurementOf(3));
        uint64 epoch = measurements.livenessEpoch();
        vm.expectEmit(true, true, true, true, address(enclaves));
        emit IEnclaveRegistry.LivenessRefreshed(enclave, PROGRAM, uint64(START + 24 hours), epoch);
        vm.prank(address(0xCAFE)); // anyone
        assertEq(enclaves.refreshLiveness(enclave, PROGRAM), START + 24 hours, "liveUntil = expiry (open window)");
        assertTrue(enclaves.isLive(enclave, PROGRAM), "still live");
        vm.prank(guardian);
        measurements.revokeMeasurement(1, measurementOf(1));
        assertFalse(enclaves.isLive(enclave, PROGRAM), "a later revocation still ends it at once");
    }

    function test_refreshLiveness_CapsAtWindowEnd() public {
        bytes32 program = keccak256("windowed program");
        vm.prank(governor);
        measurements.addMeasurement(program, 2, measurementOf(2), 0, 0);
        address enclave = vm.addr(KEY);
        bytes32 nonce = enclaves.issueChallenge(program);
        Claims memory claims = goodClaims(2, enclave, HPKE, nonce);
        enclaves.register(program, claims, enclave, HPKE, nonce, COMMITTEE_PATH, committeeProof(claims));
        vm.prank(governor);
        measurements.rotateMeasurement(program, 2, measurementOf(2), keccak256("m2 v2"), 3 hours);
        assertEq(enclaves.refreshLiveness(enclave, program), START + 3 hours, "liveUntil = end of the grace period");
        vm.warp(START + 3 hours);
        assertFalse(enclaves.isLive(enclave, program), "cache ends with the window");
        vm.expectRevert(abi.encodeWithSelector(IEnclaveRegistry.EnclaveNotLive.selector, enclave, program));
        enclaves.refreshLiveness(enclave, program);
    }

    function test_refreshLiveness_RevertWhen_NotLive() public {
        vm.expectRevert(abi.encodeWithSelector(IEnclaveRegistry.EnclaveNotLive.selector, address(0xBAD), PROGRAM));
        enclaves.refreshLiveness(address(0xBAD), PROGRAM);
        address enclave = registerEnclave(KEY, 1);
        vm.prank(guardian);
        measurements.revokeMeasurement(1, measurementOf(1));
        vm.expectRevert(abi.encodeWithSelector(IEnclaveRegistry.EnclaveNotLive.selector, enclave, PROGRAM));
        enclaves.refreshLiveness(enclave, PROGRAM);
        address other = registerEnclave(0xE2, 2);
        vm.prank(governor);
        enclaves.grantRole(REMOVER_ROLE, guardian);
        vm.prank(guardian);
        enclaves.removeEnclave(other);
        vm.expectRevert(abi.encodeWithSelector(IEnclaveRegistry.EnclaveNotLive.selector, other, PROGRAM));
        enclaves.refreshLiveness(other, PROGRAM);
        address expired = registerEnclave(0xE3, 3);
        vm.warp(START + 24 hours);
        vm.expectRevert(abi.encodeWithSelector(IEnclaveRegistry.EnclaveNotLive.selector, expired, PROGRAM));
        enclaves.refreshLiveness(expired, PROGRAM);
    }

    function test_liveness_FullAnswerWithItsEpoch() public {
        bytes32 program = keccak256("windowed program");
        vm.prank(governor);
        measurements.addMeasurement(program, 2, measurementOf(2), 0, uint64(START + 5 hours));
        address enclave = registerEnclaveFor(KEY, program, 2, measurementOf(2));
        address open = registerEnclave(0xE2, 1);

        (uint64 liveUntil, uint64 epoch) = enclaves.liveness(enclave, program);
        assertEq(liveUntil, START + 5 hours, "window end before expiry");
        assertEq(epoch, measurements.livenessEpoch(), "current epoch");
        (liveUntil,) = enclaves.liveness(open, PROGRAM);
        assertEq(liveUntil, START + 24 hours, "expiry under an open window");
        (liveUntil,) = enclaves.liveness(address(0xBAD), PROGRAM);
        assertEq(liveUntil, 0, "never registered");

        vm.prank(guardian);
        measurements.revokeMeasurement(1, measurementOf(1));
        (liveUntil, epoch) = enclaves.liveness(open, PROGRAM);
        assertEq(liveUntil, 0, "revoked at once (no cache involved)");
        assertEq(epoch, measurements.livenessEpoch(), "the advanced epoch");
        vm.warp(START + 5 hours);
        (liveUntil,) = enclaves.liveness(enclave, program);
        assertEq(liveUntil, 0, "window over");
    }

    /// @dev The same key re-attested under another allowed measurement whose window ends sooner: anything cached
    /// for the key under the old entry (BatchReceipts caches per batch) must end, so the epoch advances.
    function test_register_UnderAnotherEntry_AdvancesLivenessEpoch() public {
        address enclave = registerEnclave(KEY, 2);
        (uint64 liveUntil, uint64 epoch) = enclaves.liveness(enclave, PROGRAM);
        assertEq(liveUntil, START + 24 hours, "cached answer under the first entry");

        vm.warp(START + 1 hours);
        registerEnclave(KEY, 2);
        assertEq(measurements.livenessEpoch(), epoch, "re-attesting under the same entry keeps the epoch");

        bytes32 shortLived = keccak256("m2 short-lived");
        vm.prank(governor);
        measurements.addMeasurement(PROGRAM, 2, shortLived, 0, uint64(START + 2 hours));
        registerEnclaveFor(KEY, PROGRAM, 2, shortLived);
        assertEq(measurements.livenessEpoch(), epoch + 1, "re-attesting under another entry advances it");
        (liveUntil, epoch) = enclaves.liveness(enclave, PROGRAM);
        assertEq(liveUntil, START + 2 hours, "now bounded by the new entry's window");
        assertEq(epoch, measurements.livenessEpoch(), "cached under the advanced epoch");
        vm.warp(START + 2 hours);
        assertFalse(enclaves.isLive(enclave, PROGRAM), "ends with the new entry's window");
    }

    /// @dev After the governor lowers the lifetime, re-attesting under the same entry shortens the record: what was
    /// cached for the key elsewhere (BatchReceipts) may outlive it, so the epoch advances (issue 12 item 16).
    function test_register_UnderALowerTtl_AdvancesLivenessEpoch() public {
        address enclave = registerEnclave(KEY, 2);
        uint64 epoch = measurements.livenessEpoch();
        vm.prank(governor);
        enclaves.setRegistrationTtl(1 hours);
        vm.warp(START + 10 minutes);
        registerEnclave(KEY, 2);
        assertEq(measurements.livenessEpoch(), epoch + 1, "a shorter record advances the epoch");
        (uint64 liveUntil, uint64 cachedEpoch) = enclaves.liveness(enclave, PROGRAM);
        assertEq(liveUntil, START + 70 minutes, "live until the new, earlier expiry");
        assertEq(cachedEpoch, epoch + 1, "under the advanced epoch");
        vm.warp(START + 20 minutes);
        registerEnclave(KEY, 2);
        assertEq(measurements.livenessEpoch(), epoch + 1, "a longer record under the same lifetime does not");
    }

    function test_liveTeeType_TypeWhenLiveZeroOtherwise() public {
        address enclave = registerEnclave(KEY, 5);
        assertEq(enclaves.liveTeeType(enclave, PROGRAM), 5, "live SGX key");
        assertEq(enclaves.liveTeeType(enclave, keccak256("other")), 0, "other program");
        assertEq(enclaves.liveTeeType(address(0xBAD), PROGRAM), 0, "never registered");
        vm.warp(START + 24 hours);
        assertEq(enclaves.liveTeeType(enclave, PROGRAM), 0, "expired");
    }

    function test_enclaveInfo_ZerosWhenNeverRegistered() public view {
        IEnclaveRegistry.Enclave memory e = enclaves.enclaveInfo(address(0xBAD), PROGRAM);
        assertEq(e.expiresAt, 0, "expiresAt");
        assertEq(e.measurement, bytes32(0), "measurement");
        assertEq(e.entryId, 0, "entryId");
    }

    function test_removeEnclave_AdvancesLivenessEpoch() public {
        address enclave = registerEnclave(KEY, 1);
        address other = registerEnclave(0xE2, 2);
        vm.prank(governor);
        enclaves.grantRole(REMOVER_ROLE, guardian);
        uint64 epoch = measurements.livenessEpoch();
        vm.expectEmit(true, true, true, true, address(measurements));
        emit IMeasurementRegistry.LivenessEpochAdvanced(epoch + 1, address(enclaves));
        vm.prank(guardian);
        enclaves.removeEnclave(enclave);
        assertFalse(enclaves.isLive(enclave, PROGRAM), "removed key is not live");
        assertTrue(enclaves.isLive(other, PROGRAM), "another key stays live through the full check");
    }

    function test_removeEnclave_RevertWhen_RegistryCannotAdvanceEpoch() public {
        EnclaveRegistry unwired = new EnclaveRegistry(measurements, governor);
        vm.startPrank(governor);
        unwired.grantRole(REMOVER_ROLE, guardian);
        vm.stopPrank();
        vm.prank(guardian);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, address(unwired), LIVENESS_EPOCH_ROLE
            )
        );
        unwired.removeEnclave(address(1));
        assertFalse(unwired.isRemoved(address(1)), "nothing removed without the epoch advancing with it");
    }

    function test_register_RecentBlockHashNonceIsUsedOnce() public {
        vm.roll(2000);
        bytes32 nonce = blockhash(block.number - 3);
        address enclave = vm.addr(KEY);
        Claims memory claims = goodClaims(1, enclave, HPKE, nonce);
        bytes memory proof = committeeProof(claims);
        enclaves.register(PROGRAM, claims, enclave, HPKE, nonce, COMMITTEE_PATH, proof);
        (uint64 challengeExpiresAt, bool used) = enclaves.nonceState(PROGRAM, nonce);
        assertEq(challengeExpiresAt, 0, "not an issued challenge");
        assertTrue(used, "used");
        vm.expectRevert(abi.encodeWithSelector(IEnclaveRegistry.NonceAlreadyUsed.selector, nonce));
        enclaves.register(PROGRAM, claims, enclave, HPKE, nonce, COMMITTEE_PATH, proof);
    }

    // ------------------------------------------------------------------ issue 12 item 5: front-running

    /// @dev The attack: an observer copies a pending registration and changes only `programId` to another program
    /// that allows the same measurement. Neither may make the honest registration fail.
    function test_register_FrontRunUnderAnotherProgram_DoesNotBlockTheRealOne() public {
        bytes32 other = keccak256("other program");
        vm.prank(governor);
        measurements.addMeasurement(other, 1, measurementOf(1), 0, 0);
        (address enclave, bytes32 nonce, Claims memory claims) = _prepare(1);
        bytes memory proof = committeeProof(claims);
        vm.prank(address(0xA77AC4));
        vm.expectRevert(abi.encodeWithSelector(IEnclaveRegistry.NonceNotFresh.selector, nonce));
        enclaves.register(other, claims, enclave, HPKE, nonce, COMMITTEE_PATH, proof);
        enclaves.register(PROGRAM, claims, enclave, HPKE, nonce, COMMITTEE_PATH, proof);
        assertTrue(enclaves.isLive(enclave, PROGRAM), "the honest registration went through");
        assertFalse(enclaves.isLive(enclave, other), "the copy registered nothing");
        (uint64 challengeExpiresAt, bool used) = enclaves.nonceState(other, nonce);
        assertEq(challengeExpiresAt, 0, "the challenge was issued for PROGRAM only");
        assertFalse(used, "nothing used under the other program");
    }

    function test_issueChallenge_RevertWhen_ProgramIdZero() public {
        vm.expectRevert(abi.encodeWithSelector(IEnclaveRegistry.InvalidEnclave.selector, address(0), bytes32(0)));
        enclaves.issueChallenge(bytes32(0));
    }

    /// @dev The same attack with a recent block hash as the nonce (anyone may use one): the copy may register the key
    /// for the other program (its allowlist admits the measurement), but the honest registration still goes through.
    function test_register_FrontRunWithBlockHashUnderAnotherProgram_DoesNotBlockTheRealOne() public {
        bytes32 other = keccak256("other program");
        vm.prank(governor);
        measurements.addMeasurement(other, 1, measurementOf(1), 0, 0);
        vm.roll(2000);
        bytes32 nonce = blockhash(block.number - 1);
        address enclave = vm.addr(KEY);
        Claims memory claims = goodClaims(1, enclave, HPKE, nonce);
        bytes memory proof = committeeProof(claims);
        vm.prank(address(0xA77AC4));
        enclaves.register(other, claims, enclave, HPKE, nonce, COMMITTEE_PATH, proof);
        enclaves.register(PROGRAM, claims, enclave, HPKE, nonce, COMMITTEE_PATH, proof);
        assertTrue(enclaves.isLive(enclave, PROGRAM), "the honest registration went through");
        vm.expectRevert(abi.encodeWithSelector(IEnclaveRegistry.NonceAlreadyUsed.selector, nonce));
        enclaves.register(PROGRAM, claims, enclave, HPKE, nonce, COMMITTEE_PATH, proof);
    }

    // ------------------------------------------------------------------ issue 12 item 2: a GPU is not an enclave

    /// @dev The attack: NVIDIA GPU claims (type 4) registered as an enclave on their own. A GPU report binds
    /// nothing about the CPU code that holds the key, so it may only ever be the second half of a composite.
    function test_register_RevertWhen_GpuClaimsStandalone() public {
        (address enclave, bytes32 nonce, Claims memory claims) = _prepare(4);
        bytes memory proof = committeeProof(claims);
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.GpuClaimsNotStandalone.selector, uint8(4)));
        enclaves.register(PROGRAM, claims, enclave, HPKE, nonce, COMMITTEE_PATH, proof);
        assertFalse(enclaves.isLive(enclave, PROGRAM), "no standalone GPU key");
    }

    // ------------------------------------------------------- issue 12 item 10: policy changes end live keys

    /// @dev The attack: keys attested under a root allowed by mistake (a dev root) stay live after the governor
    /// disallows it, for up to MAX_REGISTRATION_TTL. They must stop being live at once.
    function test_isLive_FalseAtOnceWhenRootDisallowed() public {
        address enclave = registerEnclave(KEY, 1);
        address otherType = registerEnclave(0xE2, 2);
        vm.prank(governor);
        measurements.setRootHashAllowed(1, ROOT_HASH, false);
        assertFalse(enclaves.isLive(enclave, PROGRAM), "key anchored by the disallowed root is not live");
        assertEq(enclaves.liveTeeType(enclave, PROGRAM), 0, "liveTeeType agrees");
        (uint64 liveUntil,) = enclaves.liveness(enclave, PROGRAM);
        assertEq(liveUntil, 0, "full check agrees");
        assertTrue(enclaves.isLive(otherType, PROGRAM), "another TEE type's root is untouched");
    }

    /// @dev The attack: the governor raises the SVN minimum (or stops accepting a TCB status) after a vulnerability;
    /// keys attested with the old firmware stay live until they expire.
    function test_isLive_FalseAtOnceWhenPolicyTightened() public {
        address enclave = registerEnclave(KEY, 1); // svn 3, UP_TO_DATE
        address otherType = registerEnclave(0xE2, 2);
        vm.prank(governor);
        measurements.setTeePolicy(
            1, IMeasurementRegistry.TeePolicy({acceptedTcbStatuses: ACCEPTED, minSvn: 4, maxEvidenceAge: 1 days})
        );
        assertFalse(enclaves.isLive(enclave, PROGRAM), "svn 3 no longer passes");
        assertTrue(enclaves.isLive(otherType, PROGRAM), "another TEE type's policy is untouched");
        address statusKey = registerEnclave(0xE3, 3);
        vm.prank(governor);
        measurements.setTeePolicy(
            3, IMeasurementRegistry.TeePolicy({acceptedTcbStatuses: 1 << 255, minSvn: 2, maxEvidenceAge: 1 days})
        );
        assertFalse(enclaves.isLive(statusKey, PROGRAM), "UP_TO_DATE no longer accepted");
    }

    /// @dev The same attack through the per-root (per-product) minimum: raising it must end the keys it now refuses.
    function test_isLive_FalseAtOnceWhenRootMinSvnRaised() public {
        address enclave = registerEnclave(KEY, 2); // svn 3
        vm.prank(governor);
        measurements.setRootMinSvn(2, ROOT_HASH, 4);
        assertFalse(enclaves.isLive(enclave, PROGRAM), "svn 3 below the root's new minimum");
    }

    function test_issueChallenge_StateBeforeAndAfterUse() public {
        (address enclave, bytes32 nonce, Claims memory claims) = _prepare(1);
        (uint64 expiresAt, bool used) = enclaves.nonceState(PROGRAM, nonce);
        assertEq(expiresAt, START + 1 hours, "challenge expiry");
        assertFalse(used, "unused");
        enclaves.register(PROGRAM, claims, enclave, HPKE, nonce, COMMITTEE_PATH, committeeProof(claims));
        (expiresAt, used) = enclaves.nonceState(PROGRAM, nonce);
        assertEq(expiresAt, START + 1 hours, "expiry kept");
        assertTrue(used, "used");
    }

    function test_register_RevertWhen_RouteNotFound() public {
        (address enclave, bytes32 nonce, Claims memory claims) = _prepare(1);
        bytes memory proof = committeeProof(claims);
        vm.expectRevert(abi.encodeWithSelector(IEnclaveRegistry.RouteNotFound.selector, uint8(9)));
        enclaves.register(PROGRAM, claims, enclave, HPKE, nonce, 9, proof);
    }

    function test_register_RevertWhen_RouteIsFrozen() public {
        (address enclave, bytes32 nonce, Claims memory claims) = _prepare(1);
        vm.expectEmit(true, true, true, true, address(enclaves));
        emit IEnclaveRegistry.RouteFrozen(COMMITTEE_PATH);
        vm.prank(governor);
        enclaves.freezeRoute(COMMITTEE_PATH);
        bytes memory proof = committeeProof(claims);
        vm.expectRevert(abi.encodeWithSelector(IEnclaveRegistry.RouteIsFrozen.selector, COMMITTEE_PATH));
        enclaves.register(PROGRAM, claims, enclave, HPKE, nonce, COMMITTEE_PATH, proof);
    }

    function test_register_RevertWhen_ProofIsForOtherClaims() public {
        (address enclave, bytes32 nonce, Claims memory claims) = _prepare(1);
        bytes memory proof = committeeProof(claims);
        claims.svn = 99; // the committee vouched for svn 3
        vm.expectRevert(); // the recovered signers are now arbitrary addresses: non-member or unordered
        enclaves.register(PROGRAM, claims, enclave, HPKE, nonce, COMMITTEE_PATH, proof);
    }

    function test_register_RevertWhen_BindingMismatch() public {
        (address enclave, bytes32 nonce, Claims memory claims) = _prepare(1);
        bytes memory proof = committeeProof(claims);
        bytes32 expected = binding(enclave, keccak256("other hpke"), nonce);
        vm.expectRevert(abi.encodeWithSelector(IEnclaveRegistry.BindingMismatch.selector, expected, claims.reportData));
        enclaves.register(PROGRAM, claims, enclave, keccak256("other hpke"), nonce, COMMITTEE_PATH, proof);
    }

    function test_register_RevertWhen_BindingForOtherEnclave() public {
        (address enclave, bytes32 nonce, Claims memory claims) = _prepare(1);
        bytes memory proof = committeeProof(claims);
        address thief = address(0xBAD);
        bytes32 expected = binding(thief, HPKE, nonce);
        vm.expectRevert(abi.encodeWithSelector(IEnclaveRegistry.BindingMismatch.selector, expected, claims.reportData));
        enclaves.register(PROGRAM, claims, thief, HPKE, nonce, COMMITTEE_PATH, proof);
        enclave;
    }

    function test_register_RevertWhen_NonceNotFresh() public {
        bytes32 nonce = keccak256("made up");
        address enclave = vm.addr(KEY);
        Claims memory claims = goodClaims(1, enclave, HPKE, nonce);
        bytes memory proof = committeeProof(claims);
        vm.expectRevert(abi.encodeWithSelector(IEnclaveRegistry.NonceNotFresh.selector, nonce));
        enclaves.register(PROGRAM, claims, enclave, HPKE, nonce, COMMITTEE_PATH, proof);
    }

    function test_register_RevertWhen_ChallengeExpired() public {
        (address enclave, bytes32 nonce, Claims memory claims) = _prepare(1);
        vm.warp(START + 1 hours);
        claims.timestamp = uint64(block.timestamp);
        bytes memory proof = committeeProof(claims);
        vm.expectRevert(abi.encodeWithSelector(IEnclaveRegistry.NonceNotFresh.selector, nonce));
        enclaves.register(PROGRAM, claims, enclave, HPKE, nonce, COMMITTEE_PATH, proof);
    }

    function test_register_RevertWhen_NonceAlreadyUsed() public {
        (address enclave, bytes32 nonce, Claims memory claims) = _prepare(1);
        bytes memory proof = committeeProof(claims);
        enclaves.register(PROGRAM, claims, enclave, HPKE, nonce, COMMITTEE_PATH, proof);
        vm.expectRevert(abi.encodeWithSelector(IEnclaveRegistry.NonceAlreadyUsed.selector, nonce));
        enclaves.register(PROGRAM, claims, enclave, HPKE, nonce, COMMITTEE_PATH, proof);
    }

    function test_register_RevertWhen_PolicyFails() public {
        (address enclave, bytes32 nonce, Claims memory claims) = _prepare(1);
        claims.debug = true;
        bytes memory proof = committeeProof(claims);
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.DebugNotAllowed.selector, uint8(1)));
        enclaves.register(PROGRAM, claims, enclave, HPKE, nonce, COMMITTEE_PATH, proof);
    }

    function test_register_RevertWhen_MeasurementNotAllowedForProgram() public {
        bytes32 other = keccak256("other");
        address enclave = vm.addr(KEY);
        bytes32 nonce = enclaves.issueChallenge(other);
        Claims memory claims = goodClaims(1, enclave, HPKE, nonce);
        bytes memory proof = committeeProof(claims);
        vm.expectRevert(
            abi.encodeWithSelector(IMeasurementRegistry.MeasurementNotAllowed.selector, other, uint8(1), measurementOf(1))
        );
        enclaves.register(other, claims, enclave, HPKE, nonce, COMMITTEE_PATH, proof);
    }

    function test_register_RevertWhen_InvalidEnclave() public {
        (, bytes32 nonce, Claims memory claims) = _prepare(1);
        vm.expectRevert(abi.encodeWithSelector(IEnclaveRegistry.InvalidEnclave.selector, address(0), PROGRAM));
        enclaves.register(PROGRAM, claims, address(0), HPKE, nonce, COMMITTEE_PATH, "");
        vm.expectRevert(abi.encodeWithSelector(IEnclaveRegistry.InvalidEnclave.selector, address(1), bytes32(0)));
        enclaves.register(bytes32(0), claims, address(1), HPKE, nonce, COMMITTEE_PATH, "");
    }

    function test_register_RevertWhen_EnclaveIsRemoved() public {
        address enclave = registerEnclave(KEY, 1);
        vm.prank(governor);
        enclaves.grantRole(REMOVER_ROLE, guardian);
        vm.expectEmit(true, true, true, true, address(enclaves));
        emit IEnclaveRegistry.EnclaveRemoved(enclave, guardian);
        vm.prank(guardian);
        enclaves.removeEnclave(enclave);
        assertFalse(enclaves.isLive(enclave, PROGRAM), "removed");
        (, bytes32 nonce, Claims memory claims) = _prepare(1);
        vm.expectRevert(abi.encodeWithSelector(IEnclaveRegistry.EnclaveIsRemoved.selector, enclave));
        enclaves.register(PROGRAM, claims, enclave, HPKE, nonce, COMMITTEE_PATH, "");
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(IEnclaveRegistry.EnclaveIsRemoved.selector, enclave));
        enclaves.removeEnclave(enclave);
    }

    function test_removeEnclave_RevertWhen_NotRemover() public {
        vm.prank(guardian);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, guardian, REMOVER_ROLE)
        );
        enclaves.removeEnclave(address(1));
    }

    function test_addRoute_RevertWhen_ExistsZeroOrNotGovernor() public {
        vm.startPrank(governor);
        vm.expectRevert(abi.encodeWithSelector(IEnclaveRegistry.RouteAlreadyExists.selector, COMMITTEE_PATH));
        enclaves.addRoute(COMMITTEE_PATH, committee);
        vm.expectRevert(abi.encodeWithSelector(IGoverned.ZeroAddress.selector, "verifier"));
        enclaves.addRoute(2, IAttestationVerifier(address(0)));
        vm.stopPrank();
        vm.prank(guardian);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, guardian, GOVERNOR_ROLE)
        );
        enclaves.addRoute(2, committee);
    }

    function test_freezeRoute_RevertWhen_NotFoundOrFrozen() public {
        vm.startPrank(governor);
        vm.expectRevert(abi.encodeWithSelector(IEnclaveRegistry.RouteNotFound.selector, uint8(7)));
        enclaves.freezeRoute(7);
        enclaves.freezeRoute(COMMITTEE_PATH);
        vm.expectRevert(abi.encodeWithSelector(IEnclaveRegistry.RouteIsFrozen.selector, COMMITTEE_PATH));
        enclaves.freezeRoute(COMMITTEE_PATH);
        (IAttestationVerifier v, bool frozen) = enclaves.route(COMMITTEE_PATH);
        assertEq(address(v), address(committee), "route kept");
        assertTrue(frozen, "frozen");
    }

    function test_setRegistrationTtl_AppliesAndRevertWhen_OutOfBounds() public {
        vm.startPrank(governor);
        vm.expectRevert(abi.encodeWithSelector(IEnclaveRegistry.InvalidRegistrationTtl.selector, uint64(59 minutes)));
        enclaves.setRegistrationTtl(59 minutes);
        vm.expectRevert(abi.encodeWithSelector(IEnclaveRegistry.InvalidRegistrationTtl.selector, uint64(31 days)));
        enclaves.setRegistrationTtl(31 days);
        enclaves.setRegistrationTtl(2 hours);
        vm.stopPrank();
        address enclave = registerEnclave(KEY, 1);
        assertEq(enclaves.enclaveInfo(enclave, PROGRAM).expiresAt, START + 2 hours, "ttl applied");
    }

    function test_constructor_RevertWhen_ZeroRegistry() public {
        vm.expectRevert(abi.encodeWithSelector(IGoverned.ZeroAddress.selector, "measurementRegistry"));
        new EnclaveRegistry(IMeasurementRegistry(address(0)), governor);
    }

    /// forge-config: default.fuzz.runs = 32
    function testFuzz_register_RevertWhen_ReportDataIsNotTheBinding(bytes32 reportData) public {
        (address enclave, bytes32 nonce, Claims memory claims) = _prepare(1);
        vm.assume(reportData != claims.reportData);
        claims.reportData = reportData;
        bytes memory proof = committeeProof(claims);
        vm.expectRevert(
            abi.encodeWithSelector(IEnclaveRegistry.BindingMismatch.selector, binding(enclave, HPKE, nonce), reportData)
        );
        enclaves.register(PROGRAM, claims, enclave, HPKE, nonce, COMMITTEE_PATH, proof);
    }
}
