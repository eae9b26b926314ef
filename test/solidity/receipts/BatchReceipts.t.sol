// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";
import {TeezkBase} from "../utils/TeezkBase.sol";
import {IBatchReceipts} from "../../../contracts/interfaces/IBatchReceipts.sol";
import {IMeasurementRegistry} from "../../../contracts/interfaces/IMeasurementRegistry.sol";
import {ILivenessEpochSink} from "../../../contracts/interfaces/ILivenessEpochSink.sol";
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
        vm.prank(governor);
        measurements.addLivenessSink(address(batches));
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
            abi.encodeWithSelector(IBatchReceipts.ReceiptAlreadyConsumed.selector, address(this), leaves[1])
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
            abi.encodeWithSelector(IBatchReceipts.ReceiptAlreadyConsumed.selector, address(this), leaves[2])
        );
        batches.consumeIncluded(rs[2], root, hostile, _proof(2));
    }

    /// @dev The reviewer's attack (issue 12 item 8): the enclave (or whoever holds a live key) puts an already
    /// consumed receipt into a second batch; the consumer must not accept it again under the new root.
    function test_consumeIncluded_RevertWhen_ReplayedThroughAnotherBatch() public {
        _submit();
        batches.consumeIncluded(rs[0], root, enclave, _proof(0));
        bytes32 extra = keccak256("another receipt's leaf");
        bytes32 root2 = Hashes.commutativeKeccak256(leaves[0], extra);
        Batch memory b2 = Batch(root2, 2, uint64(START));
        batches.submitBatch(b2, PROGRAM, signDigest(KEY, batches.batchDigest(b2)));
        bytes32[] memory proof2 = new bytes32[](1);
        proof2[0] = extra;
        batches.verifyIncluded(rs[0], root2, enclave, proof2);
        vm.expectRevert(
            abi.encodeWithSelector(IBatchReceipts.ReceiptAlreadyConsumed.selector, address(this), leaves[0])
        );
        batches.consumeIncluded(rs[0], root2, enclave, proof2);
        assertTrue(batches.isConsumed(address(this), leaves[0]), "consumed under its leaf");
        vm.prank(address(0xC0));
        batches.consumeIncluded(rs[0], root2, enclave, proof2);
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

    // --------------------------------------------------------------------------- liveness cache (fast path)

    function _revokeUnrelated() internal {
        vm.prank(guardian);
        measurements.revokeMeasurement(5, measurementOf(5));
    }

    /// @dev Receipt 0 is included until just before `deadline` and refused from `deadline` on.
    function _expectIncludedUntil(uint256 deadline) internal {
        vm.warp(deadline - 1);
        batches.verifyIncluded(rs[0], root, enclave, _proof(0));
        vm.warp(deadline);
        vm.expectRevert(abi.encodeWithSelector(IBatchReceipts.EnclaveNotLive.selector, enclave, PROGRAM));
        batches.verifyIncluded(rs[0], root, enclave, _proof(0));
    }

    /// @dev The signer's measurement is revoked: `b` refuses its receipt at once, whatever path it takes.
    function _revokeSignerThenExpectRefusal(BatchReceipts b) internal {
        vm.prank(guardian);
        measurements.revokeMeasurement(2, measurementOf(2));
        vm.expectRevert(abi.encodeWithSelector(IBatchReceipts.EnclaveNotLive.selector, enclave, PROGRAM));
        b.verifyIncluded(rs[0], root, enclave, _proof(0));
    }

    function test_submitBatch_CachesLivenessForTheNamedProgram() public {
        Batch memory b = Batch(root, 4, uint64(START));
        bytes memory sig = signDigest(KEY, batches.batchDigest(b));
        uint64 epoch = measurements.livenessEpoch();
        vm.expectEmit(true, true, true, true, address(batches));
        emit IBatchReceipts.BatchLivenessCached(root, enclave, PROGRAM, uint64(START + 24 hours), epoch);
        batches.submitBatch(b, PROGRAM, sig);
        (uint64 liveUntil, uint64 cachedEpoch) = batches.batchLiveness(root, enclave, PROGRAM);
        assertEq(liveUntil, START + 24 hours, "until the key's expiry (open window)");
        assertEq(cachedEpoch, epoch, "under the current epoch");
        assertEq(batches.mirroredLivenessEpoch(), epoch, "the registry's epoch, pushed");
        (liveUntil,) = batches.batchLiveness(root, enclave, keccak256("other program"));
        assertEq(liveUntil, 0, "nothing cached for another program");
        (liveUntil,) = batches.batchLiveness(root, hostile, PROGRAM);
        assertEq(liveUntil, 0, "nothing cached for another signer");
    }

    /// @dev Not (yet) a liveness sink: nothing is cached, inclusion always asks the registry, and revocation still
    /// refuses at once.
    function test_submitBatch_NoCacheWhenNotALivenessSink() public {
        BatchReceipts unwired = new BatchReceipts(enclaves);
        assertEq(unwired.mirroredLivenessEpoch(), unwired.NOT_MIRRORED(), "starts unmirrored");
        Batch memory b = Batch(root, 4, uint64(START));
        unwired.submitBatch(b, PROGRAM, signDigest(KEY, unwired.batchDigest(b)));
        (uint64 liveUntil,) = unwired.batchLiveness(root, enclave, PROGRAM);
        assertEq(liveUntil, 0, "no cache");
        unwired.verifyIncluded(rs[0], root, enclave, _proof(0));
        vm.expectRevert(
            abi.encodeWithSelector(
                IBatchReceipts.LivenessEpochNotMirrored.selector, measurements.livenessEpoch(), unwired.NOT_MIRRORED()
            )
        );
        unwired.refreshBatchLiveness(root, enclave, PROGRAM);
        _revokeSignerThenExpectRefusal(unwired);
    }

    /// @dev Removing BatchReceipts as a sink leaves it NOT_MIRRORED: a later revocation (which it is no longer
    /// told about) still refuses its receipts, through the full check.
    function test_removeLivenessSink_SendsInclusionBackToTheFullCheck() public {
        _submit();
        vm.prank(governor);
        measurements.removeLivenessSink(address(batches));
        assertEq(batches.mirroredLivenessEpoch(), batches.NOT_MIRRORED(), "told to stop trusting its copy");
        batches.verifyIncluded(rs[0], root, enclave, _proof(0));
        _revokeSignerThenExpectRefusal(batches);
    }

    function test_verifyIncluded_RevertWhen_RotatedAwayAfterTheGracePeriod() public {
        _submit();
        vm.prank(governor);
        measurements.rotateMeasurement(PROGRAM, 2, measurementOf(2), keccak256("m2 v2"), 2 hours);
        _expectIncludedUntil(START + 2 hours);
    }

    /// @dev The signer re-attests under another allowed measurement whose window ends within the hour: the batch's
    /// cache (live for 24 h) must not outlive the key's new liveness.
    function test_verifyIncluded_RevertWhen_SignerReattestedUnderAShorterEntry() public {
        _submit();
        bytes32 shortLived = keccak256("m2 short-lived");
        vm.prank(governor);
        measurements.addMeasurement(PROGRAM, 2, shortLived, 0, uint64(START + 1 hours));
        registerEnclaveFor(KEY, PROGRAM, 2, shortLived);
        _expectIncludedUntil(START + 1 hours);
    }

    /// @dev Issue 12 item 16: the governor lowers the registration lifetime and the signer re-attests under the same
    /// entry; its record now expires within the hour, and the batch's cache (taken for 24 h) must not outlive it.
    function test_verifyIncluded_RevertWhen_SignerReattestedUnderALowerTtl() public {
        _submit();
        vm.prank(governor);
        enclaves.setRegistrationTtl(1 hours);
        vm.warp(START + 10 minutes);
        registerEnclave(KEY, 2);
        assertEq(enclaves.enclaveInfo(enclave, PROGRAM).expiresAt, START + 70 minutes, "record shortened");
        _expectIncludedUntil(START + 70 minutes);
    }

    /// @dev Issue 12 item 10: a root disallowed after submission ends the batch's cache at once.
    function test_verifyIncluded_RevertWhen_RootDisallowedAfterSubmission() public {
        _submit();
        vm.prank(governor);
        measurements.setRootHashAllowed(2, ROOT_HASH, false);
        vm.expectRevert(abi.encodeWithSelector(IBatchReceipts.EnclaveNotLive.selector, enclave, PROGRAM));
        batches.verifyIncluded(rs[0], root, enclave, _proof(0));
    }

    function test_verifyIncluded_RevertWhen_CacheOutlivedByTime() public {
        _submit();
        _expectIncludedUntil(START + 24 hours);
    }

    function test_refreshBatchLiveness_CachesUnderTheNewEpoch() public {
        _submit();
        _revokeUnrelated();
        uint64 epoch = measurements.livenessEpoch();
        (, uint64 stale) = batches.batchLiveness(root, enclave, PROGRAM);
        assertTrue(stale != epoch, "cache taken under the old epoch");
        vm.expectEmit(true, true, true, true, address(batches));
        emit IBatchReceipts.BatchLivenessCached(root, enclave, PROGRAM, uint64(START + 24 hours), epoch);
        vm.prank(address(0xCAFE)); // anyone
        assertEq(batches.refreshBatchLiveness(root, enclave, PROGRAM), START + 24 hours, "liveUntil");
        (, uint64 fresh) = batches.batchLiveness(root, enclave, PROGRAM);
        assertEq(fresh, epoch, "cached under the new epoch");
        batches.verifyIncluded(rs[3], root, enclave, _proof(3));
        vm.prank(guardian);
        measurements.revokeMeasurement(2, measurementOf(2));
        vm.expectRevert(abi.encodeWithSelector(IBatchReceipts.EnclaveNotLive.selector, enclave, PROGRAM));
        batches.verifyIncluded(rs[3], root, enclave, _proof(3));
    }

    /// @dev A batch holding receipts of two programs: submission caches the named one; refreshing caches the other.
    function test_refreshBatchLiveness_ForAnotherProgramOfTheBatch() public {
        bytes32 second = keccak256("second program");
        vm.prank(governor);
        measurements.addMeasurement(second, 2, measurementOf(2), 0, 0);
        registerEnclaveFor(KEY, second, 2, measurementOf(2));
        Receipt memory other = Receipt(second, bytes32(0), bytes32(0), bytes32(0), uint64(START), bytes32(0));
        bytes32 leaf = batches.leafOf(other);
        bytes32 twoProgramRoot = Hashes.commutativeKeccak256(leaves[0], leaf);
        Batch memory b = Batch(twoProgramRoot, 2, uint64(START));
        batches.submitBatch(b, PROGRAM, signDigest(KEY, batches.batchDigest(b)));
        bytes32[] memory proof = new bytes32[](1);
        proof[0] = leaves[0];
        batches.verifyIncluded(other, twoProgramRoot, enclave, proof);
        (uint64 liveUntil,) = batches.batchLiveness(twoProgramRoot, enclave, second);
        assertEq(liveUntil, 0, "only the named program is cached at submission");
        batches.refreshBatchLiveness(twoProgramRoot, enclave, second);
        (liveUntil,) = batches.batchLiveness(twoProgramRoot, enclave, second);
        assertEq(liveUntil, START + 24 hours, "cached after the refresh");
        batches.verifyIncluded(other, twoProgramRoot, enclave, proof);
    }

    function test_refreshBatchLiveness_RevertWhen_NoBatchOrNotLive() public {
        vm.expectRevert(abi.encodeWithSelector(IBatchReceipts.BatchNotFound.selector, root, enclave));
        batches.refreshBatchLiveness(root, enclave, PROGRAM);
        _submit();
        bytes32 otherProgram = keccak256("other program");
        vm.expectRevert(abi.encodeWithSelector(IBatchReceipts.EnclaveNotLive.selector, enclave, otherProgram));
        batches.refreshBatchLiveness(root, enclave, otherProgram);
        vm.prank(guardian);
        measurements.revokeMeasurement(2, measurementOf(2));
        vm.expectRevert(abi.encodeWithSelector(IBatchReceipts.EnclaveNotLive.selector, enclave, PROGRAM));
        batches.refreshBatchLiveness(root, enclave, PROGRAM);
    }

    function test_mirrorLivenessEpoch_RevertWhen_NotTheRegistry() public {
        vm.expectRevert(abi.encodeWithSelector(ILivenessEpochSink.NotLivenessEpochSource.selector, address(this)));
        batches.mirrorLivenessEpoch(0);
        vm.prank(governor);
        vm.expectRevert(abi.encodeWithSelector(ILivenessEpochSink.NotLivenessEpochSource.selector, governor));
        batches.mirrorLivenessEpoch(type(uint64).max);
        assertEq(address(batches.livenessEpochSource()), address(measurements), "source");
    }

    /// @dev Differential: the same batch in a wired BatchReceipts (cached path) and an unwired one (always the full
    /// check) gives the same answer, equal to isLive, after any of: nothing, an unrelated revocation, the signer's
    /// revocation, a rotation with a grace period, removal, re-attestation, a refresh, re-attestation under a lower
    /// registration lifetime; then any time passing.
    function testFuzz_verifyIncluded_CachedPathEqualsFullCheck(uint8 action, uint32 dt, uint8 leaf) public {
        BatchReceipts full = new BatchReceipts(enclaves);
        Batch memory b = Batch(root, 4, uint64(START));
        batches.submitBatch(b, PROGRAM, signDigest(KEY, batches.batchDigest(b)));
        full.submitBatch(b, PROGRAM, signDigest(KEY, full.batchDigest(b)));
        action = action % 8;
        if (action == 1) _revokeUnrelated();
        if (action == 2) {
            vm.prank(guardian);
            measurements.revokeMeasurement(2, measurementOf(2));
        }
        if (action == 3) {
            vm.prank(governor);
            measurements.rotateMeasurement(PROGRAM, 2, measurementOf(2), keccak256("m2 v2"), uint64(dt % 3 days));
        }
        if (action == 4) {
            vm.prank(governor);
            enclaves.grantRole(REMOVER_ROLE, guardian);
            vm.prank(guardian);
            enclaves.removeEnclave(enclave);
        }
        if (action == 5) {
            vm.warp(START + dt % 23 hours);
            registerEnclave(KEY, 2);
        }
        if (action == 6) {
            _revokeUnrelated();
            batches.refreshBatchLiveness(root, enclave, PROGRAM);
        }
        if (action == 7) {
            vm.prank(governor);
            enclaves.setRegistrationTtl(uint64(1 hours + dt % 23 hours));
            vm.warp(START + dt % 1 hours);
            registerEnclave(KEY, 2);
        }
        vm.warp(block.timestamp + dt % 3 days);
        uint256 i = leaf % 4;
        bool live = enclaves.isLive(enclave, PROGRAM);
        bool cachedOk;
        bool fullOk;
        try batches.verifyIncluded(rs[i], root, enclave, _proof(i)) {
            cachedOk = true;
        } catch {}
        try full.verifyIncluded(rs[i], root, enclave, _proof(i)) {
            fullOk = true;
        } catch {}
        assertEq(cachedOk, fullOk, "cached path and full check disagree");
        assertEq(cachedOk, live, "inclusion disagrees with isLive");
    }
}
