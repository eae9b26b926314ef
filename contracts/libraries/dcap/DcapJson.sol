// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IDcapErrors} from "../../interfaces/IDcapErrors.sol";
import {DcapDer} from "./DcapDer.sol";

/// @title DcapJson
/// @notice A strict reader for the JSON Intel signs (TCB info, enclave identity): objects, arrays, strings without
/// escapes, unsigned integers, true/false/null. It walks the exact signed bytes, so what the store keeps is read
/// from what Intel signed, never from an uploader's decoding. Anything outside that subset is JsonInvalid.
library DcapJson {
    using DcapDer for bytes;

    uint256 private constant MAX_DEPTH = 8;

    function fail(uint256 at) internal pure {
        revert IDcapErrors.JsonInvalid(at);
    }

    function space(bytes memory j, uint256 p) internal pure returns (uint256) {
        while (p < j.length) {
            uint256 c = j.byteAt(p);
            if (c != 0x20 && c != 0x0a && c != 0x0d && c != 0x09) break;
            ++p;
        }
        return p;
    }

    /// @notice Skips whitespace, then requires `c`.
    function expect(bytes memory j, uint256 p, uint256 c) internal pure returns (uint256) {
        p = space(j, p);
        if (p >= j.length || j.byteAt(p) != c) fail(p);
        return p + 1;
    }

    /// @notice Whether the next token is `c` (consumed if so).
    function take(bytes memory j, uint256 p, uint256 c) internal pure returns (bool, uint256) {
        p = space(j, p);
        if (p < j.length && j.byteAt(p) == c) return (true, p + 1);
        return (false, p);
    }

    /// @notice A string's content range; escapes and control characters are refused.
    function str(bytes memory j, uint256 p) internal pure returns (uint256 start, uint256 end, uint256 next) {
        p = expect(j, p, 0x22);
        start = p;
        while (true) {
            if (p >= j.length) fail(p);
            uint256 c = j.byteAt(p);
            if (c == 0x22) break;
            if (c == 0x5c || c < 0x20) fail(p);
            ++p;
        }
        end = p;
        next = p + 1;
    }

    /// @notice keccak256 of a string's content.
    function strHash(bytes memory j, uint256 p) internal pure returns (bytes32 digest, uint256 next) {
        uint256 start;
        uint256 end;
        (start, end, next) = str(j, p);
        digest = j.hashRange(start, end);
    }

    /// @notice An unsigned integer below 2^64 (no sign, fraction, exponent or leading zero).
    function uintValue(bytes memory j, uint256 p) internal pure returns (uint256 value, uint256 next) {
        p = space(j, p);
        uint256 start = p;
        while (p < j.length) {
            uint256 c = j.byteAt(p);
            if (c < 0x30 || c > 0x39) break;
            value = value * 10 + (c - 0x30);
            if (value >= 1 << 64) fail(p);
            ++p;
        }
        if (p == start || (j.byteAt(start) == 0x30 && p > start + 1)) fail(start);
        if (p < j.length) {
            uint256 c = j.byteAt(p);
            if (c == 0x2e || c == 0x65 || c == 0x45) fail(p);
        }
        next = p;
    }

    /// @notice A hex string of exactly `length` bytes, left-aligned (length ≤ 32).
    function hexValue(bytes memory j, uint256 p, uint256 length) internal pure returns (bytes32 value, uint256 next) {
        uint256 start;
        uint256 end;
        (start, end, next) = str(j, p);
        if (end - start != 2 * length || length > 32) fail(start);
        value = hexRange(j, start, length);
    }

    /// @notice `length` bytes (≤ 32) from hex text at `start`, left-aligned.
    function hexRange(bytes memory j, uint256 start, uint256 length) internal pure returns (bytes32 value) {
        uint256 acc;
        for (uint256 i; i < 2 * length; ++i) acc = (acc << 4) | nibble(j, start + i);
        value = bytes32(acc << (256 - 8 * length));
    }

    function nibble(bytes memory j, uint256 at) internal pure returns (uint256) {
        uint256 c = j.byteAt(at);
        if (c >= 0x30 && c <= 0x39) return c - 0x30;
        if (c >= 0x61 && c <= 0x66) return c - 0x57;
        if (c >= 0x41 && c <= 0x46) return c - 0x37;
        revert IDcapErrors.JsonInvalid(at);
    }

    /// @notice An ISO 8601 UTC date "YYYY-MM-DDTHH:MM:SS[.fraction]Z" as Unix seconds (a fraction is dropped:
    /// Intel writes none; JavaScript's toISOString writes milliseconds).
    function dateValue(bytes memory j, uint256 p) internal pure returns (uint64 value, uint256 next) {
        uint256 s;
        uint256 e;
        (s, e, next) = str(j, p);
        if (e - s < 20 || e - s > 30) revert IDcapErrors.TimeInvalid();
        if (j.byteAt(s + 4) != 0x2d || j.byteAt(s + 7) != 0x2d || j.byteAt(s + 10) != 0x54 || j.byteAt(s + 13) != 0x3a
            || j.byteAt(s + 16) != 0x3a || j.byteAt(e - 1) != 0x5a) revert IDcapErrors.TimeInvalid();
        if (e - s > 20) {
            if (e - s == 21 || j.byteAt(s + 19) != 0x2e) revert IDcapErrors.TimeInvalid();
            DcapDer.digits(j, s + 20, e - s - 21);
        }
        value = DcapDer.toUnix(
            DcapDer.digits(j, s, 4), DcapDer.digits(j, s + 5, 2), DcapDer.digits(j, s + 8, 2),
            DcapDer.digits(j, s + 11, 2), DcapDer.digits(j, s + 14, 2), DcapDer.digits(j, s + 17, 2)
        );
    }

    /// @notice After '{' (first = true) or after a member's value: the next member's key hash, or none at '}'.
    function nextKey(bytes memory j, uint256 p, bool first) internal pure returns (bool has, bytes32 key, uint256 next) {
        (bool closed, uint256 q) = take(j, p, 0x7d);
        if (closed) return (false, 0, q);
        if (!first) q = expect(j, q, 0x2c);
        (key, q) = strHash(j, q);
        next = expect(j, q, 0x3a);
        has = true;
    }

    /// @notice After '[' (first = true) or after an element: whether another element follows.
    function nextElement(bytes memory j, uint256 p, bool first) internal pure returns (bool has, uint256 next) {
        (bool closed, uint256 q) = take(j, p, 0x5d);
        if (closed) return (false, q);
        if (!first) q = expect(j, q, 0x2c);
        return (true, q);
    }

    /// @notice Skips any value, nested at most MAX_DEPTH deep.
    function skip(bytes memory j, uint256 p, uint256 depth) internal pure returns (uint256) {
        if (depth > MAX_DEPTH) fail(p);
        p = space(j, p);
        if (p >= j.length) fail(p);
        uint256 c = j.byteAt(p);
        if (c == 0x22) {
            (,, p) = str(j, p);
            return p;
        }
        if (c == 0x7b) {
            bool has;
            bool first = true;
            p = p + 1;
            while (true) {
                (has,, p) = nextKey(j, p, first);
                if (!has) return p;
                p = skip(j, p, depth + 1);
                first = false;
            }
        }
        if (c == 0x5b) {
            bool has;
            bool first = true;
            p = p + 1;
            while (true) {
                (has, p) = nextElement(j, p, first);
                if (!has) return p;
                p = skip(j, p, depth + 1);
                first = false;
            }
        }
        if (c >= 0x30 && c <= 0x39) {
            (, p) = uintValue(j, p);
            return p;
        }
        if (p + 4 <= j.length && bytes4(j.wordAt(p)) == "true") return p + 4;
        if (p + 4 <= j.length && bytes4(j.wordAt(p)) == "null") return p + 4;
        if (p + 5 <= j.length && bytes5(j.wordAt(p)) == "false") return p + 5;
        revert IDcapErrors.JsonInvalid(p);
    }

    /// @notice The end of the document: only whitespace may follow.
    function finish(bytes memory j, uint256 p) internal pure {
        if (space(j, p) != j.length) fail(p);
    }

    /// @notice Intel's TCB status string as the Claims byte (0 UpToDate … 6 OutOfDateConfigurationNeeded).
    function statusValue(bytes memory j, uint256 p) internal pure returns (uint8 status, uint256 next) {
        bytes32 h;
        (h, next) = strHash(j, p);
        if (h == keccak256("UpToDate")) return (0, next);
        if (h == keccak256("SWHardeningNeeded")) return (1, next);
        if (h == keccak256("ConfigurationNeeded")) return (2, next);
        if (h == keccak256("OutOfDate")) return (3, next);
        if (h == keccak256("Revoked")) return (4, next);
        if (h == keccak256("ConfigurationAndSWHardeningNeeded")) return (5, next);
        if (h == keccak256("OutOfDateConfigurationNeeded")) return (6, next);
        fail(p);
    }
}
