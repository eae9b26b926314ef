// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Test} from "./Test.sol";
import {Claims} from "../../../contracts/interfaces/IClaims.sol";
import {IMeasurementRegistry} from "../../../contracts/interfaces/IMeasurementRegistry.sol";
import {MeasurementRegistry} from "../../../contracts/governance/MeasurementRegistry.sol";
import {EnclaveRegistry} from "../../../contracts/registry/EnclaveRegistry.sol";
import {CommitteeAttestationVerifier} from "../../../contracts/attestation/CommitteeAttestationVerifier.sol";

/// @notice Shared deployment for the contract tests: a measurement registry with a policy for every TEE type,
/// an enclave registry with a real 2-of-3 committee route (id 1), and helpers that register enclaves through it.
abstract contract TeezkBase is Test {
    bytes32 internal constant PROGRAM = keccak256("teezk test program");
    bytes32 internal constant ROOT_HASH = keccak256("vendor root");
    uint8 internal constant COMMITTEE_PATH = 1;
    uint256 internal constant START = 1_750_000_000;
    bytes32 internal constant GOVERNOR_ROLE = keccak256("GOVERNOR_ROLE");
    bytes32 internal constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");
    bytes32 internal constant REMOVER_ROLE = keccak256("ENCLAVE_REMOVER_ROLE");
    bytes32 internal constant LIVENESS_EPOCH_ROLE = keccak256("LIVENESS_EPOCH_ROLE");
    uint256 internal constant ACCEPTED = (1 << 0) | (1 << 255); // UP_TO_DATE | NOT_APPLICABLE

    address internal governor = address(0x6000);
    address internal guardian = address(0x6001);
    uint256[3] internal nodeKeys = [uint256(0xA11CE), uint256(0xB0B), uint256(0xCA201)];

    MeasurementRegistry internal measurements;
    EnclaveRegistry internal enclaves;
    CommitteeAttestationVerifier internal committee;

    function setUp() public virtual {
        vm.warp(START);
        vm.roll(1000);
        measurements = new MeasurementRegistry(governor, guardian);
        enclaves = new EnclaveRegistry(measurements, governor);
        address[] memory nodes = new address[](3);
        for (uint256 i = 0; i < 3; ++i) nodes[i] = vm.addr(nodeKeys[i]);
        committee = new CommitteeAttestationVerifier(governor, nodes, 2);
        vm.startPrank(governor);
        enclaves.addRoute(COMMITTEE_PATH, committee);
        measurements.grantRole(LIVENESS_EPOCH_ROLE, address(enclaves));
        for (uint8 t = 1; t <= 5; ++t) {
            measurements.setTeePolicy(
                t, IMeasurementRegistry.TeePolicy({acceptedTcbStatuses: ACCEPTED, minSvn: 2, maxEvidenceAge: 1 days})
            );
            measurements.setRootHashAllowed(t, ROOT_HASH, true);
            measurements.addMeasurement(PROGRAM, t, measurementOf(t), 0, 0);
        }
        vm.stopPrank();
    }

    function measurementOf(uint8 teeType) internal pure returns (bytes32) {
        return keccak256(abi.encode("measurement", teeType));
    }

    function binding(address enclave, bytes32 hpkeKeyHash, bytes32 nonce) internal pure returns (bytes32) {
        return keccak256(abi.encode("teezk/v1", enclave, hpkeKeyHash, nonce));
    }

    function goodClaims(uint8 teeType, address enclave, bytes32 hpkeKeyHash, bytes32 nonce)
        internal
        view
        returns (Claims memory)
    {
        return Claims({
            teeType: teeType,
            measurement: measurementOf(teeType),
            reportData: binding(enclave, hpkeKeyHash, nonce),
            platformId: keccak256("platform"),
            rootHash: ROOT_HASH,
            timestamp: uint64(block.timestamp - 60),
            tcbStatus: 0,
            svn: 3,
            debug: false
        });
    }

    /// @dev A 2-of-3 committee proof over `claims`: signatures ordered by signer address, as the verifier demands.
    function committeeProof(Claims memory claims) internal view returns (bytes memory) {
        bytes32 digest = committee.verdictDigest(keccak256(abi.encode(claims)));
        (uint256 k0, uint256 k1) = (nodeKeys[0], nodeKeys[1]);
        if (vm.addr(k0) > vm.addr(k1)) (k0, k1) = (k1, k0);
        bytes[] memory sigs = new bytes[](2);
        sigs[0] = signDigest(k0, digest);
        sigs[1] = signDigest(k1, digest);
        return abi.encode(sigs);
    }

    /// @dev Registers the enclave of `key` for PROGRAM with a fresh challenge through the committee route.
    function registerEnclave(uint256 key, uint8 teeType) internal returns (address enclave) {
        return registerEnclaveFor(key, PROGRAM, teeType, measurementOf(teeType));
    }

    /// @dev Registers the enclave of `key` for `program`, attesting `measurement` (which must be allowed for it).
    function registerEnclaveFor(uint256 key, bytes32 program, uint8 teeType, bytes32 measurement)
        internal
        returns (address enclave)
    {
        enclave = vm.addr(key);
        bytes32 nonce = enclaves.issueChallenge(program);
        Claims memory claims = goodClaims(teeType, enclave, keccak256("hpke"), nonce);
        claims.measurement = measurement;
        enclaves.register(program, claims, enclave, keccak256("hpke"), nonce, COMMITTEE_PATH, committeeProof(claims));
    }
}
