// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title IDcapErrors
/// @notice The typed refusals of the on-chain DCAP route (collateral store, quote verifier and their parsers).
/// Every malformed input ends in one of these; none panics.
/// @custom:security-contact security@teezk.invalid
interface IDcapErrors {
    /// @notice A DER element at `offset` is malformed, of an unexpected tag, or runs past its container.
    error DerInvalid(uint256 offset);
    /// @notice An X.509 field the route relies on is missing or unsupported (`reason` names which).
    error CertificateInvalid(bytes32 reason);
    /// @notice The PEM chain holds a character outside base64 (OpenZeppelin's Base64 raises it; declared here so
    /// the route's ABI names it).
    error InvalidBase64Char(bytes1 char);
    /// @notice A UTCTime/GeneralizedTime or ISO 8601 date is malformed.
    error TimeInvalid();
    /// @notice Intel's collateral JSON does not match the schema the route reads, at byte `offset`.
    error JsonInvalid(uint256 offset);
    /// @notice An ECDSA P-256 signature (`what`) did not verify.
    error SignatureInvalid(bytes32 what);
    /// @notice The quote bytes are empty.
    error QuoteEmpty();
    /// @notice The quote is longer than the 64 KiB cap.
    error QuoteTooLarge(uint256 length);
    /// @notice The quote ends before the structure its length fields describe.
    error QuoteTruncated(uint256 offset);
    /// @notice A quote field is invalid (`reason` names which).
    error QuoteInvalid(bytes32 reason);
    /// @notice More than 4096 unsigned bytes follow the signature data.
    error QuoteTrailingData(uint256 length);
    /// @notice Quote versions 3 (SGX), 4 and 5 are supported.
    error UnsupportedQuoteVersion(uint256 version);
    /// @notice Only attestation key type 2 (ECDSA P-256) is supported.
    error UnsupportedAttestationKeyType(uint256 keyType);
    /// @notice The QE report does not bind the attestation key, or its signature by the PCK key fails.
    error QeReportInvalid();
    /// @notice The PCK chain in the quote is not leaf, a stored PCK CA and the pinned root.
    error CertificateChainInvalid(bytes32 reason);
    /// @notice A certificate is outside its validity window at block time.
    error CertificateExpired(bytes32 certificateHash);
    /// @notice A certificate is listed by its issuer's stored CRL.
    error CertificateRevoked(bytes32 issuerNameHash, bytes32 serialHash);
    /// @notice The store holds no such item (`what`, `key`): upload it first.
    error CollateralMissing(bytes32 what, bytes32 key);
    /// @notice A stored item is outside issueDate/thisUpdate..nextUpdate at block time.
    error CollateralExpired(bytes32 what, bytes32 key);
    /// @notice The item is for another TEE, platform or PCE.
    error CollateralMismatch(bytes32 what);
    /// @notice No TCB level (platform, TDX module or QE) matches.
    error TcbLevelNotFound(bytes32 what);
    /// @notice MRSIGNERSEAM or SEAMATTRIBUTES do not match the TCB info's TDX module identity.
    error TdxModuleMismatch();
    /// @notice The quoting enclave does not match the QE identity (`field`).
    error QeIdentityMismatch(bytes32 field);
}
