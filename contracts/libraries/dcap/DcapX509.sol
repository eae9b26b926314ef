// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IDcapErrors} from "../../interfaces/IDcapErrors.sol";
import {DcapDer} from "./DcapDer.sol";

/// @title DcapX509
/// @notice The fields of Intel's X.509 certificates and CRLs that DCAP verification uses: ECDSA P-256 keys,
/// ecdsa-with-SHA256 signatures, names (by keccak256 of their DER), serials (by keccak256 of their INTEGER
/// content), validity, basicConstraints' cA and the range of the Intel SGX extension.
library DcapX509 {
    using DcapDer for bytes;

    /// @dev SubjectPublicKeyInfo of an uncompressed P-256 key, up to and including the 0x04 point prefix.
    bytes32 private constant P256_SPKI_PREFIX_HASH = keccak256(hex"3059301306072a8648ce3d020106082a8648ce3d03010703420004");
    uint256 private constant P256_SPKI_PREFIX_BYTES = 27;
    /// @dev AlgorithmIdentifier { ecdsa-with-SHA256 } (no parameters).
    bytes32 private constant ECDSA_SHA256_HASH = keccak256(hex"300a06082a8648ce3d040302");
    bytes32 private constant BASIC_CONSTRAINTS_OID_HASH = keccak256(hex"0603551d13");
    bytes32 private constant SGX_EXTENSION_OID_HASH = keccak256(hex"06092a864886f84d010d01");

    struct Certificate {
        /// The tbsCertificate element, header included: what the issuer signed.
        uint256 tbsStart;
        uint256 tbsEnd;
        bytes32 serialHash;
        bytes32 issuerHash;
        bytes32 subjectHash;
        uint64 notBefore;
        uint64 notAfter;
        bytes32 keyX;
        bytes32 keyY;
        bytes32 sigR;
        bytes32 sigS;
        bool isCa;
        /// Content of the Intel SGX extension's OCTET STRING; both zero when the certificate has none.
        uint256 sgxStart;
        uint256 sgxEnd;
    }

    struct Crl {
        uint256 tbsStart;
        uint256 tbsEnd;
        bytes32 issuerHash;
        uint64 thisUpdate;
        uint64 nextUpdate;
        /// Content of revokedCertificates (zero length when none are listed).
        uint256 revokedStart;
        uint256 revokedEnd;
        bytes32 sigR;
        bytes32 sigS;
    }

    /// @notice Parses a DER certificate occupying data[at:end] exactly.
    function parseCertificate(bytes memory data, uint256 at, uint256 end) internal pure returns (Certificate memory cert) {
        DcapDer.Node memory outer = data.expect(at, end, DcapDer.SEQUENCE);
        if (outer.end != end) revert IDcapErrors.DerInvalid(at);
        DcapDer.Node memory tbs = data.expect(outer.start, outer.end, DcapDer.SEQUENCE);
        cert.tbsStart = tbs.headerStart;
        cert.tbsEnd = tbs.end;
        (cert.sigR, cert.sigS) = _signatureTail(data, tbs.end, outer.end);

        DcapDer.Node memory node = data.read(tbs.start, tbs.end);
        if (node.tag == 0xa0) node = data.read(node.end, tbs.end); // [0] version
        cert.serialHash = _serialHash(data, node);
        node = data.expect(node.end, tbs.end, DcapDer.SEQUENCE);
        if (data.hashOf(node) != ECDSA_SHA256_HASH) revert IDcapErrors.CertificateInvalid("signature algorithm");
        node = data.expect(node.end, tbs.end, DcapDer.SEQUENCE);
        cert.issuerHash = data.hashOf(node);
        DcapDer.Node memory validity = data.expect(node.end, tbs.end, DcapDer.SEQUENCE);
        node = data.read(validity.start, validity.end);
        cert.notBefore = data.timeOf(node);
        node = data.read(node.end, validity.end);
        cert.notAfter = data.timeOf(node);
        if (node.end != validity.end) revert IDcapErrors.DerInvalid(node.end);
        node = data.expect(validity.end, tbs.end, DcapDer.SEQUENCE);
        cert.subjectHash = data.hashOf(node);
        node = data.expect(node.end, tbs.end, DcapDer.SEQUENCE);
        if (node.end - node.headerStart != P256_SPKI_PREFIX_BYTES + 64 || data.hashRange(node.headerStart, node.headerStart + P256_SPKI_PREFIX_BYTES) != P256_SPKI_PREFIX_HASH) {
            revert IDcapErrors.CertificateInvalid("not a P-256 key");
        }
        cert.keyX = data.wordAt(node.headerStart + P256_SPKI_PREFIX_BYTES);
        cert.keyY = data.wordAt(node.headerStart + P256_SPKI_PREFIX_BYTES + 32);
        uint256 cursor = node.end;
        while (cursor < tbs.end) {
            node = data.read(cursor, tbs.end);
            cursor = node.end;
            if (node.tag == 0xa3) _extensions(data, node, cert);
            else if (node.tag != 0x81 && node.tag != 0x82) revert IDcapErrors.DerInvalid(node.headerStart);
        }
    }

    /// @notice Parses a DER CRL occupying all of `data`.
    function parseCrl(bytes memory data) internal pure returns (Crl memory crl) {
        DcapDer.Node memory outer = data.expect(0, data.length, DcapDer.SEQUENCE);
        if (outer.end != data.length) revert IDcapErrors.DerInvalid(0);
        DcapDer.Node memory tbs = data.expect(outer.start, outer.end, DcapDer.SEQUENCE);
        crl.tbsStart = tbs.headerStart;
        crl.tbsEnd = tbs.end;
        (crl.sigR, crl.sigS) = _signatureTail(data, tbs.end, outer.end);

        DcapDer.Node memory node = data.read(tbs.start, tbs.end);
        if (node.tag == DcapDer.INTEGER) node = data.read(node.end, tbs.end); // version v2
        if (node.tag != DcapDer.SEQUENCE || data.hashOf(node) != ECDSA_SHA256_HASH) revert IDcapErrors.CertificateInvalid("CRL signature algorithm");
        node = data.expect(node.end, tbs.end, DcapDer.SEQUENCE);
        crl.issuerHash = data.hashOf(node);
        node = data.read(node.end, tbs.end);
        crl.thisUpdate = data.timeOf(node);
        // nextUpdate is optional in RFC 5280, but a CRL without one can never be judged stale: refuse it.
        node = data.read(node.end, tbs.end);
        crl.nextUpdate = data.timeOf(node);
        uint256 cursor = node.end;
        if (cursor < tbs.end) {
            node = data.read(cursor, tbs.end);
            if (node.tag == DcapDer.SEQUENCE) {
                crl.revokedStart = node.start;
                crl.revokedEnd = node.end;
                cursor = node.end;
                if (cursor < tbs.end) node = data.read(cursor, tbs.end);
            }
            if (cursor < tbs.end) {
                if (node.tag != 0xa0 || node.end != tbs.end) revert IDcapErrors.DerInvalid(node.headerStart);
            }
        }
    }

    /// @notice One revokedCertificates entry at `at`: its serial's hash and where the next entry starts.
    function revokedEntry(bytes memory data, uint256 at, uint256 end) internal pure returns (bytes32 serialHash, uint256 next) {
        DcapDer.Node memory entry = data.expect(at, end, DcapDer.SEQUENCE);
        serialHash = _serialHash(data, data.read(entry.start, entry.end));
        next = entry.end;
    }

    function _serialHash(bytes memory data, DcapDer.Node memory node) private pure returns (bytes32) {
        if (node.tag != DcapDer.INTEGER || node.end == node.start || node.end - node.start > 21) {
            revert IDcapErrors.CertificateInvalid("serial");
        }
        return data.hashRange(node.start, node.end);
    }

    /// @dev signatureAlgorithm (ecdsa-with-SHA256) then the BIT STRING wrapping SEQUENCE { r, s }, ending at `end`.
    function _signatureTail(bytes memory data, uint256 at, uint256 end) private pure returns (bytes32 r, bytes32 s) {
        DcapDer.Node memory alg = data.expect(at, end, DcapDer.SEQUENCE);
        if (data.hashOf(alg) != ECDSA_SHA256_HASH) revert IDcapErrors.CertificateInvalid("signature algorithm");
        DcapDer.Node memory bits = data.expect(alg.end, end, DcapDer.BIT_STRING);
        if (bits.end != end || bits.end == bits.start || data.byteAt(bits.start) != 0) revert IDcapErrors.DerInvalid(alg.end);
        DcapDer.Node memory pair = data.expect(bits.start + 1, bits.end, DcapDer.SEQUENCE);
        if (pair.end != bits.end) revert IDcapErrors.DerInvalid(bits.start);
        DcapDer.Node memory rNode = data.read(pair.start, pair.end);
        DcapDer.Node memory sNode = data.read(rNode.end, pair.end);
        if (sNode.end != pair.end) revert IDcapErrors.DerInvalid(pair.start);
        r = bytes32(data.uintOf(rNode));
        s = bytes32(data.uintOf(sNode));
    }

    function _extensions(bytes memory data, DcapDer.Node memory wrapper, Certificate memory cert) private pure {
        DcapDer.Node memory list = data.expect(wrapper.start, wrapper.end, DcapDer.SEQUENCE);
        if (list.end != wrapper.end) revert IDcapErrors.DerInvalid(list.end);
        uint256 cursor = list.start;
        while (cursor < list.end) {
            DcapDer.Node memory extension = data.expect(cursor, list.end, DcapDer.SEQUENCE);
            cursor = extension.end;
            DcapDer.Node memory oid = data.expect(extension.start, extension.end, DcapDer.OID);
            DcapDer.Node memory value = data.read(oid.end, extension.end);
            if (value.tag == DcapDer.BOOLEAN) value = data.read(value.end, extension.end);
            if (value.tag != DcapDer.OCTET_STRING || value.end != extension.end) revert IDcapErrors.DerInvalid(value.headerStart);
            bytes32 oidHash = data.hashOf(oid);
            if (oidHash == BASIC_CONSTRAINTS_OID_HASH) {
                DcapDer.Node memory constraints = data.expect(value.start, value.end, DcapDer.SEQUENCE);
                if (constraints.start < constraints.end) {
                    DcapDer.Node memory flag = data.read(constraints.start, constraints.end);
                    cert.isCa = flag.tag == DcapDer.BOOLEAN && flag.end == flag.start + 1 && data.byteAt(flag.start) != 0;
                }
            } else if (oidHash == SGX_EXTENSION_OID_HASH) {
                if (cert.sgxEnd != 0) revert IDcapErrors.CertificateInvalid("SGX extension twice");
                cert.sgxStart = value.start;
                cert.sgxEnd = value.end;
            }
        }
    }
}
