// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IDcapErrors} from "../../interfaces/IDcapErrors.sol";
import {DcapDer} from "./DcapDer.sol";

/// @title DcapPck
/// @notice The Intel SGX extension of a PCK certificate (OID 1.2.840.113741.1.13.1): items are matched by OID,
/// not position, each at most once, as the off-chain parser (parsePckExtensions.ts) does.
library DcapPck {
    using DcapDer for bytes;

    /// @dev The SGX extension OID's content bytes, left-aligned: every item OID extends it by one or two arcs.
    bytes9 private constant SGX_OID_PREFIX = 0x2a864886f84d010d01;

    struct Extension {
        /// SGX TCB components 1..16, component 1 in the most significant byte.
        bytes16 sgxComponents;
        uint16 pceSvn;
        bytes2 pceId;
        bytes6 fmspc;
    }

    /// @notice Reads the extension whose OCTET STRING content is data[start:end].
    function parse(bytes memory data, uint256 start, uint256 end) internal pure returns (Extension memory ext) {
        if (end == 0) revert IDcapErrors.CertificateInvalid("no SGX extension");
        DcapDer.Node memory list = data.expect(start, end, DcapDer.SEQUENCE);
        if (list.end != end) revert IDcapErrors.DerInvalid(list.end);
        uint256 seen;
        uint256 cursor = list.start;
        while (cursor < list.end) {
            (uint256 arc, DcapDer.Node memory value, uint256 next) = _item(data, cursor, list.end, 10);
            cursor = next;
            if (seen & (1 << arc) != 0) revert IDcapErrors.CertificateInvalid("SGX item twice");
            seen |= 1 << arc;
            if (arc == 1) {
                _octets(data, value, 16);
            } else if (arc == 2) {
                if (value.tag != DcapDer.SEQUENCE) revert IDcapErrors.DerInvalid(value.headerStart);
                (ext.sgxComponents, ext.pceSvn) = _tcb(data, value);
            } else if (arc == 3) {
                ext.pceId = bytes2(_octets(data, value, 2));
            } else if (arc == 4) {
                ext.fmspc = bytes6(_octets(data, value, 6));
            }
        }
        if (seen & 0x1e != 0x1e) revert IDcapErrors.CertificateInvalid("SGX extension incomplete");
    }

    /// @dev The TCB item: eighteen SEQUENCE { OID <SGX prefix>.2.<n>, value } entries (n 1–16 INTEGER components, 17
    /// INTEGER PCESVN, 18 OCTET STRING(16) CPUSVN), each once, in any order. Each entry is one short-form element
    /// whose fixed header is compared a word at a time: the generic walk cost ~3k gas an entry.
    function _tcb(bytes memory data, DcapDer.Node memory tcb) private pure returns (bytes16 components, uint16 pceSvn) {
        uint256 packed;
        uint256 pce;
        bool ok = true;
        uint256 p = tcb.start;
        uint256 e = tcb.end;
        assembly ("memory-safe") {
            let base := add(data, 0x20)
            let seen := 0
            for {} lt(p, e) {} {
                // 30 len | 06 0b 2a864886f84d010d01 02 | arc | tag len value…
                let w := mload(add(base, p))
                let itemEnd := add(add(p, 2), byte(1, w))
                let len := byte(16, w)
                let arc := byte(14, w)
                let tag := byte(15, w)
                if or(or(iszero(eq(byte(0, w), 0x30)), gt(byte(1, w), 0x7f)), gt(itemEnd, e)) {
                    ok := 0
                    break
                }
                if or(iszero(eq(shr(160, shl(16, w)), 0x060b2a864886f84d010d0102)), or(gt(len, 0x7f), iszero(eq(add(add(p, 17), len), itemEnd)))) {
                    ok := 0
                    break
                }
                if or(or(iszero(arc), gt(arc, 18)), and(seen, shl(arc, 1))) {
                    ok := 0
                    break
                }
                seen := or(seen, shl(arc, 1))
                switch lt(arc, 18)
                case 1 {
                    // A non-negative INTEGER of one to three bytes.
                    if or(or(iszero(eq(tag, 0x02)), or(iszero(len), gt(len, 3))), and(byte(17, w), 0x80)) {
                        ok := 0
                        break
                    }
                    let v := shr(sub(256, shl(3, len)), mload(add(base, add(p, 17))))
                    switch lt(arc, 17)
                    case 1 {
                        if gt(v, 0xff) {
                            ok := 0
                            break
                        }
                        packed := or(packed, shl(shl(3, sub(32, arc)), v))
                    }
                    default {
                        if gt(v, 0xffff) {
                            ok := 0
                            break
                        }
                        pce := v
                    }
                }
                default {
                    if or(iszero(eq(tag, 0x04)), iszero(eq(len, 16))) {
                        ok := 0
                        break
                    }
                }
                p := itemEnd
            }
            if iszero(eq(seen, 0x7fffe)) { ok := 0 }
        }
        if (!ok) revert IDcapErrors.CertificateInvalid("SGX TCB");
        components = bytes16(bytes32(packed));
        pceSvn = uint16(pce);
    }

    /// @dev One SEQUENCE { OID, value } whose OID is the SGX prefix plus one arc (`oidLength` 10) or `2.<arc>` (11).
    function _item(bytes memory data, uint256 at, uint256 end, uint256 oidLength)
        private
        pure
        returns (uint256 arc, DcapDer.Node memory value, uint256 next)
    {
        DcapDer.Node memory entry = data.expect(at, end, DcapDer.SEQUENCE);
        DcapDer.Node memory oid = data.expect(entry.start, entry.end, DcapDer.OID);
        value = data.read(oid.end, entry.end);
        if (value.end != entry.end) revert IDcapErrors.DerInvalid(value.end);
        uint256 length = oid.end - oid.start;
        if (length < 10 || length > 11 || bytes9(data.wordAt(oid.start)) != SGX_OID_PREFIX) {
            revert IDcapErrors.CertificateInvalid("SGX item OID");
        }
        if (length != oidLength || (length == 11 && data.byteAt(oid.start + 9) != 2)) {
            revert IDcapErrors.CertificateInvalid("SGX item OID");
        }
        arc = data.byteAt(oid.end - 1);
        if (arc > 0x7f) revert IDcapErrors.CertificateInvalid("SGX item OID");
        next = entry.end;
    }

    function _octets(bytes memory data, DcapDer.Node memory node, uint256 length) private pure returns (bytes32) {
        if (node.tag != DcapDer.OCTET_STRING || node.end - node.start != length) revert IDcapErrors.DerInvalid(node.headerStart);
        return data.wordAt(node.start);
    }
}
