// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {TeezkBase} from "./utils/TeezkBase.sol";
import {Claims} from "../../contracts/interfaces/IClaims.sol";
import {IGoverned} from "../../contracts/interfaces/IGoverned.sol";
import {IMeasurementRegistry} from "../../contracts/interfaces/IMeasurementRegistry.sol";
import {ISP1Verifier} from "../../contracts/interfaces/ISP1Verifier.sol";
import {ISp1ReceiptVerifier} from "../../contracts/interfaces/ISp1ReceiptVerifier.sol";
import {Receipt} from "../../contracts/receipts/Receipt.sol";
import {Sp1ReceiptVerifier} from "../../contracts/receipts/Sp1ReceiptVerifier.sol";
import {SP1VerifierTestDouble} from "./doubles/SP1VerifierTestDouble.sol";

contract Sp1ReceiptVerifierTest is TeezkBase {
    bytes32 internal constant VKEY = keccak256("teezk sp1 program");
    SP1VerifierTestDouble internal sp1;
    Sp1ReceiptVerifier internal verifier;
    address internal constant ENCLAVE = address(0xE5);
    address internal consumer = address(0xC0);
    /// @dev A challenge the verifier issued in setUp: the evidence's binding nonce.
    bytes32 internal nonce;

    event Sp1ReceiptConsumed(
        bytes32 indexed programId, bytes32 indexed measurement, address indexed consumer, bytes32 digest, address enclave
    );

    function setUp() public override {
        super.setUp();
        sp1 = new SP1VerifierTestDouble();
        verifier = new Sp1ReceiptVerifier(sp1, VKEY, measurements);
        nonce = verifier.issueChallenge();
    }

    function _claims() internal view returns (Claims memory) {
        return goodClaims(3, ENCLAVE, keccak256("hpke"), nonce);
    }

    function _binding() internal view returns (ISp1ReceiptVerifier.ReceiptBinding memory) {
        return ISp1ReceiptVerifier.ReceiptBinding(ENCLAVE, keccak256("hpke"), nonce);
    }

    /// @dev Evidence bound to `bindingNonce`, journal committing it.
    function _journalBoundTo(bytes32 bindingNonce) internal view returns (bytes memory) {
        Claims memory claims = goodClaims(3, ENCLAVE, keccak256("hpke"), bindingNonce);
        ISp1ReceiptVerifier.ReceiptBinding memory b = ISp1ReceiptVerifier.ReceiptBinding(ENCLAVE, keccak256("hpke"), bindingNonce);
        return abi.encode(claims, _receipt(), verifier.receiptDomainSeparator(), b);
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

    function _journal(Claims memory claims, Receipt memory receipt) internal view returns (bytes memory) {
        return abi.encode(claims, receipt, verifier.receiptDomainSeparator(), _binding());
    }

    function _journalSignedFor(bytes32 domain) internal view returns (bytes memory) {
        return abi.encode(_claims(), _receipt(), domain, _binding());
    }

    function _domain(uint256 chainId, address verifyingContract) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("teezk ReceiptVerifier"),
                keccak256("1"),
                chainId,
                verifyingContract
            )
        );
    }

    function _proof(bytes memory publicValues) internal pure returns (bytes memory) {
        return abi.encodePacked(keccak256(abi.encode(VKEY, publicValues)));
    }

    function _consume(bytes memory journal)
        internal
        returns (Claims memory, Receipt memory, ISp1ReceiptVerifier.ReceiptBinding memory)
    {
        vm.prank(consumer);
        return verifier.verifyAndConsume(journal, _proof(journal));
    }

    function test_verify_DecodesClaimsAndReceipt() public view {
        Claims memory claims = _claims();
        Receipt memory receipt = _receipt();
        bytes memory journal = _journal(claims, receipt);
        (Claims memory c, Receipt memory r, bytes32 digest, ISp1ReceiptVerifier.ReceiptBinding memory b) =
            verifier.verify(journal, _proof(journal));
        assertEq(keccak256(abi.encode(c)), keccak256(abi.encode(claims)), "claims");
        assertEq(keccak256(abi.encode(r)), keccak256(abi.encode(receipt)), "receipt");
        assertEq(digest, verifier.receiptDigest(receipt), "digest");
        assertEq(keccak256(abi.encode(b)), keccak256(abi.encode(_binding())), "binding");
    }

    function test_receiptDigest_IsEip712UnderReceiptVerifierDomain() public view {
        Receipt memory r = _receipt();
        bytes32 typehash = keccak256(
            "Receipt(bytes32 programId,bytes32 inputDigest,bytes32 outputDigest,bytes32 proofDigest,uint64 issuedAt,bytes32 nonce)"
        );
        bytes32 domain = _domain(block.chainid, address(verifier));
        assertEq(verifier.receiptDomainSeparator(), domain, "domain separator");
        bytes32 structHash = keccak256(
            abi.encode(typehash, r.programId, r.inputDigest, r.outputDigest, r.proofDigest, r.issuedAt, r.nonce)
        );
        assertEq(verifier.receiptDigest(r), keccak256(abi.encodePacked("\x19\x01", domain, structHash)), "digest");
    }

    function test_verifyAndConsume_ConsumesOnceAndEmits() public {
        Receipt memory receipt = _receipt();
        bytes memory journal = _journal(_claims(), receipt);
        bytes32 digest = verifier.receiptDigest(receipt);
        vm.expectEmit(true, true, true, true, address(verifier));
        emit Sp1ReceiptConsumed(PROGRAM, measurementOf(3), consumer, digest, ENCLAVE);
        (, Receipt memory r,) = _consume(journal);
        assertEq(r.nonce, receipt.nonce, "returned receipt");
        assertTrue(verifier.isConsumed(consumer, digest), "consumed");
        assertFalse(verifier.isConsumed(address(this), digest), "per consumer");
    }

    function test_verifyAndConsume_RevertWhen_Replayed() public {
        bytes memory journal = _journal(_claims(), _receipt());
        _consume(journal);
        bytes32 digest = verifier.receiptDigest(_receipt());
        vm.expectRevert(abi.encodeWithSelector(ISp1ReceiptVerifier.ReceiptAlreadyConsumed.selector, consumer, digest));
        _consume(journal);
    }

    function test_verifyAndConsume_OtherConsumerMayConsumeToo() public {
        bytes memory journal = _journal(_claims(), _receipt());
        _consume(journal);
        verifier.verifyAndConsume(journal, _proof(journal));
        assertTrue(verifier.isConsumed(address(this), verifier.receiptDigest(_receipt())), "consumed");
    }

    /// @dev The reviewer's attack (issue 12 item 12): evidence bound to a nonce nobody issued recently (a quote of
    /// any age; for TDX, SNP and NVIDIA claims.timestamp is the prover's own clock, so it looks fresh) plus the
    /// leaked enclave key yields receipts this contract accepts.
    function test_verify_RevertWhen_BindingNonceNotFresh() public {
        bytes32 stale = keccak256("a year-old nonce");
        bytes memory journal = _journalBoundTo(stale);
        vm.expectRevert(abi.encodeWithSelector(ISp1ReceiptVerifier.BindingNonceNotFresh.selector, stale));
        verifier.verify(journal, _proof(journal));
    }

    function test_verify_AcceptsRecentBlockHashNonce() public {
        vm.roll(block.number + 300);
        bytes memory journal = _journalBoundTo(blockhash(block.number - 256));
        verifier.verify(journal, _proof(journal));
    }

    function test_verify_RevertWhen_BlockHashNonceOlderThan256Blocks() public {
        vm.roll(block.number + 300);
        bytes32 old = blockhash(block.number - 256);
        bytes memory journal = _journalBoundTo(old);
        vm.roll(block.number + 1);
        vm.expectRevert(abi.encodeWithSelector(ISp1ReceiptVerifier.BindingNonceNotFresh.selector, old));
        verifier.verify(journal, _proof(journal));
    }

    function test_verify_RevertWhen_ChallengeExpired() public {
        bytes memory journal = _journal(_claims(), _receipt());
        verifier.verify(journal, _proof(journal));
        vm.warp(block.timestamp + verifier.CHALLENGE_TTL());
        vm.expectRevert(abi.encodeWithSelector(ISp1ReceiptVerifier.BindingNonceNotFresh.selector, nonce));
        verifier.verify(journal, _proof(journal));
    }

    function test_issueChallenge_EmitsAndExpiresAfterTtl() public {
        uint64 expiresAt = uint64(block.timestamp) + verifier.CHALLENGE_TTL();
        assertEq(verifier.challengeExpiresAt(nonce), expiresAt, "setUp's challenge");
        vm.expectEmit(false, true, false, true, address(verifier));
        emit ISp1ReceiptVerifier.ChallengeIssued(bytes32(0), address(this), expiresAt);
        bytes32 second = verifier.issueChallenge();
        assertTrue(second != nonce, "each challenge is new");
        assertEq(verifier.challengeExpiresAt(keccak256("never issued")), 0, "unknown");
    }

    function test_verify_RevertWhen_ProofRejected() public {
        bytes memory journal = _journal(_claims(), _receipt());
        Receipt memory other = _receipt();
        other.nonce = keccak256("other");
        bytes memory proof = _proof(_journal(_claims(), other));
        vm.expectRevert(SP1VerifierTestDouble.InvalidProof.selector);
        verifier.verify(journal, proof);
    }

    function test_verify_RevertWhen_ProofForOtherProgramKey() public {
        bytes memory journal = _journal(_claims(), _receipt());
        bytes memory proof = abi.encodePacked(keccak256(abi.encode(keccak256("other vkey"), journal)));
        vm.expectRevert(SP1VerifierTestDouble.InvalidProof.selector);
        verifier.verify(journal, proof);
    }

    function test_verify_RevertWhen_JournalIsAttestMode() public {
        bytes memory journal = abi.encode(_claims());
        vm.expectRevert(abi.encodeWithSelector(ISp1ReceiptVerifier.JournalLengthInvalid.selector, 288, 608));
        verifier.verify(journal, _proof(journal));
    }

    /// @dev The journal before the binding was committed: its evidence could be of any age.
    function test_verify_RevertWhen_JournalHasNoBinding() public {
        bytes memory journal = abi.encode(_claims(), _receipt(), verifier.receiptDomainSeparator());
        vm.expectRevert(abi.encodeWithSelector(ISp1ReceiptVerifier.JournalLengthInvalid.selector, 512, 608));
        verifier.verify(journal, _proof(journal));
    }

    function test_verify_RevertWhen_JournalHasTrailingBytes() public {
        bytes memory journal = abi.encodePacked(_journal(_claims(), _receipt()), bytes1(0));
        vm.expectRevert(abi.encodeWithSelector(ISp1ReceiptVerifier.JournalLengthInvalid.selector, 609, 608));
        verifier.verify(journal, _proof(journal));
    }

    /// A receipt the enclave signed for the same contract address on another chain: the program proved the
    /// signature under that chain's domain, so the journal must not verify here (cross-chain replay).
    function test_verify_RevertWhen_SignedForAnotherChain() public {
        bytes32 foreign = _domain(block.chainid + 1, address(verifier));
        bytes memory journal = _journalSignedFor(foreign);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISp1ReceiptVerifier.ReceiptDomainMismatch.selector, foreign, verifier.receiptDomainSeparator()
            )
        );
        verifier.verify(journal, _proof(journal));
    }

    /// Same chain, another Sp1ReceiptVerifier (another program key or registry): not this contract's receipt.
    function test_verify_RevertWhen_SignedForAnotherVerifier() public {
        Sp1ReceiptVerifier other = new Sp1ReceiptVerifier(sp1, VKEY, measurements);
        nonce = other.issueChallenge();
        bytes32 foreign = other.receiptDomainSeparator();
        bytes memory journal = _journalSignedFor(foreign);
        other.verify(journal, _proof(journal));
        vm.expectRevert(
            abi.encodeWithSelector(
                ISp1ReceiptVerifier.ReceiptDomainMismatch.selector, foreign, verifier.receiptDomainSeparator()
            )
        );
        verifier.verify(journal, _proof(journal));
    }

    function testFuzz_verify_RevertWhen_DomainIsNotOwn(bytes32 foreign) public {
        vm.assume(foreign != verifier.receiptDomainSeparator());
        bytes memory journal = _journalSignedFor(foreign);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISp1ReceiptVerifier.ReceiptDomainMismatch.selector, foreign, verifier.receiptDomainSeparator()
            )
        );
        verifier.verify(journal, _proof(journal));
    }

    function test_verify_RevertWhen_NarrowFieldDirty() public {
        uint256[7] memory indices = [uint256(0), 5, 6, 7, 8, 13, 16];
        uint256[7] memory dirty =
            [uint256(1) << 8, uint256(1) << 64, uint256(1) << 8, uint256(1) << 48, 2, uint256(1) << 64, uint256(1) << 160];
        for (uint256 i = 0; i < 7; ++i) {
            bytes memory journal = _journal(_claims(), _receipt());
            uint256 offset = 32 + indices[i] * 32;
            uint256 word;
            assembly {
                word := or(mload(add(journal, offset)), mload(add(dirty, mul(i, 32))))
                mstore(add(journal, offset), word)
            }
            vm.expectRevert(
                abi.encodeWithSelector(ISp1ReceiptVerifier.JournalFieldOutOfRange.selector, indices[i], word)
            );
            verifier.verify(journal, _proof(journal));
        }
    }

    function test_verify_RevertWhen_MeasurementNotAllowed() public {
        Claims memory claims = _claims();
        claims.measurement = keccak256("unknown image");
        bytes memory journal = _journal(claims, _receipt());
        vm.expectRevert(
            abi.encodeWithSelector(IMeasurementRegistry.MeasurementNotAllowed.selector, PROGRAM, 3, claims.measurement)
        );
        verifier.verify(journal, _proof(journal));
    }

    function test_verify_RevertWhen_ProgramIdNotAllowedForMeasurement() public {
        Receipt memory receipt = _receipt();
        receipt.programId = keccak256("other program");
        bytes memory journal = _journal(_claims(), receipt);
        vm.expectRevert(
            abi.encodeWithSelector(
                IMeasurementRegistry.MeasurementNotAllowed.selector, receipt.programId, 3, measurementOf(3)
            )
        );
        verifier.verify(journal, _proof(journal));
    }

    function test_verify_RevertWhen_MeasurementRevoked() public {
        vm.prank(guardian);
        measurements.revokeMeasurement(3, measurementOf(3));
        bytes memory journal = _journal(_claims(), _receipt());
        vm.expectRevert(
            abi.encodeWithSelector(IMeasurementRegistry.MeasurementNotAllowed.selector, PROGRAM, 3, measurementOf(3))
        );
        verifier.verify(journal, _proof(journal));
    }

    function test_verify_RevertWhen_Debug() public {
        Claims memory claims = _claims();
        claims.debug = true;
        bytes memory journal = _journal(claims, _receipt());
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.DebugNotAllowed.selector, 3));
        verifier.verify(journal, _proof(journal));
    }

    function test_verify_RevertWhen_TcbStatusNotAccepted() public {
        Claims memory claims = _claims();
        claims.tcbStatus = 1;
        bytes memory journal = _journal(claims, _receipt());
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.TcbStatusNotAccepted.selector, 3, 1));
        verifier.verify(journal, _proof(journal));
    }

    function test_verify_RevertWhen_SvnTooLow() public {
        Claims memory claims = _claims();
        claims.svn = 1;
        bytes memory journal = _journal(claims, _receipt());
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.SvnTooLow.selector, 3, 1, 2));
        verifier.verify(journal, _proof(journal));
    }

    function test_verify_RevertWhen_EvidenceTooOld() public {
        Claims memory claims = _claims();
        claims.timestamp = uint64(block.timestamp - 1 days - 1);
        bytes memory journal = _journal(claims, _receipt());
        vm.expectRevert(
            abi.encodeWithSelector(
                IMeasurementRegistry.EvidenceTooOld.selector, claims.timestamp, 1 days, block.timestamp
            )
        );
        verifier.verify(journal, _proof(journal));
    }

    function test_verify_RevertWhen_RootHashNotAllowed() public {
        Claims memory claims = _claims();
        claims.rootHash = keccak256("other root");
        bytes memory journal = _journal(claims, _receipt());
        vm.expectRevert(abi.encodeWithSelector(IMeasurementRegistry.RootHashNotAllowed.selector, 3, claims.rootHash));
        verifier.verify(journal, _proof(journal));
    }

    function test_verify_RevertWhen_ReceiptFromFuture() public {
        Receipt memory receipt = _receipt();
        receipt.issuedAt = uint64(block.timestamp + 5 minutes + 1);
        bytes memory journal = _journal(_claims(), receipt);
        vm.expectRevert(
            abi.encodeWithSelector(ISp1ReceiptVerifier.ReceiptFromFuture.selector, receipt.issuedAt, block.timestamp)
        );
        verifier.verify(journal, _proof(journal));
    }

    function test_constructor_RevertWhen_ZeroAddresses() public {
        vm.expectRevert(abi.encodeWithSelector(IGoverned.ZeroAddress.selector, "sp1Verifier"));
        new Sp1ReceiptVerifier(ISP1Verifier(address(0)), VKEY, measurements);
        vm.expectRevert(abi.encodeWithSelector(IGoverned.ZeroAddress.selector, "measurementRegistry"));
        new Sp1ReceiptVerifier(sp1, VKEY, IMeasurementRegistry(address(0)));
    }
}
