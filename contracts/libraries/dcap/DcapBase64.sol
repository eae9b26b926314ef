// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Base64} from "@openzeppelin/contracts/utils/Base64.sol";
import {IDcapErrors} from "../../interfaces/IDcapErrors.sol";

/// @title DcapBase64
/// @notice PEM certificate blocks as DCAP quotes carry them. Decoding reads the quote in place: a clean 64-character
/// line as two 32-character words decoded lane-parallel (SWAR: range masks pick each lane's offset, then sextets are
/// packed pairwise), character by character otherwise (the last line, padding, CR LF). A table lookup per
/// character costs ~100 gas in the EVM; the word step ~10 per character.
library DcapBase64 {
    bytes27 internal constant BEGIN = "-----BEGIN CERTIFICATE-----";
    bytes25 internal constant END = "-----END CERTIFICATE-----";

    /// @notice Decodes the base64 body that starts at `cursor` (just after a BEGIN marker) up to its END marker;
    /// returns the DER and the offset after the END marker.
    function decodeBlock(bytes memory data, uint256 cursor, uint256 end) internal pure returns (bytes memory out, uint256 next) {
        bool ok;
        uint256 endAt;
        assembly ("memory-safe") {
            // 32 base64 characters → 24 bytes, left-aligned; ok = 0 if any lane is not in A–Z a–z 0–9 + /.
            // Lanes stay below 0x80 once checked, so lane-wise compares and adds never carry across lanes.
            function swar(x) -> decoded, valid {
                let ones := 0x0101010101010101010101010101010101010101010101010101010101010101
                let high := mul(ones, 0x80)
                let xh := or(x, high)
                let geUpper := and(sub(xh, mul(ones, 65)), high)
                let upper := and(geUpper, not(and(sub(xh, mul(ones, 91)), high)))
                let lower := and(and(sub(xh, mul(ones, 97)), high), not(and(sub(xh, mul(ones, 123)), high)))
                let geDigit := and(sub(xh, mul(ones, 48)), high)
                let digit := and(geDigit, not(and(sub(xh, mul(ones, 58)), high)))
                let plus := and(and(sub(xh, mul(ones, 43)), high), not(and(sub(xh, mul(ones, 44)), high)))
                let slash := and(and(sub(xh, mul(ones, 47)), high), not(geDigit))
                valid := and(iszero(and(x, high)), eq(or(or(or(upper, lower), or(digit, plus)), slash), high))
                let offset := or(
                    or(and(mul(shr(7, upper), 0xff), mul(ones, 0xbf)), and(mul(shr(7, lower), 0xff), mul(ones, 0xb9))),
                    or(or(and(mul(shr(7, digit), 0xff), mul(ones, 0x04)), and(mul(shr(7, plus), 0xff), mul(ones, 0x13))), and(mul(shr(7, slash), 0xff), mul(ones, 0x10)))
                )
                let low := mul(ones, 0x7f)
                let v := xor(add(and(x, low), and(offset, low)), and(xor(x, offset), high))
                v := or(shr(2, and(v, 0xff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00)), and(v, 0x00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff))
                v := or(shr(4, and(v, 0xffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000)), and(v, 0x0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff))
                v := or(shr(8, and(v, 0xffffffff00000000ffffffff00000000ffffffff00000000ffffffff00000000)), and(v, 0x00000000ffffffff00000000ffffffff00000000ffffffff00000000ffffffff))
                v := or(shr(16, and(v, 0xffffffffffffffff0000000000000000ffffffffffffffff0000000000000000)), and(v, 0x0000000000000000ffffffffffffffff0000000000000000ffffffffffffffff))
                v := or(shr(32, and(v, 0xffffffffffffffffffffffffffffffff00000000000000000000000000000000)), and(v, 0x00000000000000000000000000000000ffffffffffffffffffffffffffffffff))
                decoded := shl(64, v)
            }
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
                // A clean 64-character line followed by LF, at a group boundary: two words of 32 characters, each
                // decoded lane-parallel (swar), 48 bytes out.
                if and(and(iszero(n), iszero(pads)), lt(add(p, 64), end)) {
                    if eq(byte(0, mload(add(base, add(p, 64)))), 0x0a) {
                        let first, firstOk := swar(mload(add(base, p)))
                        let second, secondOk := swar(mload(add(base, add(p, 32))))
                        if and(firstOk, secondOk) {
                            mstore(o, first)
                            mstore(add(o, 24), second)
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
