// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {TeezkBase} from "../utils/TeezkBase.sol";
import {Claims} from "../../../contracts/interfaces/IClaims.sol";
import {IGoverned} from "../../../contracts/interfaces/IGoverned.sol";
import {IAttestationVerifier} from "../../../contracts/interfaces/IAttestationVerifier.sol";
import {ISP1Verifier} from "../../../contracts/interfaces/ISP1Verifier.sol";
import {Sp1AttestationVerifier} from "../../../contracts/attestation/Sp1AttestationVerifier.sol";
import {SP1VerifierTestDouble} from "../doubles/SP1VerifierTestDouble.sol";

contract Sp1AttestationVerifierTest is TeezkBase {
    bytes32 internal constant VKEY = keccak256("teezk sp1 program");
    uint8 internal constant SP1_PATH = 2;
    SP1VerifierTestDouble internal sp1;
    Sp1AttestationVerifier internal path;

    function setUp() public override {
        super.setUp();
        sp1 = new SP1VerifierTestDouble();
        path = new Sp1AttestationVerifier(sp1, VKEY);
        vm.prank(governor);
        enclaves.addRoute(SP1_PATH, path);
    }

    function _proof(bytes memory publicValues) internal pure returns (bytes memory) {
        return abi.encodePacked(keccak256(abi.encode(VKEY, publicValues)));
    }

    function test_register_ThroughSp1Route() public {
        address enclave = vm.addr(0xE5);
        bytes32 nonce = enclaves.issueChallenge(PROGRAM);
        Claims memory claims = goodClaims(3, enclave, bytes32(0), nonce);
        enclaves.register(PROGRAM, claims, enclave, bytes32(0), nonce, SP1_PATH, _proof(abi.encode(claims)));
        assertTrue(enclaves.isLive(enclave, PROGRAM), "live through SP1");
    }

    function test_verifyAttestation_RevertWhen_ProofForOtherPublicValues() public {
        Claims memory claims = goodClaims(3, address(1), bytes32(0), bytes32(0));
        bytes memory proof = _proof(abi.encode(claims));
        claims.debug = true;
        vm.expectRevert(SP1VerifierTestDouble.InvalidProof.selector);
        path.verifyAttestation(abi.encode(claims), proof);
    }

    /// @dev The SP1 program commits one Claims record in `attest` mode and no composite journal: a proof whose public
    /// values happen to read as abi.encode(cpu, gpus) (another mode's journal) must not register a composite.
    function test_registerComposite_RevertWhen_Sp1Route() public {
        address enclave = vm.addr(0xE5);
        bytes32 gpuProgram = keccak256("sp1 gpu program");
        vm.startPrank(governor);
        measurements.addMeasurement(gpuProgram, 3, measurementOf(3), 0, 0);
        measurements.addMeasurement(gpuProgram, 4, measurementOf(4), 0, 0);
        vm.stopPrank();
        bytes32 nonce = enclaves.issueChallenge(gpuProgram);
        Claims memory cpu = goodClaims(3, enclave, bytes32(0), nonce);
        Claims[] memory gpus = new Claims[](1);
        gpus[0] = goodClaims(4, enclave, bytes32(0), nonce);
        bytes memory encoded = abi.encode(cpu, gpus);
        vm.expectRevert(abi.encodeWithSelector(IAttestationVerifier.CompositeNotSupported.selector, encoded.length));
        enclaves.registerComposite(gpuProgram, cpu, gpus, enclave, bytes32(0), nonce, SP1_PATH, _proof(encoded));
    }

    function test_constructor_RevertWhen_ZeroVerifier() public {
        vm.expectRevert(abi.encodeWithSelector(IGoverned.ZeroAddress.selector, "sp1Verifier"));
        new Sp1AttestationVerifier(ISP1Verifier(address(0)), VKEY);
    }
}
