// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";
import {TeezkBase} from "../utils/TeezkBase.sol";
import {IBatchReceipts} from "../../../contracts/interfaces/IBatchReceipts.sol";
import {BatchReceipts} from "../../../contracts/receipts/BatchReceipts.sol";
import {Batch, Receipt} from "../../../contracts/receipts/Receipt.sol";

contract BatchReceiptsTest is TeezkBase {
    uint256 internal constant KEY = 0xE1;
    BatchReceipts internal batches;
    address internal enclave;
    Receipt[4] internal rs;
    bytes32[4] internal leaves;
    bytes32 internal root;

    function setUp() public override {
        super.setUp();
        batches = new BatchReceipts(enclaves);
        enclave = registerEnclave(KEY, 2);
        for (uint256 i = 0; i < 4; ++i) {
            rs[i] = Receipt(PROGRAM, keccak256(abi.encode("in", i)), keccak256("out"), bytes32(0), uint64(START), bytes32(i));
            // Independent of the contract: StandardMerkleTree's leaf is the double hash of abi.encode(fields).
            leaves[i] = keccak256(
                bytes.concat(
                    keccak256(abi.encode(PROGRAM, rs[i].inputDigest, rs[i].outputDigest, bytes32(0), uint64(START), bytes32(i)))
                )
            );
        }
        root = Hashes.commutativeKeccak256(
            Hashes.commutativeKeccak256(leaves[0], leaves[1]), Hashes.commutativeKeccak256(leaves[2], leaves[3])
        );
    }

    function _proof(uint256 i) internal view returns (bytes32[] memory p) {
        p = new bytes32[](2);
        p[0] = leaves[i ^ 1];
        p[1] = i < 2
            ? Hashes.commutativeKeccak256(leaves[2], leaves[3])
            : Hashes.commutativeKeccak256(leaves[0], leaves[1]);
    }

    function _submit() internal {
        Batch memory b = Batch(root, 4, uint64(START));
        batches.submitBatch(b, signDigest(KEY, batches.batchDigest(b)));
    }

    function test_submitBatch_ThenEveryReceiptIsIncluded() public {
        Batch memory b = Batch(root, 4, uint64(START));
        bytes memory sig = signDigest(KEY, batches.batchDigest(b));
        vm.expectEmit(true, true, true, true, address(batches));
        emit IBatchReceipts.BatchSubmitted(root, enclave, 4, uint64(START));
        batches.submitBatch(b, sig);
        for (uint256 i = 0; i < 4; ++i) {
            assertEq(batches.leafOf(rs[i]), leaves[i], "leaf encoding");
            assertEq(batches.verifyIncluded(rs[i], root, _proof(i)), enclave, "included");
        }
    }

    function test_consumeIncluded_OncePerConsumer() public {
        _submit();
        batches.consumeIncluded(rs[1], root, _proof(1));
        vm.expectRevert(
            abi.encodeWithSelector(IBatchReceipts.ReceiptAlreadyConsumed.selector, address(this), root, leaves[1])
        );
        batches.consumeIncluded(rs[1], root, _proof(1));
    }

    function test_verifyIncluded_RevertWhen_NotInBatch() public {
        _submit();
        Receipt memory r = rs[0];
        r.nonce = keccak256("forged");
        bytes32 leaf = batches.leafOf(r);
        vm.expectRevert(abi.encodeWithSelector(IBatchReceipts.ReceiptNotInBatch.selector, root, leaf));
        batches.verifyIncluded(r, root, _proof(0));
    }

    function test_verifyIncluded_RevertWhen_BatchNotFound() public {
        vm.expectRevert(abi.encodeWithSelector(IBatchReceipts.BatchNotFound.selector, root));
        batches.verifyIncluded(rs[0], root, _proof(0));
    }

    function test_verifyIncluded_RevertWhen_SignerNotLive() public {
        _submit();
        vm.warp(START + 24 hours);
        vm.expectRevert(abi.encodeWithSelector(IBatchReceipts.EnclaveNotLive.selector, enclave, PROGRAM));
        batches.verifyIncluded(rs[0], root, _proof(0));
    }

    function test_verifyIncluded_RevertWhen_MeasurementRevokedAfterSubmission() public {
        _submit();
        assertEq(batches.verifyIncluded(rs[0], root, _proof(0)), enclave, "included while live");
        vm.prank(guardian);
        measurements.revokeMeasurement(2, measurementOf(2));
        vm.expectRevert(abi.encodeWithSelector(IBatchReceipts.EnclaveNotLive.selector, enclave, PROGRAM));
        batches.verifyIncluded(rs[0], root, _proof(0));
        vm.expectRevert(abi.encodeWithSelector(IBatchReceipts.EnclaveNotLive.selector, enclave, PROGRAM));
        batches.consumeIncluded(rs[0], root, _proof(0));
    }

    function test_verifyIncluded_RevertWhen_SignerRemovedAfterSubmission() public {
        _submit();
        vm.prank(governor);
        enclaves.grantRole(REMOVER_ROLE, guardian);
        vm.prank(guardian);
        enclaves.removeEnclave(enclave);
        vm.expectRevert(abi.encodeWithSelector(IBatchReceipts.EnclaveNotLive.selector, enclave, PROGRAM));
        batches.verifyIncluded(rs[0], root, _proof(0));
    }

    function test_submitBatch_RevertWhen_Invalid() public {
        _submit();
        Batch memory b = Batch(root, 4, uint64(START));
        vm.expectRevert(abi.encodeWithSelector(IBatchReceipts.BatchAlreadySubmitted.selector, root));
        batches.submitBatch(b, "");
        vm.expectRevert(IBatchReceipts.EmptyBatch.selector);
        batches.submitBatch(Batch(keccak256("r"), 0, uint64(START)), "");
        vm.expectRevert(IBatchReceipts.EmptyBatch.selector);
        batches.submitBatch(Batch(bytes32(0), 1, uint64(START)), "");
        vm.expectRevert(
            abi.encodeWithSelector(IBatchReceipts.BatchFromFuture.selector, uint64(START + 301), START)
        );
        batches.submitBatch(Batch(keccak256("r"), 1, uint64(START + 301)), "");
        vm.expectRevert(IBatchReceipts.InvalidBatchSignature.selector);
        batches.submitBatch(Batch(keccak256("r"), 1, uint64(START)), hex"01");
    }

    function test_verifyIncluded_RevertWhen_SignerUnregistered() public {
        Batch memory b = Batch(root, 4, uint64(START));
        batches.submitBatch(b, signDigest(0xBAD, batches.batchDigest(b)));
        vm.expectRevert(abi.encodeWithSelector(IBatchReceipts.EnclaveNotLive.selector, vm.addr(0xBAD), PROGRAM));
        batches.verifyIncluded(rs[0], root, _proof(0));
    }
}
