// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Base64} from "@openzeppelin/contracts/utils/Base64.sol";
import {IDcapErrors} from "../../interfaces/IDcapErrors.sol";

/// @title DcapBase64
/// @notice PEM certificate blocks as DCAP quotes carry them. Decoding reads the quote in place, a 64-character line
/// (16 groups) per step where the line is clean, character by character otherwise (the last line, padding, CR LF):
/// a per-character loop costs ~50 gas a character, ~100k for a PCK leaf, the line step a third of that.
library DcapBase64 {
    bytes27 internal constant BEGIN = "-----BEGIN CERTIFICATE-----";
    bytes25 internal constant END = "-----END CERTIFICATE-----";

    /// @notice Decodes the base64 body that starts at `cursor` (just after a BEGIN marker) up to its END marker;
    /// returns the DER and the offset after the END marker.
    function decodeBlock(bytes memory data, uint256 cursor, uint256 end) internal pure returns (bytes memory out, uint256 next) {
        bool ok;
        uint256 endAt;
        assembly ("memory-safe") {
            let base := add(data, 0x20)
            let table := mload(0x40)
            mstore(table, 0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff)
            mstore(add(table, 0x20), 0xffffffffffffffffffffff3effffff3f3435363738393a3b3c3dffffffffffff)
            mstore(add(table, 0x40), 0xff000102030405060708090a0b0c0d0e0f10111213141516171819ffffffffff)
            mstore(add(table, 0x60), 0xff1a1b1c1d1e1f202122232425262728292a2b2c2d2e2f30313233ffffffffff)
            out := add(table, 0x80)
            let o := add(out, 0x20)
            let p := cursor
            let acc := 0
            let n := 0
            let pads := 0
            ok := 0
            for {} lt(p, end) {} {
                // A clean 64-character line followed by LF, at a group boundary: 16 groups at once.
                if and(and(iszero(n), iszero(pads)), lt(add(p, 64), end)) {
                    if eq(byte(0, mload(add(base, add(p, 64)))), 0x0a) {
                        let bad := 0
                        for { let g := 0 } lt(g, 16) { g := add(g, 1) } {
                            let w := mload(add(base, add(p, shl(2, g))))
                            let c0 := byte(0, w)
                            let c1 := byte(1, w)
                            let c2 := byte(2, w)
                            let c3 := byte(3, w)
                            let t0 := byte(0, mload(add(table, and(c0, 0x7f))))
                            let t1 := byte(0, mload(add(table, and(c1, 0x7f))))
                            let t2 := byte(0, mload(add(table, and(c2, 0x7f))))
                            let t3 := byte(0, mload(add(table, and(c3, 0x7f))))
                            bad := or(bad, or(or(or(t0, t1), or(t2, t3)), or(or(c0, c1), or(c2, c3))))
                            mstore(add(o, mul(3, g)), shl(232, or(or(shl(18, t0), shl(12, t1)), or(shl(6, t2), t3))))
                        }
                        if iszero(and(bad, 0x80)) {
                            o := add(o, 48)
                            p := add(p, 65)
                            continue
                        }
                    }
                }
                let c := byte(0, mload(add(base, p)))
                if eq(c, 0x2d) {
                    ok := 1
                    break
                }
                p := add(p, 1)
                if or(eq(c, 0x0a), eq(c, 0x0d)) { continue }
                switch eq(c, 0x3d)
                case 1 {
                    pads := add(pads, 1)
                    acc := shl(6, acc)
                }
                default {
                    let v := 0xff
                    if lt(c, 0x80) { v := byte(0, mload(add(table, c))) }
                    if or(gt(v, 63), pads) { break }
                    acc := or(shl(6, acc), v)
                }
                n := add(n, 1)
                if eq(n, 4) {
                    mstore(o, shl(232, acc))
                    o := add(o, 3)
                    acc := 0
                    n := 0
                }
            }
            if or(n, gt(pads, 2)) { ok := 0 }
            mstore(out, sub(sub(o, add(out, 0x20)), pads))
            mstore(0x40, add(o, 0x40))
            endAt := p
        }
        if (!ok || endAt + 25 > end || bytes25(_word(data, endAt)) != END) revert IDcapErrors.QuoteInvalid("PEM");
        next = endAt + 25;
    }

    /// @notice The PEM block of `der` as Intel's libraries write it: BEGIN, 64-character lines, END, LF-separated.
    function pemOf(bytes memory der) internal pure returns (bytes memory pem) {
        bytes memory text = bytes(Base64.encode(der));
        uint256 lines = (text.length + 63) / 64;
        pem = new bytes(27 + 1 + text.length + lines + 25);
        uint256 o;
        assembly ("memory-safe") {
            let dst := add(pem, 0x20)
            mstore(dst, "-----BEGIN CERTIFICATE-----")
            mstore8(add(dst, 27), 0x0a)
            o := 28
            let src := add(text, 0x20)
            let left := mload(text)
            for {} gt(left, 0) {} {
                let take := 64
                if lt(left, 64) { take := left }
                mcopy(add(dst, o), src, take)
                o := add(o, take)
                mstore8(add(dst, o), 0x0a)
                o := add(o, 1)
                src := add(src, take)
                left := sub(left, take)
            }
        }
        bytes25 endMarker = END;
        assembly ("memory-safe") {
            let at := add(add(pem, 0x20), o)
            let after := mload(add(at, 25))
            mstore(at, endMarker)
            mstore(add(at, 25), after)
        }
    }

    function _word(bytes memory data, uint256 at) private pure returns (bytes32 value) {
        assembly ("memory-safe") {
            value := mload(add(add(data, 0x20), at))
        }
    }
}
