// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IDcapErrors} from "../../interfaces/IDcapErrors.sol";
import {DcapDer} from "./DcapDer.sol";

/// @title DcapQuote
/// @notice Layout of Intel DCAP quotes (SGX v3, SGX/TDX v4, TDX v5), the same structure rules as
/// src/evidence/tdx/parseDcapQuote.ts: every length field must frame its structure exactly, only bytes after the
/// signature data are tolerated (at most 4096), and the PCK certification data must be a PEM chain (type 5).
library DcapQuote {
    using DcapDer for bytes;

    uint256 internal constant MAX_QUOTE_BYTES = 64 * 1024;
    uint256 internal constant MAX_TRAILING_BYTES = 4096;
    uint256 internal constant HEADER_BYTES = 48;
    uint256 internal constant ENCLAVE_REPORT_BYTES = 384;
    uint32 internal constant TEE_SGX = 0;
    uint32 internal constant TEE_TDX = 0x81;
    uint8 internal constant BODY_SGX = 1;
    uint8 internal constant BODY_TD10 = 2;
    uint8 internal constant BODY_TD15 = 3;
    bytes16 private constant INTEL_QE_VENDOR_ID = 0x939a7233f79c4ca9940a0db3957f0607;

    struct Layout {
        uint256 version;
        bool tdx;
        /// 1 SGX report, 2 TD report 1.0, 3 TD report 1.5.
        uint8 bodyKind;
        uint256 bodyStart;
        /// End of the signed bytes (header ‖ [v5 descriptor] ‖ body).
        uint256 bodyEnd;
        uint256 signatureAt;
        uint256 qeReportAt;
        uint256 qeSignatureAt;
        uint256 authStart;
        uint256 authEnd;
        uint256 pemStart;
        uint256 pemEnd;
    }

    /// @notice Checks the structure of `quote` and returns where each part lies.
    function parse(bytes memory quote) internal pure returns (Layout memory l) {
        if (quote.length == 0) revert IDcapErrors.QuoteEmpty();
        if (quote.length > MAX_QUOTE_BYTES) revert IDcapErrors.QuoteTooLarge(quote.length);
        _need(quote, 0, HEADER_BYTES);
        l.version = u16(quote, 0);
        if (l.version < 3 || l.version > 5) revert IDcapErrors.UnsupportedQuoteVersion(l.version);
        uint256 keyType = u16(quote, 2);
        if (keyType != 2) revert IDcapErrors.UnsupportedAttestationKeyType(keyType);
        uint256 teeType = u32(quote, 4);
        if (teeType != TEE_SGX && teeType != TEE_TDX) revert IDcapErrors.QuoteInvalid("TEE type");
        l.tdx = teeType == TEE_TDX;
        if (l.version == 3 && l.tdx) revert IDcapErrors.QuoteInvalid("v3 is SGX only");
        if (bytes16(quote.wordAt(12)) != INTEL_QE_VENDOR_ID) revert IDcapErrors.QuoteInvalid("QE vendor id");

        uint256 cursor = HEADER_BYTES;
        uint256 bodySize;
        if (l.version == 5) {
            _need(quote, cursor, 6);
            uint256 bodyType = u16(quote, cursor);
            bodySize = u32(quote, cursor + 2);
            cursor += 6;
            uint256 expected = bodyType == BODY_SGX ? 384 : bodyType == BODY_TD10 ? 584 : bodyType == BODY_TD15 ? 648 : 0;
            if (expected == 0 || (bodyType == BODY_SGX) == l.tdx) revert IDcapErrors.QuoteInvalid("v5 body type");
            if (bodySize != expected) revert IDcapErrors.QuoteInvalid("v5 body size");
            l.bodyKind = uint8(bodyType);
        } else {
            l.bodyKind = l.tdx ? BODY_TD10 : BODY_SGX;
            bodySize = l.tdx ? 584 : 384;
        }
        l.bodyStart = cursor;
        _need(quote, cursor, bodySize + 4);
        l.bodyEnd = cursor + bodySize;
        uint256 signatureDataLength = u32(quote, l.bodyEnd);
        cursor = l.bodyEnd + 4;
        _need(quote, cursor, signatureDataLength);
        uint256 signatureDataEnd = cursor + signatureDataLength;
        _need(quote, cursor, 128);
        l.signatureAt = cursor;
        cursor += 128;

        uint256 qeSectionEnd = signatureDataEnd;
        if (l.version != 3) {
            _need(quote, cursor, 6);
            _within(cursor, 6, signatureDataEnd);
            if (u16(quote, cursor) != 6) revert IDcapErrors.QuoteInvalid("certification data type");
            uint256 outerSize = u32(quote, cursor + 2);
            cursor += 6;
            _within(cursor, outerSize, signatureDataEnd);
            if (cursor + outerSize != signatureDataEnd) revert IDcapErrors.QuoteInvalid("signature data length");
            qeSectionEnd = cursor + outerSize;
        }
        _within(cursor, ENCLAVE_REPORT_BYTES + 64 + 2, qeSectionEnd);
        l.qeReportAt = cursor;
        l.qeSignatureAt = cursor + ENCLAVE_REPORT_BYTES;
        cursor = l.qeSignatureAt + 64;
        uint256 authLength = u16(quote, cursor);
        l.authStart = cursor + 2;
        l.authEnd = l.authStart + authLength;
        if (l.authEnd + 6 > qeSectionEnd) revert IDcapErrors.QuoteTruncated(l.authStart);
        if (u16(quote, l.authEnd) != 5) revert IDcapErrors.QuoteInvalid("PCK certification data type");
        uint256 pemSize = u32(quote, l.authEnd + 2);
        l.pemStart = l.authEnd + 6;
        _within(l.pemStart, pemSize, qeSectionEnd);
        if (l.pemStart + pemSize != qeSectionEnd) revert IDcapErrors.QuoteInvalid("QE certification data length");
        l.pemEnd = qeSectionEnd;
        uint256 trailing = quote.length - signatureDataEnd;
        if (trailing > MAX_TRAILING_BYTES) revert IDcapErrors.QuoteTrailingData(trailing);
    }

    function _need(bytes memory quote, uint256 at, uint256 length) private pure {
        _within(at, length, quote.length);
    }

    /// @dev `length` bytes from `at` lie before `end`, else the quote is cut short at `at`. Unchecked: lengths are
    /// the quote's u16/u32 fields and offsets stay below MAX_QUOTE_BYTES + 2^32, so the sum cannot overflow.
    function _within(uint256 at, uint256 length, uint256 end) private pure {
        unchecked {
            if (at + length > end) revert IDcapErrors.QuoteTruncated(at);
        }
    }

    function u16(bytes memory data, uint256 at) internal pure returns (uint256) {
        return data.byteAt(at) | (data.byteAt(at + 1) << 8);
    }

    function u32(bytes memory data, uint256 at) internal pure returns (uint256) {
        return u16(data, at) | (u16(data, at + 2) << 16);
    }
}
