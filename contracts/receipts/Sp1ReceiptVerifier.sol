// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {Claims} from "../interfaces/IClaims.sol";
import {IGoverned} from "../interfaces/IGoverned.sol";
import {IMeasurementRegistry} from "../interfaces/IMeasurementRegistry.sol";
import {ISP1Verifier} from "../interfaces/ISP1Verifier.sol";
import {ISp1ReceiptVerifier} from "../interfaces/ISp1ReceiptVerifier.sol";
import {Freshness} from "../libraries/Freshness.sol";
import {Receipt, ReceiptTypes} from "./Receipt.sol";

/// @title Sp1ReceiptVerifier
/// @notice Receipts proven end to end by the teezk SP1 program in `receipt` mode: one call checks the proof,
/// the evidence policy, the evidence's freshness (its binding nonce), the EIP-712 domain the enclave signed under,
/// and replay, with no enclave registration.
/// @dev Immutable: a new program version is a new deployment. The policy is the MeasurementRegistry's, read at
/// call time, so revocations and rotations apply at once.
/// @custom:security-contact security@teezk.invalid
contract Sp1ReceiptVerifier is EIP712, ISp1ReceiptVerifier, IGoverned {
    /// @notice How far `issuedAt` may run ahead of block time.
    uint64 public constant MAX_CLOCK_SKEW = 5 minutes;
    /// @notice Length of `abi.encode(Claims, Receipt, bytes32 domainSeparator, ReceiptBinding)`: 9 + 6 + 1 + 3
    /// static words.
    uint256 public constant JOURNAL_LENGTH = 19 * 32;
    /// @notice How long an issued challenge stays fresh (as EnclaveRegistry.CHALLENGE_TTL).
    uint64 public constant CHALLENGE_TTL = 1 hours;

    /// @inheritdoc ISp1ReceiptVerifier
    ISP1Verifier public immutable sp1Verifier;
    /// @inheritdoc ISp1ReceiptVerifier
    bytes32 public immutable programVKey;
    /// @inheritdoc ISp1ReceiptVerifier
    IMeasurementRegistry public immutable measurementRegistry;

    mapping(address consumer => mapping(bytes32 digest => bool)) private _consumed;
    mapping(bytes32 challenge => uint64 expiresAt) private _challenges;
    uint256 private _challengeCount;

    /// @param sp1Verifier_ The SP1 verifier gateway.
    /// @param programVKey_ The SP1 program's verification key.
    /// @param measurementRegistry_ The registry whose policy the claims must satisfy.
    constructor(ISP1Verifier sp1Verifier_, bytes32 programVKey_, IMeasurementRegistry measurementRegistry_)
        EIP712("teezk ReceiptVerifier", "1")
    {
        if (address(sp1Verifier_) == address(0)) revert ZeroAddress("sp1Verifier");
        if (address(measurementRegistry_) == address(0)) revert ZeroAddress("measurementRegistry");
        sp1Verifier = sp1Verifier_;
        programVKey = programVKey_;
        measurementRegistry = measurementRegistry_;
    }

    /// @inheritdoc ISp1ReceiptVerifier
    function verify(bytes calldata publicValues, bytes calldata proof)
        external
        view
        returns (Claims memory claims, Receipt memory receipt, bytes32 digest, ReceiptBinding memory binding)
    {
        return _verify(publicValues, proof);
    }

    /// @inheritdoc ISp1ReceiptVerifier
    function verifyAndConsume(bytes calldata publicValues, bytes calldata proof)
        external
        returns (Claims memory claims, Receipt memory receipt, ReceiptBinding memory binding)
    {
        bytes32 digest;
        (claims, receipt, digest, binding) = _verify(publicValues, proof);
        if (_consumed[msg.sender][digest]) revert ReceiptAlreadyConsumed(msg.sender, digest);
        _consumed[msg.sender][digest] = true;
        emit Sp1ReceiptConsumed(receipt.programId, claims.measurement, msg.sender, digest, binding.enclave);
    }

    /// @inheritdoc ISp1ReceiptVerifier
    function issueChallenge() external returns (bytes32 challenge) {
        unchecked {
            ++_challengeCount;
        }
        challenge = Freshness.newChallenge(_challengeCount);
        uint64 expiresAt = uint64(block.timestamp) + CHALLENGE_TTL;
        _challenges[challenge] = expiresAt;
        emit ChallengeIssued(challenge, msg.sender, expiresAt);
    }

    /// @inheritdoc ISp1ReceiptVerifier
    function challengeExpiresAt(bytes32 challenge) external view returns (uint64) {
        return _challenges[challenge];
    }

    /// @inheritdoc ISp1ReceiptVerifier
    function receiptDigest(Receipt calldata receipt) external view returns (bytes32) {
        return _hashTypedDataV4(ReceiptTypes.structHash(receipt));
    }

    /// @inheritdoc ISp1ReceiptVerifier
    function receiptDomainSeparator() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @inheritdoc ISp1ReceiptVerifier
    function isConsumed(address consumer, bytes32 digest) external view returns (bool) {
        return _consumed[consumer][digest];
    }

    /// @dev Proof first: nothing is decoded or looked up for public values the program never committed.
    function _verify(bytes calldata publicValues, bytes calldata proof)
        private
        view
        returns (Claims memory claims, Receipt memory receipt, bytes32 digest, ReceiptBinding memory binding)
    {
        if (publicValues.length != JOURNAL_LENGTH) revert JournalLengthInvalid(publicValues.length, JOURNAL_LENGTH);
        sp1Verifier.verifyProof(programVKey, publicValues, proof);
        _requireCleanWords(publicValues);
        bytes32 signedDomain;
        (claims, receipt, signedDomain, binding) = abi.decode(publicValues, (Claims, Receipt, bytes32, ReceiptBinding));
        // The program checked the enclave's signature under the domain it commits: only this contract's own
        // (chain id, address) makes the receipt one the enclave meant for here, not a replay from another chain.
        bytes32 ownDomain = _domainSeparatorV4();
        if (signedDomain != ownDomain) revert ReceiptDomainMismatch(signedDomain, ownDomain);
        _requireFreshNonce(binding.nonce);
        if (receipt.issuedAt > block.timestamp + MAX_CLOCK_SKEW) {
            revert ReceiptFromFuture(receipt.issuedAt, block.timestamp);
        }
        measurementRegistry.checkClaims(receipt.programId, claims);
        // Static struct: abi.encode(TYPEHASH, receipt) is the EIP-712 encodeData of its six fields.
        digest = _hashTypedDataV4(keccak256(abi.encode(ReceiptTypes.RECEIPT_TYPEHASH, receipt)));
    }

    /// @dev Freshness is the registry's rule (a recent block hash or an issued challenge): nothing else in the
    /// journal bounds the evidence's age, since claims.timestamp is the prover's own clock for every vendor but
    /// Nitro. That the nonce is the one in claims.reportData is the program's to prove (journal.rs checks the
    /// binding before committing it), like every other committed field. The nonce is not consumed.
    function _requireFreshNonce(bytes32 nonce) private view {
        if (!(_challenges[nonce] > block.timestamp || Freshness.isRecentBlockHash(nonce))) {
            revert BindingNonceNotFresh(nonce);
        }
    }

    /// @dev abi.decode reverts without data on dirty narrow fields; this names the word instead. Bits per word:
    /// teeType 8, timestamp 64, tcbStatus 8, svn 48, debug 1, issuedAt 64, enclave 160; the rest are bytes32.
    function _requireCleanWords(bytes calldata publicValues) private pure {
        uint8[7] memory indices = [uint8(0), 5, 6, 7, 8, 13, 16];
        uint8[7] memory bits = [uint8(8), 64, 8, 48, 1, 64, 160];
        for (uint256 i = 0; i < 7; ++i) {
            uint256 at = uint256(indices[i]) * 32;
            uint256 word = uint256(bytes32(publicValues[at:at + 32]));
            if (word >> bits[i] != 0) revert JournalFieldOutOfRange(indices[i], word);
        }
    }
}
