// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {P256} from "@openzeppelin/contracts/utils/cryptography/P256.sol";
import {IDcapCollateralStore} from "../../interfaces/IDcapCollateralStore.sol";
import {IDcapErrors} from "../../interfaces/IDcapErrors.sol";
import {DcapCollateralJson} from "./DcapCollateralJson.sol";
import {DcapDer} from "./DcapDer.sol";
import {DcapQuote} from "./DcapQuote.sol";

/// @title DcapTcb
/// @notice Intel's TCB evaluation over the store's compact collateral, as src/evidence/tdx/collateral/
/// evaluateDcapTcb.ts and appraiseDcapCollateral.ts do it: QE identity match and level, platform level (SGX
/// components and PCESVN from the PCK, TDX components from TEE_TCB_SVN), TDX module identity, Intel's convergence.
library DcapTcb {
    using DcapDer for bytes;

    uint256 private constant N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551;

    /// @dev What a quote needs from its PCK leaf; cached per PCK chain by the verifier.
    struct Platform {
        bytes32 keyX;
        bytes32 keyY;
        bytes32 platformId;
        bytes32 caNameHash;
        bytes32 caCertificateHash;
        bytes32 leafSerialHash;
        uint64 notBefore;
        uint64 notAfter;
        bytes16 sgxComponents;
        uint16 pceSvn;
        bytes2 pceId;
        bytes6 fmspc;
    }

    /// @notice ECDSA P-256 with Intel's un-normalised `s` folded into the low half.
    function p256(bytes32 digest, bytes32 r, bytes32 s, bytes32 x, bytes32 y) internal view returns (bool) {
        uint256 sValue = uint256(s);
        if (sValue > N / 2 && sValue < N) sValue = N - sValue;
        return P256.verify(digest, r, bytes32(sValue), x, y);
    }

    /// @notice Reverts unless the issuer's stored CRL is current at block time and does not list the serial.
    function checkNotRevoked(IDcapCollateralStore store, bytes32 issuerNameHash, bytes32 serialHash, bytes32 what) internal view {
        (uint64 thisUpdate, uint64 nextUpdate, bool revoked) = store.revocation(issuerNameHash, serialHash);
        if (thisUpdate == 0) revert IDcapErrors.CollateralMissing(what, issuerNameHash);
        if (block.timestamp < thisUpdate || block.timestamp > nextUpdate) revert IDcapErrors.CollateralExpired(what, issuerNameHash);
        if (revoked) revert IDcapErrors.CertificateRevoked(issuerNameHash, serialHash);
    }

    /// @notice The quote's TCB status byte (Claims.tcbStatus).
    function evaluate(IDcapCollateralStore store, bytes32 rootNameHash, bytes memory q, DcapQuote.Layout memory l, Platform memory p)
        internal
        view
        returns (uint8)
    {
        uint8 tee = l.tdx ? 1 : 0;
        bytes memory qe = _signedItem(store, rootNameHash, store.qeIdentityPointer(tee), "QE identity", bytes32(uint256(tee)));
        uint8 qeStatus = _qeLevel(qe, q, l.qeReportAt);
        bytes memory info = _signedItem(store, rootNameHash, store.tcbInfoPointer(tee, p.fmspc), "TCB info", bytes32(p.fmspc));
        if (bytes2(info.wordAt(27)) != p.pceId) revert IDcapErrors.CollateralMismatch("TCB info PCE-ID");
        uint8 platform = _platformLevel(info, q, l, p);
        uint8 moduleStatus = l.tdx ? _moduleLevel(info, q, l.bodyStart) : 0;
        return _converge(platform, qeStatus, moduleStatus);
    }

    /// @dev The compact item behind `pointer` (signer name hash stripped), current at block time and signed by a
    /// certificate still valid and not revoked by the root CRL.
    function _signedItem(IDcapCollateralStore store, bytes32 rootNameHash, address pointer, bytes32 what, bytes32 key)
        private
        view
        returns (bytes memory item)
    {
        if (pointer == address(0)) revert IDcapErrors.CollateralMissing(what, key);
        bytes32 signer;
        assembly ("memory-safe") {
            let size := sub(extcodesize(pointer), 33)
            item := mload(0x40)
            mstore(item, size)
            extcodecopy(pointer, 0x00, 1, 32)
            signer := mload(0x00)
            extcodecopy(pointer, add(item, 0x20), 33, size)
            mstore(0x40, add(add(item, 0x20), and(add(size, 31), not(31))))
        }
        uint64 issueDate = uint64(bytes8(item.wordAt(0)));
        uint64 nextUpdate = uint64(bytes8(item.wordAt(8)));
        if (block.timestamp < issueDate || block.timestamp > nextUpdate) revert IDcapErrors.CollateralExpired(what, key);
        (bytes32 certificateHash, bytes32 serialHash, uint64 notBefore, uint64 notAfter) = store.certificateStatus(signer);
        if (block.timestamp < notBefore || block.timestamp > notAfter) revert IDcapErrors.CertificateExpired(certificateHash);
        (,, bool revoked) = store.revocation(rootNameHash, serialHash);
        if (revoked) revert IDcapErrors.CertificateRevoked(rootNameHash, serialHash);
    }

    /// @dev MISCSELECT and ATTRIBUTES under their masks, MRSIGNER and ISVPRODID equal; the first level whose
    /// isvsvn the QE's ISVSVN reaches gives the QE's status.
    function _qeLevel(bytes memory qe, bytes memory q, uint256 at) private pure returns (uint8) {
        bytes4 misc = bytes4(q.wordAt(at + 16));
        if (misc & bytes4(qe.wordAt(28)) != bytes4(qe.wordAt(24))) revert IDcapErrors.QeIdentityMismatch("MISCSELECT");
        bytes16 attributes = bytes16(q.wordAt(at + 48));
        if (attributes & bytes16(qe.wordAt(48)) != bytes16(qe.wordAt(32))) revert IDcapErrors.QeIdentityMismatch("ATTRIBUTES");
        if (q.wordAt(at + 128) != qe.wordAt(64)) revert IDcapErrors.QeIdentityMismatch("MRSIGNER");
        if (DcapQuote.u16(q, at + 256) != uint16(bytes2(qe.wordAt(21)))) revert IDcapErrors.QeIdentityMismatch("ISVPRODID");
        uint256 isvSvn = DcapQuote.u16(q, at + 258);
        uint256 count = qe.byteAt(23);
        for (uint256 i; i < count; ++i) {
            uint256 entry = DcapCollateralJson.QE_HEADER_BYTES + 3 * i;
            if (isvSvn >= uint16(bytes2(qe.wordAt(entry)))) return uint8(qe.byteAt(entry + 2));
        }
        revert IDcapErrors.TcbLevelNotFound("QE identity");
    }

    /// @dev The first level, in Intel's order, that the PCK's SGX components and PCESVN and (TDX) TEE_TCB_SVN all
    /// reach; TEE_TCB_SVN bytes 0–1 are the module's own SVNs when byte 1 (its major version) is non-zero.
    function _platformLevel(bytes memory info, bytes memory q, DcapQuote.Layout memory l, Platform memory p)
        private
        pure
        returns (uint8)
    {
        if ((info.byteAt(20) == 1) != l.tdx) revert IDcapErrors.CollateralMismatch("TCB info TEE");
        bytes16 teeTcbSvn = l.tdx ? bytes16(q.wordAt(l.bodyStart)) : bytes16(0);
        uint256 tdxStart = l.tdx && q.byteAt(l.bodyStart + 1) != 0 ? 2 : 0;
        uint256 count = info.byteAt(29);
        for (uint256 i; i < count; ++i) {
            uint256 at = DcapCollateralJson.TCB_HEADER_BYTES + i * DcapCollateralJson.TCB_LEVEL_BYTES;
            if (!_reaches(p.sgxComponents, bytes16(info.wordAt(at)), 0)) continue;
            if (p.pceSvn < uint16(bytes2(info.wordAt(at + 32)))) continue;
            if (l.tdx && !_reaches(teeTcbSvn, bytes16(info.wordAt(at + 16)), tdxStart)) continue;
            return uint8(info.byteAt(at + 34));
        }
        revert IDcapErrors.TcbLevelNotFound("platform");
    }

    /// @dev TDX module: major version 0 checks MRSIGNERSEAM/SEAMATTRIBUTES against `tdxModule` only; otherwise the
    /// identity TDX_<major> must exist, match, and have a level its minor SVN reaches. Returns that level's status
    /// (UpToDate for version 0, which adds no component).
    function _moduleLevel(bytes memory info, bytes memory q, uint256 body) private pure returns (uint8) {
        uint256 version = q.byteAt(body + 1);
        if (version == 0) {
            if (info.byteAt(31) == 1) _checkSeam(info, 32, q, body);
            return 0;
        }
        uint256 at = DcapCollateralJson.TCB_HEADER_BYTES + info.byteAt(29) * DcapCollateralJson.TCB_LEVEL_BYTES;
        uint256 modules = info.byteAt(30);
        for (uint256 m; m < modules; ++m) {
            uint256 levels = info.byteAt(at + 65);
            if (info.byteAt(at) == version) {
                _checkSeam(info, at + 1, q, body);
                uint256 minor = q.byteAt(body);
                for (uint256 i; i < levels; ++i) {
                    uint256 entry = at + 66 + 3 * i;
                    if (minor >= uint16(bytes2(info.wordAt(entry)))) return uint8(info.byteAt(entry + 2));
                }
                revert IDcapErrors.TcbLevelNotFound("TDX module");
            }
            at += 66 + 3 * levels;
        }
        revert IDcapErrors.TcbLevelNotFound("TDX module identity");
    }

    /// @dev mrsigner (48) ‖ attributes (8) ‖ mask (8) at `at` against MRSIGNERSEAM and SEAMATTRIBUTES.
    function _checkSeam(bytes memory info, uint256 at, bytes memory q, uint256 body) private pure {
        if (info.wordAt(at) != q.wordAt(body + 64) || bytes16(info.wordAt(at + 32)) != bytes16(q.wordAt(body + 96))) {
            revert IDcapErrors.TdxModuleMismatch();
        }
        bytes8 attributes = bytes8(q.wordAt(body + 112));
        if (attributes & bytes8(info.wordAt(at + 56)) != bytes8(info.wordAt(at + 48))) revert IDcapErrors.TdxModuleMismatch();
    }

    /// @dev Every byte of `actual` from `start` on is ≥ the same byte of `required`.
    function _reaches(bytes16 actual, bytes16 required, uint256 start) private pure returns (bool) {
        for (uint256 i = start; i < 16; ++i) {
            if (uint8(actual[i]) < uint8(required[i])) return false;
        }
        return true;
    }

    /// @dev Intel's convergence: a component OutOfDate (3, 6) ages UpToDate/SWHardeningNeeded to OutOfDate and the
    /// Configuration statuses to OutOfDateConfigurationNeeded; a Revoked (4) component wins.
    function _converge(uint8 platform, uint8 qe, uint8 module_) private pure returns (uint8 status) {
        status = platform;
        bool outOfDate = qe == 3 || qe == 6 || module_ == 3 || module_ == 6;
        if (outOfDate) {
            if (status == 0 || status == 1) status = 3;
            else if (status == 2 || status == 5) status = 6;
        }
        if (qe == 4 || module_ == 4) status = 4;
    }
}
