// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IAttestationVerifier} from "../../interfaces/IAttestationVerifier.sol";
import {Claims} from "../../interfaces/IClaims.sol";
import {IDcapAttestationVerifier} from "../../interfaces/IDcapAttestationVerifier.sol";
import {IDcapCollateralStore} from "../../interfaces/IDcapCollateralStore.sol";
import {DcapBase64} from "../../libraries/dcap/DcapBase64.sol";
import {DcapDer} from "../../libraries/dcap/DcapDer.sol";
import {DcapP256} from "../../libraries/dcap/DcapP256.sol";
import {DcapPck} from "../../libraries/dcap/DcapPck.sol";
import {DcapQuote} from "../../libraries/dcap/DcapQuote.sol";
import {DcapTcb} from "../../libraries/dcap/DcapTcb.sol";
import {DcapX509} from "../../libraries/dcap/DcapX509.sol";

/// @title DcapAttestationVerifier
/// @notice The third EnclaveRegistry route: the proof is the raw quote, verified here against the collateral store
/// at block time; the route vouches for the claims only if they are the quote's (timestamp at most block time).
/// @dev Immutable; the store it reads is fixed at deployment.
/// @custom:security-contact security@teezk.invalid
contract DcapAttestationVerifier is IAttestationVerifier, IDcapAttestationVerifier {
    using DcapDer for bytes;

    uint256 public constant ENCODED_CLAIMS_BYTES = 288;
    uint8 private constant TEE_TYPE_TDX = 1;
    uint8 private constant TEE_TYPE_SGX = 5;

    /// @notice The collateral store every quote is judged against.
    IDcapCollateralStore public immutable store;
    bytes32 private immutable _rootHash;
    bytes32 private immutable _rootNameHash;
    bytes32 private immutable _rootPemHash;
    uint256 private immutable _rootPemLength;
    uint64 private immutable _rootNotBefore;
    uint64 private immutable _rootNotAfter;

    mapping(bytes32 pemHash => DcapTcb.Platform) private _platforms;

    /// @param store_ The collateral store (it pins the root).
    constructor(IDcapCollateralStore store_) {
        store = store_;
        _rootHash = store_.rootCertificateHash();
        _rootNameHash = store_.rootNameHash();
        IDcapCollateralStore.StoredCertificate memory root = store_.certificate(_rootNameHash);
        _rootPemHash = root.pemHash;
        _rootPemLength = root.pemLength;
        _rootNotBefore = root.notBefore;
        _rootNotAfter = root.notAfter;
    }

    /// @inheritdoc IAttestationVerifier
    function verifyAttestation(bytes calldata encodedClaims, bytes calldata proof) external view {
        if (encodedClaims.length != ENCODED_CLAIMS_BYTES) revert CompositeNotSupported(encodedClaims.length);
        Claims memory derived = _verify(proof);
        // The registered timestamp may be earlier than the block (the transaction waited), never later: every check
        // above ran at block time, which only a fresher claim could contradict.
        uint64 claimed = uint64(bytes8(encodedClaims[184:192]));
        if (claimed <= block.timestamp) derived.timestamp = claimed;
        bytes32 expected = keccak256(abi.encode(derived));
        bytes32 actual = keccak256(encodedClaims);
        if (expected != actual) revert ClaimsMismatch(expected, actual);
    }

    /// @inheritdoc IDcapAttestationVerifier
    function verifyQuote(bytes calldata quote) external view returns (Claims memory claims) {
        return _verify(quote);
    }

    /// @inheritdoc IDcapAttestationVerifier
    function rememberPlatform(bytes calldata quote) external {
        bytes memory q = quote;
        DcapQuote.Layout memory l = DcapQuote.parse(q);
        DcapTcb.Platform memory p = _parsePlatform(q, l);
        bytes32 pemHash = q.hashRange(l.pemStart, l.pemEnd);
        _platforms[pemHash] = p;
        emit PlatformRemembered(pemHash, p.platformId);
    }

    /// @inheritdoc IDcapAttestationVerifier
    function isPlatformRemembered(bytes32 pemHash) external view returns (bool) {
        return _platforms[pemHash].keyX != 0;
    }

    function _verify(bytes calldata quote) private view returns (Claims memory claims) {
        bytes memory q = quote;
        DcapQuote.Layout memory l = DcapQuote.parse(q);
        DcapTcb.Platform memory p = _platforms[q.hashRange(l.pemStart, l.pemEnd)];
        if (p.keyX == 0) p = _parsePlatform(q, l);
        _checkChain(p);
        _checkSignatures(q, l, p);
        uint8 tcbStatus = DcapTcb.evaluate(store, _rootNameHash, q, l, p);

        claims.platformId = p.platformId;
        claims.rootHash = _rootHash;
        claims.timestamp = uint64(block.timestamp);
        claims.tcbStatus = tcbStatus;
        uint256 b = l.bodyStart;
        if (l.tdx) {
            claims.teeType = TEE_TYPE_TDX;
            bytes memory registers = bytes.concat(_slice(q, b + 136, 96), _slice(q, b + 328, 144));
            claims.measurement = sha256(registers);
            claims.reportData = q.wordAt(b + 520);
            claims.svn = uint48((q.byteAt(b + 1) << 8) | q.byteAt(b));
            claims.debug = q.byteAt(b + 120) & 0x01 != 0;
        } else {
            claims.teeType = TEE_TYPE_SGX;
            claims.measurement = sha256(bytes.concat(_slice(q, b + 64, 32), _slice(q, b + 128, 32)));
            claims.reportData = q.wordAt(b + 320);
            claims.svn = uint48(DcapQuote.u16(q, b + 258));
            claims.debug = q.byteAt(b + 48) & 0x02 != 0;
        }
    }

    /// @dev The PCK chain in the quote: the leaf (decoded and parsed), then the stored PCK CA and the pinned root,
    /// each matched by the hash of its PEM block rather than decoded; only whitespace and NUL padding may follow.
    function _parsePlatform(bytes memory q, DcapQuote.Layout memory l) private view returns (DcapTcb.Platform memory p) {
        uint256 end = l.pemEnd;
        while (end > l.pemStart && q.byteAt(end - 1) == 0) --end;
        uint256 cursor = _skipSpace(q, l.pemStart, end);
        if (cursor + 27 > end || bytes27(q.wordAt(cursor)) != DcapBase64.BEGIN) revert QuoteInvalid("PEM");
        bytes memory leafDer;
        (leafDer, cursor) = DcapBase64.decodeBlock(q, cursor + 27, end);
        DcapX509.Certificate memory leaf = DcapX509.parseCertificate(leafDer, 0, leafDer.length);
        if (leaf.isCa) revert CertificateChainInvalid("leaf is a CA");
        if (leaf.issuerHash == _rootNameHash) revert CertificateChainInvalid("leaf issued by the root");
        IDcapCollateralStore.StoredCertificate memory ca = store.certificate(leaf.issuerHash);
        if (ca.keyX == 0 || !ca.isCa) revert CollateralMissing("PCK CA certificate", leaf.issuerHash);
        cursor = _expectBlock(q, _skipSpace(q, cursor, end), end, ca.pemHash, ca.pemLength, "PCK CA is not the stored one");
        cursor = _expectBlock(q, _skipSpace(q, cursor, end), end, _rootPemHash, _rootPemLength, "root not pinned");
        if (_skipSpace(q, cursor, end) != end) revert CertificateChainInvalid("not leaf, PCK CA, root");
        DcapP256.verifyOrRevert(leafDer.sha256Range(leaf.tbsStart, leaf.tbsEnd), leaf.sigR, leaf.sigS, ca.keyX, ca.keyY, "PCK certificate");
        DcapPck.Extension memory ext = DcapPck.parse(leafDer, leaf.sgxStart, leaf.sgxEnd);
        p.keyX = leaf.keyX;
        p.keyY = leaf.keyY;
        p.platformId = sha256(leafDer);
        p.caNameHash = leaf.issuerHash;
        p.caCertificateHash = ca.certificateHash;
        p.leafSerialHash = leaf.serialHash;
        p.notBefore = leaf.notBefore;
        p.notAfter = leaf.notAfter;
        p.sgxComponents = ext.sgxComponents;
        p.pceSvn = ext.pceSvn;
        p.pceId = ext.pceId;
        p.fmspc = ext.fmspc;
    }

    /// @dev Validity of leaf, CA and root at block time; the PCK CRL must not list the leaf, the root CRL the CA.
    function _checkChain(DcapTcb.Platform memory p) private view {
        if (block.timestamp < p.notBefore || block.timestamp > p.notAfter) revert CertificateExpired(p.platformId);
        (bytes32 caHash, bytes32 caSerial, uint64 caNotBefore, uint64 caNotAfter) = store.certificateStatus(p.caNameHash);
        if (caHash != p.caCertificateHash) revert CertificateChainInvalid("PCK CA is not the stored one");
        if (block.timestamp < caNotBefore || block.timestamp > caNotAfter) revert CertificateExpired(caHash);
        if (block.timestamp < _rootNotBefore || block.timestamp > _rootNotAfter) revert CertificateExpired(_rootHash);
        DcapTcb.checkNotRevoked(store, _rootNameHash, caSerial, "root CA CRL");
        DcapTcb.checkNotRevoked(store, p.caNameHash, p.leafSerialHash, "PCK CRL");
    }

    /// @dev QE report signed by the PCK key, its report data binding the attestation key, the quote signed by it.
    function _checkSignatures(bytes memory q, DcapQuote.Layout memory l, DcapTcb.Platform memory p) private view {
        uint256 qe = l.qeReportAt;
        bytes32 qeDigest = q.sha256Range(qe, qe + DcapQuote.ENCLAVE_REPORT_BYTES);
        if (!DcapTcb.p256(qeDigest, q.wordAt(l.qeSignatureAt), q.wordAt(l.qeSignatureAt + 32), p.keyX, p.keyY)) {
            revert QeReportInvalid();
        }
        uint256 key = l.signatureAt + 64;
        bytes32 binding = sha256(bytes.concat(_slice(q, key, 64), _slice(q, l.authStart, l.authEnd - l.authStart)));
        if (q.wordAt(qe + 320) != binding || q.wordAt(qe + 352) != 0) revert QeReportInvalid();
        bytes32 quoteDigest = q.sha256Range(0, l.bodyEnd);
        if (!DcapTcb.p256(quoteDigest, q.wordAt(l.signatureAt), q.wordAt(l.signatureAt + 32), q.wordAt(key), q.wordAt(key + 32))) {
            revert SignatureInvalid("quote");
        }
    }

    function _expectBlock(bytes memory q, uint256 at, uint256 end, bytes32 pemHash, uint256 length, bytes32 reason)
        private
        pure
        returns (uint256)
    {
        if (at + length > end || q.hashRange(at, at + length) != pemHash) revert CertificateChainInvalid(reason);
        return at + length;
    }

    function _skipSpace(bytes memory q, uint256 cursor, uint256 end) private pure returns (uint256) {
        while (cursor < end) {
            uint256 c = q.byteAt(cursor);
            if (c != 0x0a && c != 0x0d && c != 0x20 && c != 0x09) break;
            ++cursor;
        }
        return cursor;
    }

    function _slice(bytes memory data, uint256 start, uint256 length) private pure returns (bytes memory out) {
        out = new bytes(length);
        assembly ("memory-safe") {
            mcopy(add(out, 0x20), add(add(data, 0x20), start), length)
        }
    }
}
