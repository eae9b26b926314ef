// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Claims} from "./IClaims.sol";
import {IMeasurementRegistry} from "./IMeasurementRegistry.sol";
import {ISP1Verifier} from "./ISP1Verifier.sol";
import {Receipt} from "../receipts/Receipt.sol";

/// @title ISp1ReceiptVerifier
/// @notice Accepts a receipt proven by the teezk SP1 program (zkprogram, `receipt` mode) in one call, with no
/// prior enclave registration: the proof shows that the vendor evidence verified, that its report data binds the
/// enclave key, and that this key signed the receipt for this contract on this chain (the journal commits the
/// EIP-712 domain separator the signature was checked under). The journal also commits the binding's inputs, so
/// the contract checks the evidence's freshness itself: its nonce must be a recent block hash or a challenge this
/// contract issued, as EnclaveRegistry requires at registration (claims.timestamp is the prover's clock for TDX,
/// SGX, SNP and NVIDIA evidence and proves nothing about the evidence's age).
/// @custom:security-contact security@teezk.invalid
interface ISp1ReceiptVerifier {
    /// @notice The DESIGN §3 binding inputs the program checked against `claims.reportData` before committing them.
    /// @param enclave The enclave key that signed the receipt.
    /// @param hpkeKeyHash keccak256 of the enclave's HPKE public key.
    /// @param nonce The challenge the evidence answers: a recent block hash or an issued challenge.
    struct ReceiptBinding {
        address enclave;
        bytes32 hpkeKeyHash;
        bytes32 nonce;
    }

    /// @notice Thrown when the public values are not `abi.encode(Claims, Receipt, bytes32, ReceiptBinding)`
    /// (608 bytes).
    /// @param length The length received.
    /// @param expected The only accepted length.
    error JournalLengthInvalid(uint256 length, uint256 expected);
    /// @notice Thrown when a word of the journal does not fit its field's type (dirty high bits, bool above 1).
    /// @param index The word index in the journal (0..8 Claims, 9..14 Receipt, 15 domain separator, 16..18 binding).
    /// @param word The offending word.
    error JournalFieldOutOfRange(uint256 index, uint256 word);
    /// @notice Thrown when the enclave signed the receipt under another EIP-712 domain than this contract's
    /// (another chain, another verifier): the receipt was not meant for this contract.
    /// @param signed The domain separator committed in the journal.
    /// @param expected This contract's domain separator.
    error ReceiptDomainMismatch(bytes32 signed, bytes32 expected);
    /// @notice Thrown when the evidence's nonce is neither one of the last 256 block hashes nor an unexpired
    /// challenge from issueChallenge: the evidence may be of any age.
    /// @param nonce The committed binding nonce.
    error BindingNonceNotFresh(bytes32 nonce);
    /// @notice Thrown when `issuedAt` is later than the block time plus MAX_CLOCK_SKEW.
    error ReceiptFromFuture(uint64 issuedAt, uint256 now_);
    /// @notice Thrown when `consumer` already consumed the receipt with this digest.
    error ReceiptAlreadyConsumed(address consumer, bytes32 digest);

    /// @notice Emitted when `consumer` consumes a receipt proven by the SP1 program.
    /// @param programId The program the enclave ran (Receipt.programId).
    /// @param measurement The enclave's launch measurement (Claims.measurement).
    /// @param consumer The caller that consumed it.
    /// @param digest The receipt's EIP-712 digest under this contract's domain.
    /// @param enclave The enclave key that signed the receipt (ReceiptBinding.enclave).
    event Sp1ReceiptConsumed(
        bytes32 indexed programId, bytes32 indexed measurement, address indexed consumer, bytes32 digest, address enclave
    );
    /// @notice Emitted when the contract issues a challenge for evidence to bind (valid until `expiresAt`).
    event ChallengeIssued(bytes32 indexed challenge, address indexed requester, uint64 expiresAt);

    /// @notice Checks the SP1 proof of `publicValues`, decodes them, and applies the MeasurementRegistry policy
    /// for `receipt.programId` now; requires the committed domain separator to be this contract's and the
    /// evidence's binding nonce to be fresh (a recent block hash or an unexpired issued challenge); returns the
    /// decoded claims and receipt, the receipt's digest and the binding inputs.
    /// @dev Reverts with the SP1 verifier's error for a bad proof and with the registry's errors for a policy
    /// failure (IMeasurementRegistry: MeasurementNotAllowed, TcbStatusNotAccepted, SvnTooLow, EvidenceTooOld,
    /// EvidenceFromFuture, RootHashNotAllowed, DebugNotAllowed, TeePolicyNotSet).
    /// Reverts with ReceiptDomainMismatch when the enclave's signature was checked under another domain, and with
    /// BindingNonceNotFresh when the evidence's nonce is not fresh. The binding nonce is not consumed: one fresh
    /// piece of evidence may back several receipts while it stays fresh (each receipt is still consumed once).
    /// Caller responsibilities: how old a receipt may be (`issuedAt`); what `inputDigest`, `outputDigest` and
    /// `proofDigest` must commit to; which enclave (`binding.enclave`) and which receipt `nonce` the integrator
    /// expects. A view check does not stop replays: use verifyAndConsume for one-time use.
    /// @param publicValues The journal: `abi.encode(Claims, Receipt, bytes32 domainSeparator, ReceiptBinding)`.
    /// @param proof The SP1 proof of `publicValues` for `programVKey`.
    function verify(bytes calldata publicValues, bytes calldata proof)
        external
        view
        returns (Claims memory claims, Receipt memory receipt, bytes32 digest, ReceiptBinding memory binding);

    /// @notice Like verify, then records the receipt as consumed by `msg.sender`; a second consumption by the same
    /// caller reverts with ReceiptAlreadyConsumed.
    /// @dev Replay protection is per consumer (msg.sender), as in ReceiptVerifier, so nobody can front-run a
    /// receipt to burn it for an integrator. Caller responsibilities as in verify.
    function verifyAndConsume(bytes calldata publicValues, bytes calldata proof)
        external
        returns (Claims memory claims, Receipt memory receipt, ReceiptBinding memory binding);

    /// @notice Issues a challenge valid for CHALLENGE_TTL seconds: an enclave binds it into fresh evidence when a
    /// recent block hash will not do (the proof may take longer than 256 blocks to reach the chain).
    function issueChallenge() external returns (bytes32 challenge);

    /// @notice When `challenge`, issued by issueChallenge, expires; 0 when this contract never issued it.
    function challengeExpiresAt(bytes32 challenge) external view returns (uint64);

    /// @notice The EIP-712 digest of `receipt` under this contract's domain ("teezk ReceiptVerifier", "1"):
    /// the replay key.
    function receiptDigest(Receipt calldata receipt) external view returns (bytes32);

    /// @notice This contract's EIP-712 domain separator ("teezk ReceiptVerifier", "1", chain id, this address):
    /// the last word of every journal it accepts. The enclave signs receipts under this domain.
    function receiptDomainSeparator() external view returns (bytes32);

    /// @notice True when `consumer` consumed the receipt with `digest`.
    function isConsumed(address consumer, bytes32 digest) external view returns (bool);

    /// @notice The SP1 verifier (gateway) that checks proofs.
    function sp1Verifier() external view returns (ISP1Verifier);

    /// @notice The verification key of the teezk SP1 program.
    function programVKey() external view returns (bytes32);

    /// @notice The registry whose measurement allowlist and TEE policy the claims must satisfy.
    function measurementRegistry() external view returns (IMeasurementRegistry);
}
