// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {TeezkBase} from "../utils/TeezkBase.sol";
import {IPrivateProofVerifier} from "../../../contracts/interfaces/IPrivateProofVerifier.sol";
import {IReceiptVerifier} from "../../../contracts/interfaces/IReceiptVerifier.sol";
import {PrivateProofVerifier} from "../../../contracts/receipts/PrivateProofVerifier.sol";
import {ReceiptVerifier} from "../../../contracts/receipts/ReceiptVerifier.sol";
import {Receipt} from "../../../contracts/receipts/Receipt.sol";
import {Groth16VerifierTestDouble} from "../doubles/Groth16VerifierTestDouble.sol";

contract PrivateProofVerifierTest is TeezkBase {
    uint256 internal constant KEY = 0xE1;
    ReceiptVerifier internal receipts;
    PrivateProofVerifier internal ppv;
    IPrivateProofVerifier.Groth16Proof internal proof;
    uint256[] internal signals;

    function setUp() public override {
        super.setUp();
        receipts = new ReceiptVerifier(enclaves);
        ppv = new PrivateProofVerifier(receipts, address(new Groth16VerifierTestDouble()), 2, PROGRAM);
        registerEnclave(KEY, 5);
        signals = new uint256[](2);
        (signals[0], signals[1]) = (5, 7);
        proof.a = [uint256(12), 1];
        proof.b = [[uint256(2), 3], [uint256(4), 5]];
        proof.c = [uint256(6), 7];
    }

    function _receipt(bytes32 proofDigest) internal view returns (Receipt memory r, bytes memory sig) {
        r = Receipt(PROGRAM, keccak256("private input"), keccak256("out"), proofDigest, uint64(START), keccak256("n"));
        sig = signDigest(KEY, receipts.receiptDigest(r));
    }

    function _digest() internal view returns (bytes32) {
        return keccak256(abi.encode(proof.a, proof.b, proof.c, signals));
    }

    function test_verifyPrivateProof_AcceptsProofAndReceipt() public {
        (Receipt memory r, bytes memory sig) = _receipt(_digest());
        assertEq(ppv.proofDigestOf(proof, signals), _digest(), "proofDigest definition");
        assertEq(ppv.verifyPrivateProof(proof, signals, r, sig), vm.addr(KEY), "signer");
        ppv.consumePrivateProof(proof, signals, r, sig);
        bytes32 rd = receipts.receiptDigest(r);
        vm.expectRevert(
            abi.encodeWithSelector(IPrivateProofVerifier.PrivateProofAlreadyConsumed.selector, address(this), rd)
        );
        ppv.consumePrivateProof(proof, signals, r, sig);
    }

    function test_verifyPrivateProof_RevertWhen_InvalidGroth16Proof() public {
        proof.a[0] = 13;
        (Receipt memory r, bytes memory sig) = _receipt(_digest());
        vm.expectRevert(IPrivateProofVerifier.InvalidGroth16Proof.selector);
        ppv.verifyPrivateProof(proof, signals, r, sig);
    }

    function test_verifyPrivateProof_RevertWhen_DigestMismatch() public {
        (Receipt memory r, bytes memory sig) = _receipt(keccak256("other proof"));
        vm.expectRevert(
            abi.encodeWithSelector(IPrivateProofVerifier.ProofDigestMismatch.selector, _digest(), keccak256("other proof"))
        );
        ppv.verifyPrivateProof(proof, signals, r, sig);
    }

    function test_verifyPrivateProof_RevertWhen_ProgramMismatch() public {
        (Receipt memory r, bytes memory sig) = _receipt(_digest());
        r.programId = keccak256("other");
        vm.expectRevert(abi.encodeWithSelector(IPrivateProofVerifier.ProgramMismatch.selector, PROGRAM, r.programId));
        ppv.verifyPrivateProof(proof, signals, r, sig);
    }

    function test_verifyPrivateProof_RevertWhen_SignalCount() public {
        (Receipt memory r, bytes memory sig) = _receipt(_digest());
        signals.push(1);
        vm.expectRevert(abi.encodeWithSelector(IPrivateProofVerifier.PublicSignalCountMismatch.selector, 3, 2));
        ppv.verifyPrivateProof(proof, signals, r, sig);
    }

    function test_verifyPrivateProof_RevertWhen_SignerNotLive() public {
        Receipt memory r = Receipt(PROGRAM, bytes32(0), bytes32(0), _digest(), uint64(START), bytes32(0));
        bytes memory sig = signDigest(0xBAD, receipts.receiptDigest(r));
        vm.expectRevert(abi.encodeWithSelector(IReceiptVerifier.EnclaveNotLive.selector, vm.addr(0xBAD), PROGRAM));
        ppv.verifyPrivateProof(proof, signals, r, sig);
    }

    function test_constructor_RevertWhen_VerifierHasNoCode() public {
        vm.expectRevert(abi.encodeWithSelector(IPrivateProofVerifier.InvalidCircuitVerifier.selector, address(0x1234), 2));
        new PrivateProofVerifier(receipts, address(0x1234), 2, PROGRAM);
    }

    function test_verifyPrivateProof_RevertWhen_WrongSignalCountForVerifier() public {
        // Deployed with K = 3 against a K = 2 verifier: the selector does not exist, so the call fails closed.
        PrivateProofVerifier wrong = new PrivateProofVerifier(receipts, ppv.groth16Verifier(), 3, PROGRAM);
        signals.push(0);
        (Receipt memory r, bytes memory sig) = _receipt(_digest());
        vm.expectRevert(IPrivateProofVerifier.InvalidGroth16Proof.selector);
        wrong.verifyPrivateProof(proof, signals, r, sig);
    }
}
