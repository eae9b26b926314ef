// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IDcapErrors} from "../../interfaces/IDcapErrors.sol";

/// @title DcapDer
/// @notice Just enough DER for Intel's PCK certificates and CRLs: definite lengths up to three bytes (16 MiB), one
/// tag byte, every element inside its container. Offsets index a memory `bytes`; elements are never copied.
library DcapDer {
    uint8 internal constant BOOLEAN = 0x01;
    uint8 internal constant INTEGER = 0x02;
    uint8 internal constant BIT_STRING = 0x03;
    uint8 internal constant OCTET_STRING = 0x04;
    uint8 internal constant OID = 0x06;
    uint8 internal constant ENUMERATED = 0x0a;
    uint8 internal constant UTC_TIME = 0x17;
    uint8 internal constant GENERALIZED_TIME = 0x18;
    uint8 internal constant SEQUENCE = 0x30;

    /// @dev One element: its tag, where its header starts, where its content starts and ends.
    struct Node {
        uint8 tag;
        uint256 headerStart;
        uint256 start;
        uint256 end;
    }

    function byteAt(bytes memory data, uint256 index) internal pure returns (uint256 value) {
        assembly ("memory-safe") {
            value := byte(0, mload(add(add(data, 0x20), index)))
        }
    }

    /// @notice The 32 bytes from `index` (the caller keeps `index + 32` within the data).
    function wordAt(bytes memory data, uint256 index) internal pure returns (bytes32 value) {
        assembly ("memory-safe") {
            value := mload(add(add(data, 0x20), index))
        }
    }

    /// @notice The element at `at`, which must end by `limit` (itself ≤ data.length).
    function read(bytes memory data, uint256 at, uint256 limit) internal pure returns (Node memory node) {
        bool ok;
        assembly ("memory-safe") {
            // Every bound is checked before it is used; offsets stay far below 2^64, so no sum can wrap.
            node := mload(0x40)
            mstore(0x40, add(node, 0x80))
            let p := add(add(data, 0x20), at)
            let head := mload(p)
            let first := byte(1, head)
            let start := add(at, 2)
            let length := first
            ok := and(iszero(gt(limit, mload(data))), iszero(gt(start, limit)))
            if gt(first, 0x7f) {
                let count := sub(first, 0x80)
                // 0x80 is BER's indefinite length; more than three length bytes exceeds anything Intel signs.
                ok := and(ok, and(gt(count, 0), lt(count, 4)))
                length := shr(sub(256, shl(3, count)), shl(16, head))
                start := add(start, count)
            }
            let end := add(start, length)
            ok := and(ok, iszero(gt(end, limit)))
            mstore(node, byte(0, head))
            mstore(add(node, 0x20), at)
            mstore(add(node, 0x40), start)
            mstore(add(node, 0x60), end)
        }
        if (!ok) revert IDcapErrors.DerInvalid(at);
    }

    /// @notice The element at `at`, which must have tag `tag`.
    function expect(bytes memory data, uint256 at, uint256 limit, uint8 tag) internal pure returns (Node memory node) {
        node = read(data, at, limit);
        if (node.tag != tag) revert IDcapErrors.DerInvalid(at);
    }

    /// @notice keccak256 of the element's whole encoding (header and content).
    function hashOf(bytes memory data, Node memory node) internal pure returns (bytes32 digest) {
        digest = hashRange(data, node.headerStart, node.end);
    }

    function hashRange(bytes memory data, uint256 start, uint256 end) internal pure returns (bytes32 digest) {
        assembly ("memory-safe") {
            digest := keccak256(add(add(data, 0x20), start), sub(end, start))
        }
    }

    /// @notice sha256 of data[start:end].
    function sha256Range(bytes memory data, uint256 start, uint256 end) internal view returns (bytes32 digest) {
        assembly ("memory-safe") {
            if iszero(staticcall(gas(), 0x02, add(add(data, 0x20), start), sub(end, start), 0x00, 0x20)) {
                revert(0, 0)
            }
            digest := mload(0x00)
        }
    }

    /// @notice An unsigned INTEGER of at most 32 significant bytes (one leading zero allowed), right-aligned.
    function uintOf(bytes memory data, Node memory node) internal pure returns (uint256 value) {
        uint256 length = node.end - node.start;
        if (node.tag != INTEGER || length == 0 || length > 33) revert IDcapErrors.DerInvalid(node.headerStart);
        uint256 start = node.start;
        if (length == 33) {
            if (byteAt(data, start) != 0) revert IDcapErrors.DerInvalid(node.headerStart);
            ++start;
            --length;
        }
        assembly ("memory-safe") {
            value := shr(mul(8, sub(32, length)), mload(add(add(data, 0x20), start)))
        }
    }

    /// @notice Seconds since the epoch of a UTCTime (YYMMDDHHMMSSZ) or GeneralizedTime (YYYYMMDDHHMMSSZ).
    function timeOf(bytes memory data, Node memory node) internal pure returns (uint64) {
        uint256 at = node.start;
        uint256 length = node.end - at;
        uint256 year;
        if (node.tag == UTC_TIME && length == 13) {
            year = digits(data, at, 2);
            year += year < 50 ? 2000 : 1900;
            at += 2;
        } else if (node.tag == GENERALIZED_TIME && length == 15) {
            year = digits(data, at, 4);
            at += 4;
        } else {
            revert IDcapErrors.TimeInvalid();
        }
        if (byteAt(data, at + 10) != 0x5a) revert IDcapErrors.TimeInvalid();
        return toUnix(year, digits(data, at, 2), digits(data, at + 2, 2), digits(data, at + 4, 2), digits(data, at + 6, 2), digits(data, at + 8, 2));
    }

    /// @notice `count` ASCII decimal digits from `at` (the caller keeps `at + count` in bounds).
    function digits(bytes memory data, uint256 at, uint256 count) internal pure returns (uint256 value) {
        for (uint256 i; i < count; ++i) {
            uint256 c = byteAt(data, at + i);
            if (c < 0x30 || c > 0x39) revert IDcapErrors.TimeInvalid();
            value = value * 10 + (c - 0x30);
        }
    }

    /// @notice Civil date to Unix seconds (Howard Hinnant's days_from_civil), fields range-checked.
    function toUnix(uint256 year, uint256 month, uint256 day, uint256 hour, uint256 minute, uint256 second)
        internal
        pure
        returns (uint64)
    {
        if (year < 1970 || month == 0 || month > 12 || day == 0 || day > 31 || hour > 23 || minute > 59 || second > 59) {
            revert IDcapErrors.TimeInvalid();
        }
        if (month <= 2) year -= 1;
        uint256 era = year / 400;
        uint256 yoe = year - era * 400;
        uint256 doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        uint256 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        uint256 days_ = era * 146097 + doe - 719468;
        return uint64(days_ * 86400 + hour * 3600 + minute * 60 + second);
    }
}
