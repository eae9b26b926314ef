// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IDcapCollateralStore} from "../../interfaces/IDcapCollateralStore.sol";
import {DcapBase64} from "../../libraries/dcap/DcapBase64.sol";
import {DcapCollateralJson} from "../../libraries/dcap/DcapCollateralJson.sol";
import {DcapDer} from "../../libraries/dcap/DcapDer.sol";
import {DcapP256} from "../../libraries/dcap/DcapP256.sol";
import {DcapX509} from "../../libraries/dcap/DcapX509.sol";

/// @title DcapCollateralStore
/// @notice See IDcapCollateralStore. The only trust is the root certificate pinned by its SHA-256 at deployment
/// (Intel's SGX Root CA; a dev deployment pins the dev root). Nothing here is governed: no owner, no upgrade.
/// @dev TCB info and QE identities are kept as code (one STOP byte, then signer name hash ‖ compact form): one
/// EXTCODECOPY reads what a dozen SLOADs would. Revocations are a mapping per issuer, tagged with the generation
/// of the CRL that listed them, so a newer CRL replaces the set without deleting it.
/// @custom:security-contact security@teezk.invalid
contract DcapCollateralStore is IDcapCollateralStore {
    struct CrlRecord {
        uint64 thisUpdate;
        uint64 nextUpdate;
        uint64 generation;
    }

    struct SignedRecord {
        address pointer;
        uint64 issueDate;
        uint32 evaluationDataNumber;
    }

    /// @inheritdoc IDcapCollateralStore
    bytes32 public immutable rootCertificateHash;
    /// @inheritdoc IDcapCollateralStore
    bytes32 public immutable rootNameHash;

    mapping(bytes32 subjectNameHash => StoredCertificate) private _certificates;
    mapping(bytes32 issuerNameHash => CrlRecord) private _crls;
    mapping(bytes32 issuerNameHash => mapping(bytes32 serialHash => uint256 generation)) private _revokedIn;
    mapping(bytes32 key => SignedRecord) private _tcbInfos;
    mapping(uint8 tee => SignedRecord) private _qeIdentities;

    /// @param pinnedRootHash SHA-256 of the root certificate's DER (Intel SGX Root CA: 44a0196b…74d3).
    /// @param rootDer The root certificate itself: it must hash to `pinnedRootHash` and sign itself.
    constructor(bytes32 pinnedRootHash, bytes memory rootDer) {
        bytes32 actual = sha256(rootDer);
        if (actual != pinnedRootHash) revert RootHashMismatch(pinnedRootHash, actual);
        DcapX509.Certificate memory root = DcapX509.parseCertificate(rootDer, 0, rootDer.length);
        if (root.issuerHash != root.subjectHash || !root.isCa) revert CertificateInvalid("root not self-issued CA");
        DcapP256.verifyOrRevert(DcapDer.sha256Range(rootDer, root.tbsStart, root.tbsEnd), root.sigR, root.sigS, root.keyX, root.keyY, "root");
        rootCertificateHash = actual;
        rootNameHash = root.subjectHash;
        _certificates[root.subjectHash] = _record(rootDer, root, actual);
        emit CertificateStored(root.subjectHash, actual, true, root.notAfter);
    }

    /// @inheritdoc IDcapCollateralStore
    function addCertificate(bytes calldata der) external {
        bytes memory data = der;
        DcapX509.Certificate memory cert = DcapX509.parseCertificate(data, 0, data.length);
        if (cert.issuerHash != rootNameHash || cert.subjectHash == rootNameHash) revert IssuerNotTrusted(cert.issuerHash);
        StoredCertificate storage root = _certificates[rootNameHash];
        DcapP256.verifyOrRevert(DcapDer.sha256Range(data, cert.tbsStart, cert.tbsEnd), cert.sigR, cert.sigS, root.keyX, root.keyY, "certificate");
        StoredCertificate storage stored = _certificates[cert.subjectHash];
        if (stored.keyX != 0 && cert.notBefore <= stored.notBefore) revert CollateralRollback("certificate", cert.subjectHash);
        bytes32 certificateHash = sha256(data);
        _certificates[cert.subjectHash] = _record(data, cert, certificateHash);
        emit CertificateStored(cert.subjectHash, certificateHash, cert.isCa, cert.notAfter);
    }

    /// @inheritdoc IDcapCollateralStore
    function addCrl(bytes calldata der) external {
        bytes memory data = der;
        DcapX509.Crl memory crl = DcapX509.parseCrl(data);
        StoredCertificate storage issuer = _certificates[crl.issuerHash];
        if (issuer.keyX == 0 || !issuer.isCa) revert IssuerNotTrusted(crl.issuerHash);
        DcapP256.verifyOrRevert(DcapDer.sha256Range(data, crl.tbsStart, crl.tbsEnd), crl.sigR, crl.sigS, issuer.keyX, issuer.keyY, "CRL");
        CrlRecord storage record = _crls[crl.issuerHash];
        if (crl.thisUpdate <= record.thisUpdate) revert CollateralRollback("CRL", crl.issuerHash);
        uint64 generation = record.generation + 1;
        _crls[crl.issuerHash] = CrlRecord(crl.thisUpdate, crl.nextUpdate, generation);
        mapping(bytes32 => uint256) storage revoked = _revokedIn[crl.issuerHash];
        uint256 count;
        uint256 cursor = crl.revokedStart;
        while (cursor < crl.revokedEnd) {
            bytes32 serialHash;
            (serialHash, cursor) = DcapX509.revokedEntry(data, cursor, crl.revokedEnd);
            revoked[serialHash] = generation;
            ++count;
        }
        emit CrlStored(crl.issuerHash, crl.thisUpdate, crl.nextUpdate, count);
    }

    /// @inheritdoc IDcapCollateralStore
    function addTcbInfo(bytes calldata tcbInfoJson, bytes calldata signature, bytes32 signerNameHash) external {
        bytes memory json = tcbInfoJson;
        _checkSigned(json, signature, signerNameHash);
        bytes memory compact = DcapCollateralJson.parseTcbInfo(json);
        (uint64 issueDate, uint64 nextUpdate, uint32 evaluation, uint8 tee) = _header(compact);
        bytes6 fmspc;
        assembly ("memory-safe") {
            fmspc := mload(add(compact, 53))
        }
        bytes32 key = keccak256(abi.encodePacked(tee, fmspc));
        _tcbInfos[key] = _replace(_tcbInfos[key], signerNameHash, compact, issueDate, evaluation, "TCB info", key);
        emit TcbInfoStored(tee, fmspc, evaluation, issueDate, nextUpdate);
    }

    /// @inheritdoc IDcapCollateralStore
    function addQeIdentity(bytes calldata identityJson, bytes calldata signature, bytes32 signerNameHash) external {
        bytes memory json = identityJson;
        _checkSigned(json, signature, signerNameHash);
        bytes memory compact = DcapCollateralJson.parseEnclaveIdentity(json);
        (uint64 issueDate, uint64 nextUpdate, uint32 evaluation, uint8 tee) = _header(compact);
        _qeIdentities[tee] = _replace(_qeIdentities[tee], signerNameHash, compact, issueDate, evaluation, "QE identity", bytes32(uint256(tee)));
        emit QeIdentityStored(tee, evaluation, issueDate, nextUpdate);
    }

    /// @inheritdoc IDcapCollateralStore
    function certificate(bytes32 subjectNameHash) external view returns (StoredCertificate memory) {
        return _certificates[subjectNameHash];
    }

    /// @inheritdoc IDcapCollateralStore
    function certificateStatus(bytes32 subjectNameHash)
        external
        view
        returns (bytes32 certificateHash, bytes32 serialHash, uint64 notBefore, uint64 notAfter)
    {
        StoredCertificate storage cert = _certificates[subjectNameHash];
        return (cert.certificateHash, cert.serialHash, cert.notBefore, cert.notAfter);
    }

    /// @inheritdoc IDcapCollateralStore
    function revocation(bytes32 issuerNameHash, bytes32 serialHash)
        external
        view
        returns (uint64 thisUpdate, uint64 nextUpdate, bool revoked)
    {
        CrlRecord storage record = _crls[issuerNameHash];
        return (record.thisUpdate, record.nextUpdate, record.generation != 0 && _revokedIn[issuerNameHash][serialHash] == record.generation);
    }

    /// @inheritdoc IDcapCollateralStore
    function tcbInfoPointer(uint8 tee, bytes6 fmspc) external view returns (address) {
        return _tcbInfos[keccak256(abi.encodePacked(tee, fmspc))].pointer;
    }

    /// @inheritdoc IDcapCollateralStore
    function qeIdentityPointer(uint8 tee) external view returns (address) {
        return _qeIdentities[tee].pointer;
    }

    function _record(bytes memory der, DcapX509.Certificate memory cert, bytes32 certificateHash)
        private
        pure
        returns (StoredCertificate memory)
    {
        bytes memory pem = DcapBase64.pemOf(der);
        return StoredCertificate(
            cert.keyX, cert.keyY, certificateHash, cert.serialHash, keccak256(pem), cert.notBefore, cert.notAfter, uint32(pem.length), cert.isCa
        );
    }

    /// @dev A TCB info or QE identity is signed by a stored, non-CA certificate the root issued (Intel's TCB signing
    /// certificate): a PCK CA's key never vouches for TCB levels. Its validity and revocation are judged at use.
    function _checkSigned(bytes memory json, bytes calldata signature, bytes32 signerNameHash) private view {
        StoredCertificate storage signer = _certificates[signerNameHash];
        if (signer.keyX == 0 || signer.isCa) revert IssuerNotTrusted(signerNameHash);
        if (signature.length != 64) revert SignatureInvalid("collateral signature length");
        DcapP256.verifyOrRevert(sha256(json), bytes32(signature[0:32]), bytes32(signature[32:64]), signer.keyX, signer.keyY, "collateral");
    }

    function _header(bytes memory compact) private pure returns (uint64 issueDate, uint64 nextUpdate, uint32 evaluation, uint8 tee) {
        bytes32 word;
        assembly ("memory-safe") {
            word := mload(add(compact, 0x20))
        }
        issueDate = uint64(bytes8(word));
        nextUpdate = uint64(bytes8(word << 64));
        evaluation = uint32(bytes4(word << 128));
        tee = uint8(bytes1(word << 160));
    }

    /// @dev No rollback: a replacement must be issued later, with an evaluation number at least the stored one.
    function _replace(
        SignedRecord storage current,
        bytes32 signerNameHash,
        bytes memory compact,
        uint64 issueDate,
        uint32 evaluation,
        bytes32 what,
        bytes32 key
    ) private returns (SignedRecord memory) {
        if (current.pointer != address(0) && (issueDate <= current.issueDate || evaluation < current.evaluationDataNumber)) {
            revert CollateralRollback(what, key);
        }
        return SignedRecord(_writeCode(abi.encodePacked(signerNameHash, compact)), issueDate, evaluation);
    }

    /// @dev Deploys `data` as the code of a new contract behind a STOP byte (the SSTORE2 pattern).
    function _writeCode(bytes memory data) private returns (address pointer) {
        if (data.length > 24_575) revert CollateralTooLarge(data.length);
        bytes memory init = abi.encodePacked(hex"61", uint16(data.length + 1), hex"80600a3d393df300", data);
        assembly ("memory-safe") {
            pointer := create(0, add(init, 0x20), mload(init))
        }
        if (pointer == address(0)) revert CollateralTooLarge(data.length);
    }
}
