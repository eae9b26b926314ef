// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IDcapErrors} from "../../interfaces/IDcapErrors.sol";
import {DcapJson} from "./DcapJson.sol";

/// @title DcapCollateralJson
/// @notice Intel PCS TCB info v3 and enclave identity v2, read from their signed JSON into the compact forms the
/// quote verifier evaluates (layouts below; every multi-byte number big-endian).
///
/// TCB info: issueDate u64 ‖ nextUpdate u64 ‖ tcbEvaluationDataNumber u32 ‖ tee u8 (0 SGX, 1 TDX) ‖ fmspc 6 ‖
/// pceId 2 ‖ levelCount u8 ‖ moduleCount u8 ‖ hasTdxModule u8 ‖ tdxModule (mrsigner 48 ‖ attributes 8 ‖ mask 8)
/// = 96 bytes; then levels, 35 bytes each in Intel's order (sgx components 16 ‖ tdx components 16 ‖ pcesvn u16 ‖
/// status u8); then module identities (version u8 ‖ mrsigner 48 ‖ attributes 8 ‖ mask 8 ‖ count u8 ‖ count ×
/// (isvsvn u16 ‖ status u8)).
///
/// Enclave identity: issueDate u64 ‖ nextUpdate u64 ‖ tcbEvaluationDataNumber u32 ‖ tee u8 ‖ isvProdId u16 ‖
/// levelCount u8 ‖ miscselect 4 ‖ miscselectMask 4 ‖ attributes 16 ‖ attributesMask 16 ‖ mrsigner 32 = 96 bytes;
/// then count × (isvsvn u16 ‖ status u8).
library DcapCollateralJson {
    using DcapJson for bytes;

    uint256 internal constant TCB_HEADER_BYTES = 96;
    uint256 internal constant TCB_LEVEL_BYTES = 35;
    uint256 internal constant QE_HEADER_BYTES = 96;
    uint256 private constant MAX_LEVELS = 64;

    struct Writer {
        bytes buffer;
        uint256 length;
    }

    function _put(Writer memory w, uint256 value, uint256 size) private pure {
        bytes memory buffer = w.buffer;
        uint256 at = w.length;
        for (uint256 i; i < size; ++i) buffer[at + i] = bytes1(uint8(value >> (8 * (size - 1 - i))));
        w.length = at + size;
    }

    function _putBytes(Writer memory w, bytes32 value, uint256 size) private pure {
        _put(w, uint256(value) >> (256 - 8 * size), size);
    }

    function _done(Writer memory w) private pure returns (bytes memory out) {
        out = w.buffer;
        uint256 length = w.length;
        assembly ("memory-safe") {
            mstore(out, length)
        }
    }

    struct Module {
        bytes32 mrsignerHigh;
        bytes32 mrsignerLow;
        bytes32 attributesAndMask;
        uint256 version;
    }

    /// @notice The compact TCB info read from Intel's signed `tcbInfo` JSON value.
    function parseTcbInfo(bytes memory j) internal pure returns (bytes memory compact) {
        Writer memory levels = Writer(new bytes(MAX_LEVELS * TCB_LEVEL_BYTES), 0);
        Writer memory modules = Writer(new bytes(j.length), 0);
        uint256[8] memory h; // issueDate, nextUpdate, evaluation number, tee, fmspc, pceId, levels, levels with TDX
        Module memory tdxModule;
        uint256 moduleCount;
        uint256 seen;
        uint256 p = j.expect(0, 0x7b);
        bool has;
        bytes32 key;
        for (bool first = true; ; first = false) {
            (has, key, p) = j.nextKey(p, first);
            if (!has) break;
            uint256 bit;
            if (key == keccak256("id")) {
                bit = 1;
                bytes32 id;
                (id, p) = j.strHash(p);
                if (id == keccak256("TDX")) h[3] = 1;
                else if (id != keccak256("SGX")) DcapJson.fail(p);
            } else if (key == keccak256("version")) {
                bit = 2;
                uint256 version;
                (version, p) = j.uintValue(p);
                if (version != 3) revert IDcapErrors.CollateralMismatch("TCB info version");
            } else if (key == keccak256("issueDate")) {
                bit = 4;
                (h[0], p) = j.dateValue(p);
            } else if (key == keccak256("nextUpdate")) {
                bit = 8;
                (h[1], p) = j.dateValue(p);
            } else if (key == keccak256("tcbEvaluationDataNumber")) {
                bit = 16;
                (h[2], p) = j.uintValue(p);
                if (h[2] > type(uint32).max) DcapJson.fail(p);
            } else if (key == keccak256("fmspc")) {
                bit = 32;
                bytes32 v;
                (v, p) = j.hexValue(p, 6);
                h[4] = uint256(v) >> 208;
            } else if (key == keccak256("pceId")) {
                bit = 64;
                bytes32 v;
                (v, p) = j.hexValue(p, 2);
                h[5] = uint256(v) >> 240;
            } else if (key == keccak256("tcbType")) {
                bit = 128;
                (, p) = j.uintValue(p);
            } else if (key == keccak256("tdxModule")) {
                bit = 256;
                p = _module(j, p, tdxModule, Writer(new bytes(0), 0), false);
            } else if (key == keccak256("tdxModuleIdentities")) {
                bit = 512;
                (moduleCount, p) = _moduleIdentities(j, p, modules);
            } else if (key == keccak256("tcbLevels")) {
                bit = 1024;
                (h[6], h[7], p) = _tcbLevels(j, p, levels);
            } else {
                p = j.skip(p, 1);
            }
            if (seen & bit != 0) DcapJson.fail(p);
            seen |= bit;
        }
        j.finish(p);
        if (seen & 0x4ff != 0x4ff) DcapJson.fail(p);
        if (h[3] == 1 && h[7] != h[6]) revert IDcapErrors.CollateralMismatch("TDX level lacks tdx components");
        Writer memory header = Writer(new bytes(TCB_HEADER_BYTES), 0);
        _put(header, h[0], 8);
        _put(header, h[1], 8);
        _put(header, h[2], 4);
        _put(header, h[3], 1);
        _put(header, h[4], 6);
        _put(header, h[5], 2);
        _put(header, h[6], 1);
        _put(header, moduleCount, 1);
        _put(header, seen & 256 != 0 ? 1 : 0, 1);
        _putModule(header, tdxModule);
        compact = bytes.concat(_done(header), _done(levels), _done(modules));
    }

    function _putModule(Writer memory w, Module memory m) private pure {
        _putBytes(w, m.mrsignerHigh, 32);
        _putBytes(w, m.mrsignerLow, 16);
        _putBytes(w, m.attributesAndMask, 16);
    }

    /// @dev One TDX module object; an identity (`identity`) also has id "TDX_xx" and tcbLevels (written to `w`).
    function _module(bytes memory j, uint256 p, Module memory m, Writer memory w, bool identity) private pure returns (uint256) {
        p = j.expect(p, 0x7b);
        uint256 seen;
        bool has;
        bytes32 key;
        for (bool first = true; ; first = false) {
            (has, key, p) = j.nextKey(p, first);
            if (!has) break;
            uint256 bit;
            if (key == keccak256("mrsigner")) {
                bit = 1;
                (uint256 s, uint256 e, uint256 next) = j.str(p);
                if (e - s != 96) DcapJson.fail(s);
                m.mrsignerHigh = DcapJson.hexRange(j, s, 32);
                m.mrsignerLow = DcapJson.hexRange(j, s + 64, 16);
                p = next;
            } else if (key == keccak256("attributes")) {
                bit = 2;
                bytes32 v;
                (v, p) = j.hexValue(p, 8);
                m.attributesAndMask |= v;
            } else if (key == keccak256("attributesMask")) {
                bit = 4;
                bytes32 v;
                (v, p) = j.hexValue(p, 8);
                m.attributesAndMask |= v >> 64;
            } else if (identity && key == keccak256("id")) {
                bit = 8;
                (uint256 s, uint256 e, uint256 next) = j.str(p);
                if (e - s != 6 || bytes4(_word(j, s)) != "TDX_") DcapJson.fail(s);
                m.version = uint256(DcapJson.hexRange(j, s + 4, 1)) >> 248;
                p = next;
            } else if (identity && key == keccak256("tcbLevels")) {
                bit = 16;
                p = _enclaveLevels(j, p, w);
            } else {
                p = j.skip(p, 1);
            }
            if (seen & bit != 0) DcapJson.fail(p);
            seen |= bit;
        }
        if (seen != (identity ? 31 : 7)) DcapJson.fail(p);
        return p;
    }

    function _word(bytes memory j, uint256 at) private pure returns (bytes32 value) {
        assembly ("memory-safe") {
            value := mload(add(add(j, 0x20), at))
        }
    }

    function _moduleIdentities(bytes memory j, uint256 p, Writer memory out) private pure returns (uint256 count, uint256) {
        p = j.expect(p, 0x5b);
        bool has;
        for (bool first = true; ; first = false) {
            (has, p) = j.nextElement(p, first);
            if (!has) break;
            Module memory m;
            Writer memory levels = Writer(new bytes(MAX_LEVELS * 3), 0);
            p = _module(j, p, m, levels, true);
            if (++count > MAX_LEVELS) DcapJson.fail(p);
            _put(out, m.version, 1);
            _putModule(out, m);
            _put(out, levels.length / 3, 1);
            bytes memory buffer = out.buffer;
            for (uint256 i; i < levels.length; ++i) buffer[out.length + i] = levels.buffer[i];
            out.length += levels.length;
        }
        return (count, p);
    }

    /// @dev [{ tcb: { isvsvn }, tcbDate, tcbStatus, advisoryIDs? }, …] → count × (isvsvn u16 ‖ status u8).
    function _enclaveLevels(bytes memory j, uint256 p, Writer memory w) private pure returns (uint256) {
        p = j.expect(p, 0x5b);
        bool has;
        uint256 count;
        for (bool first = true; ; first = false) {
            (has, p) = j.nextElement(p, first);
            if (!has) break;
            if (++count > MAX_LEVELS) DcapJson.fail(p);
            p = j.expect(p, 0x7b);
            uint256 isvSvn;
            uint256 status;
            uint256 seen;
            bytes32 key;
            for (bool firstKey = true; ; firstKey = false) {
                (has, key, p) = j.nextKey(p, firstKey);
                if (!has) break;
                uint256 bit;
                if (key == keccak256("tcb")) {
                    bit = 1;
                    p = j.expect(p, 0x7b);
                    (has, key, p) = j.nextKey(p, true);
                    if (!has || key != keccak256("isvsvn")) DcapJson.fail(p);
                    (isvSvn, p) = j.uintValue(p);
                    if (isvSvn > 0xffff) DcapJson.fail(p);
                    (has,, p) = j.nextKey(p, false);
                    if (has) DcapJson.fail(p);
                } else if (key == keccak256("tcbStatus")) {
                    bit = 2;
                    (status, p) = j.statusValue(p);
                } else if (key == keccak256("tcbDate")) {
                    bit = 4;
                    (, p) = j.dateValue(p);
                } else {
                    p = j.skip(p, 2);
                }
                if (seen & bit != 0) DcapJson.fail(p);
                seen |= bit;
            }
            if (seen != 7) DcapJson.fail(p);
            _put(w, isvSvn, 2);
            _put(w, status, 1);
        }
        if (count == 0) DcapJson.fail(p);
        return p;
    }

    /// @dev TCB info levels: { tcb: { sgxtcbcomponents[16], pcesvn, tdxtcbcomponents[16]? }, tcbDate, tcbStatus }.
    function _tcbLevels(bytes memory j, uint256 p, Writer memory w) private pure returns (uint256 count, uint256 withTdx, uint256) {
        p = j.expect(p, 0x5b);
        bool has;
        for (bool first = true; ; first = false) {
            (has, p) = j.nextElement(p, first);
            if (!has) break;
            if (++count > MAX_LEVELS) DcapJson.fail(p);
            p = j.expect(p, 0x7b);
            uint256[4] memory level; // sgx, tdx (bit 255 of [3] marks presence), pcesvn, status
            uint256 seen;
            bytes32 key;
            for (bool firstKey = true; ; firstKey = false) {
                (has, key, p) = j.nextKey(p, firstKey);
                if (!has) break;
                uint256 bit;
                if (key == keccak256("tcb")) {
                    bit = 1;
                    p = _tcb(j, p, level);
                } else if (key == keccak256("tcbStatus")) {
                    bit = 2;
                    (level[3], p) = j.statusValue(p);
                } else if (key == keccak256("tcbDate")) {
                    bit = 4;
                    (, p) = j.dateValue(p);
                } else {
                    p = j.skip(p, 2);
                }
                if (seen & bit != 0) DcapJson.fail(p);
                seen |= bit;
            }
            if (seen != 7) DcapJson.fail(p);
            if (level[1] >> 255 == 1) ++withTdx;
            _put(w, level[0], 16);
            _put(w, level[1] & type(uint128).max, 16);
            _put(w, level[2], 2);
            _put(w, level[3], 1);
        }
        if (count == 0) DcapJson.fail(p);
        return (count, withTdx, p);
    }

    function _tcb(bytes memory j, uint256 p, uint256[4] memory level) private pure returns (uint256) {
        p = j.expect(p, 0x7b);
        uint256 seen;
        bool has;
        bytes32 key;
        for (bool first = true; ; first = false) {
            (has, key, p) = j.nextKey(p, first);
            if (!has) break;
            uint256 bit;
            if (key == keccak256("sgxtcbcomponents")) {
                bit = 1;
                (level[0], p) = _components(j, p);
            } else if (key == keccak256("tdxtcbcomponents")) {
                bit = 2;
                (level[1], p) = _components(j, p);
                level[1] |= 1 << 255;
            } else if (key == keccak256("pcesvn")) {
                bit = 4;
                (level[2], p) = j.uintValue(p);
                if (level[2] > 0xffff) DcapJson.fail(p);
            } else {
                p = j.skip(p, 3);
            }
            if (seen & bit != 0) DcapJson.fail(p);
            seen |= bit;
        }
        if (seen & 5 != 5) DcapJson.fail(p);
        return p;
    }

    /// @dev Sixteen { "svn": n, … } objects → 16 bytes, component 1 first.
    function _components(bytes memory j, uint256 p) private pure returns (uint256 packed, uint256) {
        p = j.expect(p, 0x5b);
        bool has;
        uint256 count;
        for (bool first = true; ; first = false) {
            (has, p) = j.nextElement(p, first);
            if (!has) break;
            if (++count > 16) DcapJson.fail(p);
            p = j.expect(p, 0x7b);
            bool found;
            bytes32 key;
            for (bool firstKey = true; ; firstKey = false) {
                (has, key, p) = j.nextKey(p, firstKey);
                if (!has) break;
                if (key == keccak256("svn")) {
                    if (found) DcapJson.fail(p);
                    found = true;
                    uint256 svn;
                    (svn, p) = j.uintValue(p);
                    if (svn > 0xff) DcapJson.fail(p);
                    packed = (packed << 8) | svn;
                } else {
                    p = j.skip(p, 4);
                }
            }
            if (!found) DcapJson.fail(p);
        }
        if (count != 16) DcapJson.fail(p);
        return (packed, p);
    }

    /// @notice The compact enclave identity (QE or TD_QE) read from Intel's signed `enclaveIdentity` JSON value.
    function parseEnclaveIdentity(bytes memory j) internal pure returns (bytes memory compact) {
        Writer memory levels = Writer(new bytes(MAX_LEVELS * 3), 0);
        uint256[6] memory h; // issueDate, nextUpdate, evaluation number, tee, isvProdId, unused
        bytes32[5] memory f; // miscselect, miscselectMask, attributes, attributesMask, mrsigner
        uint256 seen;
        uint256 p = j.expect(0, 0x7b);
        bool has;
        bytes32 key;
        for (bool first = true; ; first = false) {
            (has, key, p) = j.nextKey(p, first);
            if (!has) break;
            uint256 bit;
            if (key == keccak256("id")) {
                bit = 1;
                bytes32 id;
                (id, p) = j.strHash(p);
                if (id == keccak256("TD_QE")) h[3] = 1;
                else if (id != keccak256("QE")) revert IDcapErrors.CollateralMismatch("enclave identity id");
            } else if (key == keccak256("version")) {
                bit = 2;
                uint256 version;
                (version, p) = j.uintValue(p);
                if (version != 2) revert IDcapErrors.CollateralMismatch("enclave identity version");
            } else if (key == keccak256("issueDate")) {
                bit = 4;
                (h[0], p) = j.dateValue(p);
            } else if (key == keccak256("nextUpdate")) {
                bit = 8;
                (h[1], p) = j.dateValue(p);
            } else if (key == keccak256("tcbEvaluationDataNumber")) {
                bit = 16;
                (h[2], p) = j.uintValue(p);
                if (h[2] > type(uint32).max) DcapJson.fail(p);
            } else if (key == keccak256("miscselect")) {
                bit = 32;
                (f[0], p) = j.hexValue(p, 4);
            } else if (key == keccak256("miscselectMask")) {
                bit = 64;
                (f[1], p) = j.hexValue(p, 4);
            } else if (key == keccak256("attributes")) {
                bit = 128;
                (f[2], p) = j.hexValue(p, 16);
            } else if (key == keccak256("attributesMask")) {
                bit = 256;
                (f[3], p) = j.hexValue(p, 16);
            } else if (key == keccak256("mrsigner")) {
                bit = 512;
                (f[4], p) = j.hexValue(p, 32);
            } else if (key == keccak256("isvprodid")) {
                bit = 1024;
                (h[4], p) = j.uintValue(p);
                if (h[4] > 0xffff) DcapJson.fail(p);
            } else if (key == keccak256("tcbLevels")) {
                bit = 2048;
                p = _enclaveLevels(j, p, levels);
            } else {
                p = j.skip(p, 1);
            }
            if (seen & bit != 0) DcapJson.fail(p);
            seen |= bit;
        }
        j.finish(p);
        if (seen != 4095) DcapJson.fail(p);
        Writer memory header = Writer(new bytes(QE_HEADER_BYTES), 0);
        _put(header, h[0], 8);
        _put(header, h[1], 8);
        _put(header, h[2], 4);
        _put(header, h[3], 1);
        _put(header, h[4], 2);
        _put(header, levels.length / 3, 1);
        _putBytes(header, f[0], 4);
        _putBytes(header, f[1], 4);
        _putBytes(header, f[2], 16);
        _putBytes(header, f[3], 16);
        _putBytes(header, f[4], 32);
        compact = bytes.concat(_done(header), _done(levels));
    }
}
