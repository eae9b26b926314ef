// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {TeezkBase} from "../utils/TeezkBase.sol";
import {IReceiptVerifier} from "../../../contracts/interfaces/IReceiptVerifier.sol";
import {IEnclaveRegistry} from "../../../contracts/interfaces/IEnclaveRegistry.sol";
import {IGoverned} from "../../../contracts/interfaces/IGoverned.sol";
import {ReceiptVerifier} from "../../../contracts/receipts/ReceiptVerifier.sol";
import {Receipt} from "../../../contracts/receipts/Receipt.sol";

contract ReceiptVerifierTest is TeezkBase {
    uint256 internal constant KEY = 0xE1;
    ReceiptVerifier internal receipts;
    address internal enclave;

    function setUp() public override {
        super.setUp();
        receipts = new ReceiptVerifier(enclaves);
        enclave = registerEnclave(KEY, 1);
    }

    function _receipt() internal view returns (Receipt memory) {
        return Receipt({
            programId: PROGRAM,
            inputDigest: keccak256("in"),
            outputDigest: keccak256("out"),
            proofDigest: keccak256("proof"),
            issuedAt: uint64(block.timestamp),
            nonce: keccak256("n")
        });
    }

    function _sign(uint256 key, Receipt memory r) internal view returns (bytes memory) {
        return signDigest(key, receipts.receiptDigest(r));
    }

    function test_receiptDigest_MatchesEip712TypeString() public view {
        Receipt memory r = _receipt();
        bytes32 typehash = keccak256(
            "Receipt(bytes32 programId,bytes32 inputDigest,bytes32 outputDigest,bytes32 proofDigest,uint64 issuedAt,bytes32 nonce)"
        );
        bytes32 domain = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("teezk ReceiptVerifier"),
                keccak256("1"),
                block.chainid,
                address(receipts)
            )
        );
        bytes32 structHash = keccak256(
            abi.encode(typehash, r.programId, r.inputDigest, r.outputDigest, r.proofDigest, r.issuedAt, r.nonce)
        );
        assertEq(receipts.receiptDigest(r), keccak256(abi.encodePacked("\x19\x01", domain, structHash)), "digest");
    }

    function test_verifyReceipt_ReturnsLiveSigner() public view {
        Receipt memory r = _receipt();
        assertEq(receipts.verifyReceipt(r, _sign(KEY, r)), enclave, "signer");
    }

    function test_consumeReceipt_OncePerConsumer() public {
        Receipt memory r = _receipt();
        bytes memory sig = _sign(KEY, r);
        bytes32 digest = receipts.receiptDigest(r);
        vm.expectEmit(true, true, true, true, address(receipts));
        emit IReceiptVerifier.ReceiptConsumed(PROGRAM, enclave, address(this), digest);
        receipts.consumeReceipt(r, sig);
        vm.expectRevert(abi.encodeWithSelector(IReceiptVerifier.ReceiptAlreadyConsumed.selector, address(this), digest));
        receipts.consumeReceipt(r, sig);
        vm.prank(address(0xC0));
        receipts.consumeReceipt(r, sig); // another consumer has its own replay namespace
        assertTrue(receipts.isConsumed(address(this), digest), "consumed");
    }

    function test_verifyReceipt_RevertWhen_Unregistered() public {
        Receipt memory r = _receipt();
        bytes memory sig = _sign(0xBAD, r);
        vm.expectRevert(abi.encodeWithSelector(IReceiptVerifier.EnclaveNotLive.selector, vm.addr(0xBAD), PROGRAM));
        receipts.verifyReceipt(r, sig);
    }

    function test_verifyReceipt_RevertWhen_Expired() public {
        vm.warp(START + 24 hours);
        Receipt memory r = _receipt();
        bytes memory sig = _sign(KEY, r);
        vm.expectRevert(abi.encodeWithSelector(IReceiptVerifier.EnclaveNotLive.selector, enclave, PROGRAM));
        receipts.verifyReceipt(r, sig);
    }

    function test_verifyReceipt_RevertWhen_MeasurementRevoked() public {
        Receipt memory r = _receipt();
        bytes memory sig = _sign(KEY, r);
        vm.prank(guardian);
        measurements.revokeMeasurement(1, measurementOf(1));
        vm.expectRevert(abi.encodeWithSelector(IReceiptVerifier.EnclaveNotLive.selector, enclave, PROGRAM));
        receipts.verifyReceipt(r, sig);
    }

    function test_verifyReceipt_RevertWhen_OtherProgram() public {
        Receipt memory r = _receipt();
        r.programId = keccak256("other");
        bytes memory sig = _sign(KEY, r);
        vm.expectRevert(abi.encodeWithSelector(IReceiptVerifier.EnclaveNotLive.selector, enclave, r.programId));
        receipts.verifyReceipt(r, sig);
    }

    function test_verifyReceipt_RevertWhen_FromFuture() public {
        Receipt memory r = _receipt();
        r.issuedAt = uint64(START + 5 minutes + 1);
        vm.expectRevert(abi.encodeWithSelector(IReceiptVerifier.ReceiptFromFuture.selector, r.issuedAt, START));
        receipts.verifyReceipt(r, "");
    }

    function test_verifyReceipt_RevertWhen_InvalidSignature() public {
        vm.expectRevert(IReceiptVerifier.InvalidReceiptSignature.selector);
        receipts.verifyReceipt(_receipt(), hex"00");
    }

    function test_constructor_RevertWhen_ZeroRegistry() public {
        vm.expectRevert(abi.encodeWithSelector(IGoverned.ZeroAddress.selector, "enclaveRegistry"));
        new ReceiptVerifier(IEnclaveRegistry(address(0)));
    }

    /// forge-config: default.fuzz.runs = 64
    function testFuzz_verifyReceipt_RevertWhen_SignerNotRegistered(uint256 key, bytes32 inputDigest) public {
        key = bound(key, 1, 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140);
        vm.assume(key != KEY);
        Receipt memory r = _receipt();
        r.inputDigest = inputDigest;
        bytes memory sig = _sign(key, r);
        vm.expectRevert(abi.encodeWithSelector(IReceiptVerifier.EnclaveNotLive.selector, vm.addr(key), PROGRAM));
        receipts.verifyReceipt(r, sig);
    }

    /// forge-config: default.fuzz.runs = 64
    function testFuzz_verifyReceipt_RevertWhen_FieldTampered(bytes32 tamper) public {
        vm.assume(tamper != bytes32(0));
        Receipt memory r = _receipt();
        bytes memory sig = _sign(KEY, r);
        r.outputDigest = r.outputDigest ^ tamper;
        vm.expectRevert(); // recovers some other address, which is not live
        receipts.verifyReceipt(r, sig);
    }
}
