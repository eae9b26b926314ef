// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IDcapErrors} from "./IDcapErrors.sol";

/// @title IDcapCollateralStore
/// @notice A permissionless on-chain PCCS: anyone uploads Intel collateral; each item is checked once against the
/// pinned Intel SGX Root CA (its certificates, CRLs, TCB info and QE identity signatures) and stored in the form the
/// quote verifier reads. Freshness is judged at use; an older item never replaces a newer one.
/// @custom:security-contact security@teezk.invalid
interface IDcapCollateralStore is IDcapErrors {
    /// @notice A certificate issued directly by the pinned root (a PCK CA or the TCB signing certificate).
    struct StoredCertificate {
        bytes32 keyX;
        bytes32 keyY;
        /// sha256 of the DER.
        bytes32 certificateHash;
        bytes32 serialHash;
        /// keccak256 of the certificate's PEM block as Intel's quoting libraries write it (64-character lines, LF):
        /// a quote's copy of a stored certificate is matched by this hash, without decoding it.
        bytes32 pemHash;
        uint64 notBefore;
        uint64 notAfter;
        uint32 pemLength;
        bool isCa;
    }

    /// @notice An upload is not newer than what is stored (`what`): older issue date, CRL or evaluation number.
    error CollateralRollback(bytes32 what, bytes32 key);
    /// @notice The certificate's issuer is not the pinned root, or the root itself was uploaded.
    error IssuerNotTrusted(bytes32 issuerNameHash);
    /// @notice The root certificate given at deployment does not have the pinned SHA-256.
    error RootHashMismatch(bytes32 expected, bytes32 actual);
    /// @notice The compact item is too large to store as one code blob.
    error CollateralTooLarge(uint256 length);

    /// @notice A root-issued certificate was stored under its subject name.
    event CertificateStored(bytes32 indexed subjectNameHash, bytes32 certificateHash, bool isCa, uint64 notAfter);
    /// @notice A CRL replaced its issuer's previous one; `revokedCount` serials are now listed.
    event CrlStored(bytes32 indexed issuerNameHash, uint64 thisUpdate, uint64 nextUpdate, uint256 revokedCount);
    /// @notice A TCB info (tee 0 SGX, 1 TDX) was stored for `fmspc`.
    event TcbInfoStored(uint8 indexed tee, bytes6 indexed fmspc, uint32 evaluationDataNumber, uint64 issueDate, uint64 nextUpdate);
    /// @notice A QE identity (tee 0 QE, 1 TD_QE) was stored.
    event QeIdentityStored(uint8 indexed tee, uint32 evaluationDataNumber, uint64 issueDate, uint64 nextUpdate);

    /// @notice sha256 of the pinned root certificate's DER (the Claims' rootHash).
    function rootCertificateHash() external view returns (bytes32);

    /// @notice keccak256 of the root's subject Name DER.
    function rootNameHash() external view returns (bytes32);

    /// @notice Stores a certificate issued by the pinned root, after checking the root's signature over it.
    /// @param der The certificate DER.
    function addCertificate(bytes calldata der) external;

    /// @notice Stores a CRL of the root or of a stored PCK CA, after checking its issuer's signature; its thisUpdate
    /// must be later than the stored one's.
    /// @param der The CRL DER.
    function addCrl(bytes calldata der) external;

    /// @notice Stores a TCB info after checking the signature of a stored TCB signing certificate over the exact JSON.
    /// @param tcbInfoJson The exact bytes of the `tcbInfo` value Intel signed.
    /// @param signature ECDSA P-256 r ‖ s (64 bytes), as Intel serves it.
    /// @param signerNameHash The stored signing certificate's subject name hash.
    function addTcbInfo(bytes calldata tcbInfoJson, bytes calldata signature, bytes32 signerNameHash) external;

    /// @notice Stores a QE identity (QE or TD_QE), checked as addTcbInfo.
    /// @param identityJson The exact bytes of the `enclaveIdentity` value Intel signed.
    /// @param signature ECDSA P-256 r ‖ s (64 bytes).
    /// @param signerNameHash The stored signing certificate's subject name hash.
    function addQeIdentity(bytes calldata identityJson, bytes calldata signature, bytes32 signerNameHash) external;

    /// @notice The certificate stored under a subject name hash (zero key when none).
    function certificate(bytes32 subjectNameHash) external view returns (StoredCertificate memory);

    /// @notice What a use of a stored certificate checks (4 words of the record; zeros when none is stored).
    function certificateStatus(bytes32 subjectNameHash)
        external
        view
        returns (bytes32 certificateHash, bytes32 serialHash, uint64 notBefore, uint64 notAfter);

    /// @notice The CRL window of `issuerNameHash` (zeros when none is stored) and whether it lists `serialHash`.
    function revocation(bytes32 issuerNameHash, bytes32 serialHash)
        external
        view
        returns (uint64 thisUpdate, uint64 nextUpdate, bool revoked);

    /// @notice Code address holding signerNameHash ‖ compact TCB info (after one STOP byte); zero when none.
    function tcbInfoPointer(uint8 tee, bytes6 fmspc) external view returns (address);

    /// @notice Code address holding signerNameHash ‖ compact QE identity (after one STOP byte); zero when none.
    function qeIdentityPointer(uint8 tee) external view returns (address);
}
