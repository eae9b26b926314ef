// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";
import {TeezkBase} from "../utils/TeezkBase.sol";
import {IBatchReceipts} from "../../../contracts/interfaces/IBatchReceipts.sol";
import {BatchReceipts} from "../../../contracts/receipts/BatchReceipts.sol";
import {Batch, Receipt} from "../../../contracts/receipts/Receipt.sol";

contract BatchReceiptsTest is TeezkBase {
    uint256 internal constant KEY = 0xE1;
    /// @dev A registered, live enclave that is hostile: it signs other enclaves' roots.
    uint256 internal constant HOSTILE_KEY = 0xE2;
    BatchReceipts internal batches;
    address internal enclave;
    address internal hostile;
    Receipt[4] internal rs;
    bytes32[4] internal leaves;
    bytes32 internal root;

    function setUp() public override {
        super.setUp();
        batches = new BatchReceipts(enclaves);
        enclave = registerEnclave(KEY, 2);
        hostile = registerEnclave(HOSTILE_KEY, 3);
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
        batches.submitBatch(b, PROGRAM, signDigest(KEY, batches.batchDigest(b)));
    }

    function test_submitBatch_ThenEveryReceiptIsIncluded() public {
        Batch memory b = Batch(root, 4, uint64(START));
        bytes memory sig = signDigest(KEY, batches.batchDigest(b));
        vm.expectEmit(true, true, true, true, address(batches));
        emit IBatchReceipts.BatchSubmitted(root, enclave, 4, uint64(START));
        assertEq(batches.submitBatch(b, PROGRAM, sig), enclave, "signer returned");
        IBatchReceipts.BatchRecord memory record = batches.batchRecord(root, enclave);
        assertEq(record.count, 4, "count");
        assertEq(record.issuedAt, START, "issuedAt");
        assertEq(record.submittedAt, START, "submittedAt");
        assertEq(batches.batchRecord(root, hostile).count, 0, "no record under another signer");
        for (uint256 i = 0; i < 4; ++i) {
            assertEq(batches.leafOf(rs[i]), leaves[i], "leaf encoding");
            batches.verifyIncluded(rs[i], root, enclave, _proof(i));
        }
    }

    /// @dev The reviewer's attack: before the real enclave's submission lands, someone submits the same root with a
    /// junk signature. The junk recovers to a random address, which is refused, and even a record under it would
    /// be another batch: the real submission goes through and its receipts verify.
    function test_submitBatch_FrontRunWithJunkSignature_DoesNotBlockTheRealOne() public {
        Batch memory b = Batch(root, 4, uint64(START));
        // A well-formed signature over something else: it recovers, to an address nobody holds a key for.
        bytes memory junk = signDigest(KEY, keccak256("not this batch"));
        address junkSigner = ECDSA.recover(batches.batchDigest(b), junk);
        assertTrue(junkSigner != enclave && junkSigner != hostile, "junk recovers to a random address");
        vm.expectRevert(abi.encodeWithSelector(IBatchReceipts.EnclaveNotLive.selector, junkSigner, PROGRAM));
        batches.submitBatch(b, PROGRAM, junk);

        assertEq(batches.submitBatch(b, PROGRAM, signDigest(KEY, batches.batchDigest(b))), enclave, "real submission");
        for (uint256 i = 0; i < 4; ++i) batches.verifyIncluded(rs[i], root, enclave, _proof(i));
    }

    /// @dev A registered-but-hostile enclave claims the real enclave's root first. That records the hostile
    /// enclave's own batch only: the real submission still goes through, inclusions name their signer, and
    /// revoking the hostile enclave's measurement leaves the real batch untouched.
    function test_submitBatch_HostileEnclaveClaimingTheRoot_DoesNotBlockOrImpersonate() public {
        Batch memory b = Batch(root, 4, uint64(START));
        bytes32 digest = batches.batchDigest(b);
        assertEq(batches.submitBatch(b, PROGRAM, signDigest(HOSTILE_KEY, digest)), hostile, "hostile claim recorded");
        vm.expectRevert(abi.encodeWithSelector(IBatchReceipts.BatchNotFound.selector, root, enclave));
        batches.verifyIncluded(rs[0], root, enclave, _proof(0));

        assertEq(batches.submitBatch(b, PROGRAM, signDigest(KEY, digest)), enclave, "real submission not blocked");
        batches.verifyIncluded(rs[0], root, enclave, _proof(0));
        batches.verifyIncluded(rs[0], root, hostile, _proof(0));

        vm.prank(guardian);
        measurements.revokeMeasurement(3, measurementOf(3));
        vm.expectRevert(abi.encodeWithSelector(IBatchReceipts.EnclaveNotLive.selector, hostile, PROGRAM));
        batches.verifyIncluded(rs[0], root, hostile, _proof(0));
        batches.verifyIncluded(rs[0], root, enclave, _proof(0));
        batches.consumeIncluded(rs[0], root, enclave, _proof(0));
    }

    /// @dev Whoever front-runs first (junk signatures, other live enclaves, any order), the real enclave's
    /// submission of the same root always succeeds and its receipts verify under it.
    function testFuzz_submitBatch_NoSubmissionBlocksAnotherSigner(bytes32 junkR, bytes32 junkS, uint8 order)
        public
    {
        Batch memory b = Batch(root, 4, uint64(START));
        bytes32 digest = batches.batchDigest(b);
        bytes memory junk = abi.encodePacked(junkR, junkS, uint8(27 + (order & 1)));
        // Front-runs that fail are fine; what matters is that none of them can stop the real submission.
        if (order & 2 != 0) try batches.submitBatch(b, PROGRAM, junk) {} catch {}
        if (order & 4 != 0) batches.submitBatch(b, PROGRAM, signDigest(HOSTILE_KEY, digest));
        if (order & 8 != 0) try batches.submitBatch(b, keccak256("other program"), junk) {} catch {}
        assertEq(batches.submitBatch(b, PROGRAM, signDigest(KEY, digest)), enclave, "real submission");
        batches.verifyIncluded(rs[order % 4], root, enclave, _proof(order % 4));
        assertEq(batches.batchRecord(root, enclave).count, 4, "real record");
    }

    function test_submitBatch_SameSignerTwice_Reverts() public {
        _submit();
        Batch memory b = Batch(root, 4, uint64(START));
        bytes memory sig = signDigest(KEY, batches.batchDigest(b));
        vm.expectRevert(abi.encodeWithSelector(IBatchReceipts.BatchAlreadySubmitted.selector, root, enclave));
        batches.submitBatch(b, PROGRAM, sig);
    }

    function test_consumeIncluded_OncePerConsumer() public {
        _submit();
        batches.consumeIncluded(rs[1], root, enclave, _proof(1));
        vm.expectRevert(
            abi.encodeWithSelector(IBatchReceipts.ReceiptAlreadyConsumed.selector, address(this), root, leaves[1])
        );
        batches.consumeIncluded(rs[1], root, enclave, _proof(1));
        vm.prank(address(0xC0));
        batches.consumeIncluded(rs[1], root, enclave, _proof(1));
    }

    /// @dev Two signers of one root vouch for the same receipts: consuming through the other signer is a replay.
    function test_consumeIncluded_RevertWhen_ReplayedThroughAnotherSigner() public {
        _submit();
        Batch memory b = Batch(root, 4, uint64(START));
        batches.submitBatch(b, PROGRAM, signDigest(HOSTILE_KEY, batches.batchDigest(b)));
        batches.consumeIncluded(rs[2], root, enclave, _proof(2));
        vm.expectRevert(
            abi.encodeWithSelector(IBatchReceipts.ReceiptAlreadyConsumed.selector, address(this), root, leaves[2])
        );
        batches.consumeIncluded(rs[2], root, hostile, _proof(2));
    }

    function test_verifyIncluded_RevertWhen_NotInBatch() public {
        _submit();
        Receipt memory r = rs[0];
        r.nonce = keccak256("forged");
        bytes32 leaf = batches.leafOf(r);
        vm.expectRevert(abi.encodeWithSelector(IBatchReceipts.ReceiptNotInBatch.selector, root, leaf));
        batches.verifyIncluded(r, root, enclave, _proof(0));
    }

    function test_verifyIncluded_RevertWhen_BatchNotFound() public {
        vm.expectRevert(abi.encodeWithSelector(IBatchReceipts.BatchNotFound.selector, root, enclave));
        batches.verifyIncluded(rs[0], root, enclave, _proof(0));
    }

    function test_verifyIncluded_RevertWhen_NamingASignerThatDidNotSubmit() public {
        _submit();
        vm.expectRevert(abi.encodeWithSelector(IBatchReceipts.BatchNotFound.selector, root, hostile));
        batches.verifyIncluded(rs[0], root, hostile, _proof(0));
        vm.expectRevert(abi.encodeWithSelector(IBatchReceipts.BatchNotFound.selector, root, address(0)));
        batches.consumeIncluded(rs[0], root, address(0), _proof(0));
    }

    function test_verifyIncluded_RevertWhen_SignerNotLive() public {
        _submit();
        vm.warp(START + 24 hours);
        vm.expectRevert(abi.encodeWithSelector(IBatchReceipts.EnclaveNotLive.selector, enclave, PROGRAM));
        batches.verifyIncluded(rs[0], root, enclave, _proof(0));
    }

    function test_verifyIncluded_RevertWhen_MeasurementRevokedAfterSubmission() public {
        _submit();
        batches.verifyIncluded(rs[0], root, enclave, _proof(0));
        vm.prank(guardian);
        measurements.revokeMeasurement(2, measurementOf(2));
        vm.expectRevert(abi.encodeWithSelector(IBatchReceipts.EnclaveNotLive.selector, enclave, PROGRAM));
        batches.verifyIncluded(rs[0], root, enclave, _proof(0));
        vm.expectRevert(abi.encodeWithSelector(IBatchReceipts.EnclaveNotLive.selector, enclave, PROGRAM));
        batches.consumeIncluded(rs[0], root, enclave, _proof(0));
    }

    function test_verifyIncluded_RevertWhen_SignerRemovedAfterSubmission() public {
        _submit();
        vm.prank(governor);
        enclaves.grantRole(REMOVER_ROLE, guardian);
        vm.prank(guardian);
        enclaves.removeEnclave(enclave);
        vm.expectRevert(abi.encodeWithSelector(IBatchReceipts.EnclaveNotLive.selector, enclave, PROGRAM));
        batches.verifyIncluded(rs[0], root, enclave, _proof(0));
    }

    /// @dev Liveness is per receipt program: a batch submitted as live for PROGRAM does not vouch for another
    /// program's receipt in the same tree.
    function test_verifyIncluded_RevertWhen_SignerNotLiveForTheReceiptsProgram() public {
        Receipt memory other = Receipt(keccak256("other program"), bytes32(0), bytes32(0), bytes32(0), 0, bytes32(0));
        bytes32 leaf = batches.leafOf(other);
        Batch memory b = Batch(leaf, 1, uint64(START));
        batches.submitBatch(b, PROGRAM, signDigest(KEY, batches.batchDigest(b)));
        vm.expectRevert(
            abi.encodeWithSelector(IBatchReceipts.EnclaveNotLive.selector, enclave, keccak256("other program"))
        );
        batches.verifyIncluded(other, leaf, enclave, new bytes32[](0));
    }

    function test_submitBatch_RevertWhen_Invalid() public {
        _submit();
        Batch memory b = Batch(root, 4, uint64(START));
        vm.expectRevert(IBatchReceipts.EmptyBatch.selector);
        batches.submitBatch(Batch(keccak256("r"), 0, uint64(START)), PROGRAM, "");
        vm.expectRevert(IBatchReceipts.EmptyBatch.selector);
        batches.submitBatch(Batch(bytes32(0), 1, uint64(START)), PROGRAM, "");
        vm.expectRevert(
            abi.encodeWithSelector(IBatchReceipts.BatchFromFuture.selector, uint64(START + 301), START)
        );
        batches.submitBatch(Batch(keccak256("r"), 1, uint64(START + 301)), PROGRAM, "");
        vm.expectRevert(IBatchReceipts.InvalidBatchSignature.selector);
        batches.submitBatch(Batch(keccak256("r"), 1, uint64(START)), PROGRAM, hex"01");
        vm.expectRevert(IBatchReceipts.InvalidBatchSignature.selector);
        batches.submitBatch(b, PROGRAM, "");
    }

    function test_submitBatch_RevertWhen_SignerNotLive() public {
        Batch memory b = Batch(root, 4, uint64(START));
        bytes32 digest = batches.batchDigest(b);
        vm.expectRevert(abi.encodeWithSelector(IBatchReceipts.EnclaveNotLive.selector, vm.addr(0xBAD), PROGRAM));
        batches.submitBatch(b, PROGRAM, signDigest(0xBAD, digest));
        bytes32 otherProgram = keccak256("other program");
        vm.expectRevert(abi.encodeWithSelector(IBatchReceipts.EnclaveNotLive.selector, enclave, otherProgram));
        batches.submitBatch(b, otherProgram, signDigest(KEY, digest));
        vm.warp(START + 24 hours);
        vm.expectRevert(abi.encodeWithSelector(IBatchReceipts.EnclaveNotLive.selector, enclave, PROGRAM));
        batches.submitBatch(b, PROGRAM, signDigest(KEY, digest));
        assertEq(batches.batchRecord(root, vm.addr(0xBAD)).count, 0, "nothing recorded");
        assertEq(batches.batchRecord(root, enclave).count, 0, "nothing recorded");
    }
}
