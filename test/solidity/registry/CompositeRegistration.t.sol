// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {TeezkBase} from "../utils/TeezkBase.sol";
import {Claims} from "../../../contracts/interfaces/IClaims.sol";
import {IEnclaveRegistry} from "../../../contracts/interfaces/IEnclaveRegistry.sol";
import {IMeasurementRegistry} from "../../../contracts/interfaces/IMeasurementRegistry.sol";
import {ICommitteeAttestationVerifier} from "../../../contracts/interfaces/ICommitteeAttestationVerifier.sol";

/// @notice Issue 12 item 6: a program that requires a GPU admits only composites (CPU claims carrying the binding,
/// plus NVIDIA GPU claims whose nonce is that binding and whose measurements are allowlisted under type 4 for the
/// program), proven as a whole by the route, and keys stay live only while every part stays allowed.
contract CompositeRegistrationTest is TeezkBase {
    bytes32 internal constant GPU_PROGRAM = keccak256("gpu program");
    bytes32 internal constant HPKE = keccak256("hpke");
    uint256 internal constant KEY = 0xE1;

    function setUp() public override {
        super.setUp();
        vm.startPrank(governor);
        measurements.setProgramRequiresGpu(GPU_PROGRAM, true);
        measurements.addMeasurement(GPU_PROGRAM, 1, measurementOf(1), 0, 0);
        measurements.addMeasurement(GPU_PROGRAM, 4, gpuMeasurement(0), 0, 0);
        measurements.addMeasurement(GPU_PROGRAM, 4, gpuMeasurement(1), 0, 0);
        vm.stopPrank();
    }

    function gpuMeasurement(uint256 i) internal pure returns (bytes32) {
        return keccak256(abi.encode("gpu measurement", i));
    }

    /// @dev CPU claims for KEY under a fresh challenge, and `count` GPUs answering its binding.
    function _composite(uint256 count) internal returns (bytes32 nonce, Claims memory cpu, Claims[] memory gpus) {
        nonce = enclaves.issueChallenge(GPU_PROGRAM);
        cpu = goodClaims(1, vm.addr(KEY), HPKE, nonce);
        gpus = new Claims[](count);
        for (uint256 i; i < count; ++i) {
            gpus[i] = goodClaims(4, vm.addr(KEY), HPKE, nonce);
            gpus[i].measurement = gpuMeasurement(i % 2);
            gpus[i].platformId = keccak256(abi.encode("gpu", i));
        }
    }

    /// @dev A 2-of-3 committee proof over the whole composite, abi.encode(cpu, gpus).
    function _proof(Claims memory cpu, Claims[] memory gpus) internal view returns (bytes memory) {
        bytes32 digest = committee.verdictDigest(keccak256(abi.encode(cpu, gpus)));
        (uint256 k0, uint256 k1) = (nodeKeys[0], nodeKeys[1]);
        if (vm.addr(k0) > vm.addr(k1)) (k0, k1) = (k1, k0);
        bytes[] memory sigs = new bytes[](2);
        (sigs[0], sigs[1]) = (signDigest(k0, digest), signDigest(k1, digest));
        return abi.encode(sigs);
    }

    function _register(bytes32 nonce, Claims memory cpu, Claims[] memory gpus) internal returns (uint64) {
        return enclaves.registerComposite(
            GPU_PROGRAM, cpu, gpus, vm.addr(KEY), HPKE, nonce, COMMITTEE_PATH, _proof(cpu, gpus)
        );
    }

    /// @dev The attack: a program that needs a GPU gets a CPU-only enclave (before the fix it could not even say so).
    function test_register_RevertWhen_GpuProgramGetsCpuOnlyEnclave() public {
        bytes32 nonce = enclaves.issueChallenge(GPU_PROGRAM);
        Claims memory claims = goodClaims(1, vm.addr(KEY), HPKE, nonce);
        bytes memory proof = committeeProof(claims);
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.GpuEvidenceRequired.selector, GPU_PROGRAM));
        enclaves.register(GPU_PROGRAM, claims, vm.addr(KEY), HPKE, nonce, COMMITTEE_PATH, proof);
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.GpuEvidenceRequired.selector, GPU_PROGRAM));
        measurements.checkClaims(GPU_PROGRAM, claims);
    }

    function test_registerComposite_StoresLiveEnclaveWithItsGpus() public {
        (bytes32 nonce, Claims memory cpu, Claims[] memory gpus) = _composite(2);
        bytes32[] memory gpuMeasurements = new bytes32[](2);
        (gpuMeasurements[0], gpuMeasurements[1]) = (gpuMeasurement(0), gpuMeasurement(1));
        vm.expectEmit(true, true, true, true, address(enclaves));
        emit IEnclaveRegistry.GpuClaimsRegistered(vm.addr(KEY), GPU_PROGRAM, gpuMeasurements);
        assertEq(_register(nonce, cpu, gpus), START + 24 hours, "expiry");
        assertEq(enclaves.liveTeeType(vm.addr(KEY), GPU_PROGRAM), 1, "live as the CPU's TEE type");
        uint32[] memory ids = enclaves.gpuEntries(vm.addr(KEY), GPU_PROGRAM);
        assertEq(ids.length, 2, "two GPU entries");
        assertEq(ids[0], measurements.measurementEntry(GPU_PROGRAM, 4, gpuMeasurement(0)).id, "first GPU's entry");
        assertEq(ids[1], measurements.measurementEntry(GPU_PROGRAM, 4, gpuMeasurement(1)).id, "second GPU's entry");
    }

    /// @dev Composites are not only for programs that require a GPU: any program may attach allowlisted GPUs.
    function test_registerComposite_ForAProgramWithoutTheRequirement() public {
        vm.prank(governor);
        measurements.addMeasurement(PROGRAM, 4, gpuMeasurement(0), 0, 0);
        bytes32 nonce = enclaves.issueChallenge(PROGRAM);
        Claims memory cpu = goodClaims(2, vm.addr(KEY), HPKE, nonce);
        Claims[] memory gpus = new Claims[](1);
        gpus[0] = goodClaims(4, vm.addr(KEY), HPKE, nonce);
        gpus[0].measurement = gpuMeasurement(0);
        enclaves.registerComposite(PROGRAM, cpu, gpus, vm.addr(KEY), HPKE, nonce, COMMITTEE_PATH, _proof(cpu, gpus));
        assertTrue(enclaves.isLive(vm.addr(KEY), PROGRAM), "live");
    }

    /// @dev The GPU must have answered this enclave's challenge: its nonce is the CPU claims' binding.
    function test_registerComposite_RevertWhen_GpuAnsweredAnotherBinding() public {
        (bytes32 nonce, Claims memory cpu, Claims[] memory gpus) = _composite(2);
        gpus[1].reportData = keccak256("a GPU attested for someone else");
        bytes memory proof = _proof(cpu, gpus);
        vm.expectRevert(
            abi.encodeWithSelector(IMeasurementRegistry.GpuBindingMismatch.selector, 1, cpu.reportData, gpus[1].reportData)
        );
        enclaves.registerComposite(GPU_PROGRAM, cpu, gpus, vm.addr(KEY), HPKE, nonce, COMMITTEE_PATH, proof);
    }

    function test_registerComposite_RevertWhen_GpuMeasurementNotAllowlisted() public {
        (bytes32 nonce, Claims memory cpu, Claims[] memory gpus) = _composite(1);
        gpus[0].measurement = keccak256("unknown GPU firmware");
        bytes memory proof = _proof(cpu, gpus);
        vm.expectRevert(
            abi.encodeWithSelector(
                IMeasurementRegistry.MeasurementNotAllowed.selector, GPU_PROGRAM, uint8(4), gpus[0].measurement
            )
        );
        enclaves.registerComposite(GPU_PROGRAM, cpu, gpus, vm.addr(KEY), HPKE, nonce, COMMITTEE_PATH, proof);
    }

    function test_registerComposite_RevertWhen_GpuPolicyFails() public {
        (bytes32 nonce, Claims memory cpu, Claims[] memory gpus) = _composite(1);
        gpus[0].debug = true;
        bytes memory proof = _proof(cpu, gpus);
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.DebugNotAllowed.selector, uint8(4)));
        enclaves.registerComposite(GPU_PROGRAM, cpu, gpus, vm.addr(KEY), HPKE, nonce, COMMITTEE_PATH, proof);
    }

    function test_registerComposite_RevertWhen_PartsHaveTheWrongTypes() public {
        (bytes32 nonce, Claims memory cpu, Claims[] memory gpus) = _composite(2);
        gpus[1].teeType = 2;
        bytes memory proof = _proof(cpu, gpus);
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.NotGpuClaims.selector, 1, uint8(2)));
        enclaves.registerComposite(GPU_PROGRAM, cpu, gpus, vm.addr(KEY), HPKE, nonce, COMMITTEE_PATH, proof);

        (nonce, cpu, gpus) = _composite(1);
        cpu.teeType = 4; // a GPU in the CPU's place
        proof = _proof(cpu, gpus);
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.GpuClaimsNotStandalone.selector, uint8(4)));
        enclaves.registerComposite(GPU_PROGRAM, cpu, gpus, vm.addr(KEY), HPKE, nonce, COMMITTEE_PATH, proof);
    }

    function test_registerComposite_RevertWhen_NoGpusOrTooMany() public {
        (bytes32 nonce, Claims memory cpu, Claims[] memory gpus) = _composite(0);
        bytes memory proof = _proof(cpu, gpus);
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.GpuEvidenceRequired.selector, GPU_PROGRAM));
        enclaves.registerComposite(GPU_PROGRAM, cpu, gpus, vm.addr(KEY), HPKE, nonce, COMMITTEE_PATH, proof);
        (nonce, cpu, gpus) = _composite(9);
        proof = _proof(cpu, gpus);
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.TooManyGpus.selector, 9, 8));
        enclaves.registerComposite(GPU_PROGRAM, cpu, gpus, vm.addr(KEY), HPKE, nonce, COMMITTEE_PATH, proof);
    }

    /// @dev The route vouches for the whole composite: verdicts over the CPU claims alone do not cover the GPUs.
    function test_registerComposite_RevertWhen_ProofCoversOnlyTheCpu() public {
        (bytes32 nonce, Claims memory cpu, Claims[] memory gpus) = _composite(1);
        bytes memory cpuOnly = committeeProof(cpu);
        vm.expectRevert(); // the verdicts recover to other addresses: not members, or not ascending
        enclaves.registerComposite(GPU_PROGRAM, cpu, gpus, vm.addr(KEY), HPKE, nonce, COMMITTEE_PATH, cpuOnly);
        assertFalse(enclaves.isLive(vm.addr(KEY), GPU_PROGRAM), "nothing registered");
        bytes[] memory none = new bytes[](0);
        vm.expectRevert(abi.encodeWithSelector(ICommitteeAttestationVerifier.NotEnoughVerdicts.selector, 0, 2));
        enclaves.registerComposite(GPU_PROGRAM, cpu, gpus, vm.addr(KEY), HPKE, nonce, COMMITTEE_PATH, abi.encode(none));
    }

    /// @dev A GPU measurement revoked, or the GPU root disallowed, ends the composite key at once.
    function test_isLive_FalseAtOnceWhenAGpuPartIsNoLongerAllowed() public {
        (bytes32 nonce, Claims memory cpu, Claims[] memory gpus) = _composite(2);
        _register(nonce, cpu, gpus);
        vm.prank(guardian);
        measurements.revokeMeasurement(4, gpuMeasurement(1));
        assertFalse(enclaves.isLive(vm.addr(KEY), GPU_PROGRAM), "second GPU revoked");
        (uint64 liveUntil,) = enclaves.liveness(vm.addr(KEY), GPU_PROGRAM);
        assertEq(liveUntil, 0, "full check agrees");
        vm.expectRevert(abi.encodeWithSelector(IEnclaveRegistry.EnclaveNotLive.selector, vm.addr(KEY), GPU_PROGRAM));
        enclaves.refreshLiveness(vm.addr(KEY), GPU_PROGRAM);
    }

    function test_isLive_FalseAtOnceWhenTheGpuRootIsDisallowed() public {
        (bytes32 nonce, Claims memory cpu, Claims[] memory gpus) = _composite(1);
        _register(nonce, cpu, gpus);
        vm.warp(START + 1);
        vm.prank(governor);
        measurements.setRootHashAllowed(4, ROOT_HASH, false);
        assertFalse(enclaves.isLive(vm.addr(KEY), GPU_PROGRAM), "GPU evidence no longer passes");
    }

    /// @dev The liveness window of a composite is the earliest of its parts': a GPU rotated away with a grace period
    /// ends the key when the grace period ends.
    function test_liveness_EarliestWindowOfTheParts() public {
        (bytes32 nonce, Claims memory cpu, Claims[] memory gpus) = _composite(1);
        _register(nonce, cpu, gpus);
        vm.prank(governor);
        measurements.rotateMeasurement(GPU_PROGRAM, 4, gpuMeasurement(0), keccak256("gpu fw v2"), 2 hours);
        (uint64 liveUntil,) = enclaves.liveness(vm.addr(KEY), GPU_PROGRAM);
        assertEq(liveUntil, START + 2 hours, "the GPU's grace period");
        vm.warp(START + 2 hours);
        assertFalse(enclaves.isLive(vm.addr(KEY), GPU_PROGRAM), "ended with the GPU's window");
    }

    /// @dev Re-attesting with other GPUs advances the epoch (caches elsewhere may outlive the new windows); with the
    /// same ones it does not.
    function test_registerComposite_OtherGpus_AdvanceLivenessEpoch() public {
        (bytes32 nonce, Claims memory cpu, Claims[] memory gpus) = _composite(1);
        _register(nonce, cpu, gpus);
        uint64 epoch = measurements.livenessEpoch();
        (nonce, cpu, gpus) = _composite(1);
        _register(nonce, cpu, gpus);
        assertEq(measurements.livenessEpoch(), epoch, "same GPUs");
        (nonce, cpu, gpus) = _composite(2);
        _register(nonce, cpu, gpus);
        assertEq(measurements.livenessEpoch(), epoch + 1, "another GPU");
        (uint64 liveUntil, uint64 cached) = enclaves.liveness(vm.addr(KEY), GPU_PROGRAM);
        assertEq(liveUntil, START + 24 hours, "live");
        assertEq(cached, epoch + 1, "under the advanced epoch");
    }

    function test_setProgramRequiresGpu_RevertWhen_ProgramHasMeasurementsOrNotGovernor() public {
        vm.prank(governor);
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.ProgramHasMeasurements.selector, PROGRAM));
        measurements.setProgramRequiresGpu(PROGRAM, true);
        assertFalse(measurements.programRequiresGpu(PROGRAM), "unchanged");
        assertTrue(measurements.programRequiresGpu(GPU_PROGRAM), "set before its first measurement");
        assertTrue(measurements.measurementEntry(GPU_PROGRAM, 1, measurementOf(1)).requiresGpu, "CPU entry copied it");
        assertFalse(measurements.measurementEntry(GPU_PROGRAM, 4, gpuMeasurement(0)).requiresGpu, "GPU entry did not");
        vm.prank(guardian);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, guardian, GOVERNOR_ROLE)
        );
        measurements.setProgramRequiresGpu(keccak256("new program"), true);
        vm.expectEmit(true, true, true, true, address(measurements));
        emit IMeasurementRegistry.ProgramGpuRequirementSet(keccak256("new program"), true);
        vm.prank(governor);
        measurements.setProgramRequiresGpu(keccak256("new program"), true);
    }
}
