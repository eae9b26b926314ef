// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {TeezkBase} from "../utils/TeezkBase.sol";
import {IDcapErrors} from "../../../contracts/interfaces/IDcapErrors.sol";
import {DcapParserHarness} from "../doubles/DcapParserHarness.sol";

/// @notice Fuzzing of the on-chain DCAP parsers (quote layout, PEM/base64, X.509, CRL, Intel JSON) with bounded
/// inputs: every refusal is one of IDcapErrors' typed errors (never a panic, an empty revert or out of gas) and
/// each call stays under a gas bound.
contract DcapParsersTest is TeezkBase {
    DcapParserHarness internal harness;
    uint256 internal constant GAS_BOUND = 3_000_000;
    /// A v4 TDX header (version 4, key type 2, TEE 0x81, Intel's QE vendor id) so fuzzing reaches past the header.
    bytes internal constant V4_TDX_HEADER = hex"040002008100000000000000939a7233f79c4ca9940a0db3957f060700000000000000000000000000000000000000000000";

    function setUp() public override {
        super.setUp();
        harness = new DcapParserHarness();
    }

    function _assertTyped(bool ok, bytes memory reason, uint256 gasUsed) internal pure {
        assertTrue(gasUsed < GAS_BOUND, "gas bound exceeded");
        if (ok) return;
        assertTrue(reason.length >= 4, "empty revert (out of gas or untyped)");
        bytes4 selector = bytes4(reason);
        bool typed = selector == IDcapErrors.DerInvalid.selector || selector == IDcapErrors.CertificateInvalid.selector
            || selector == IDcapErrors.InvalidBase64Char.selector || selector == IDcapErrors.TimeInvalid.selector
            || selector == IDcapErrors.JsonInvalid.selector || selector == IDcapErrors.QuoteEmpty.selector
            || selector == IDcapErrors.QuoteTooLarge.selector || selector == IDcapErrors.QuoteTruncated.selector
            || selector == IDcapErrors.QuoteInvalid.selector || selector == IDcapErrors.QuoteTrailingData.selector
            || selector == IDcapErrors.UnsupportedQuoteVersion.selector
            || selector == IDcapErrors.UnsupportedAttestationKeyType.selector
            || selector == IDcapErrors.CertificateChainInvalid.selector || selector == IDcapErrors.CollateralMismatch.selector;
        assertTrue(typed, "untyped revert");
    }

    function testFuzz_layout_OnlyTypedReverts(bytes calldata junk) public view {
        uint256 start = gasleft();
        (bool ok, bytes memory reason) = address(harness).staticcall{gas: GAS_BOUND}(abi.encodeCall(harness.layout, (junk)));
        _assertTyped(ok, reason, start - gasleft());
    }

    function testFuzz_layout_AfterValidHeader_OnlyTypedReverts(bytes calldata tail, uint16 bodyLength) public view {
        bytes memory quote = bytes.concat(V4_TDX_HEADER, new bytes(bound(bodyLength, 0, 700)), tail);
        uint256 start = gasleft();
        (bool ok, bytes memory reason) = address(harness).staticcall{gas: GAS_BOUND}(abi.encodeCall(harness.layout, (quote)));
        _assertTyped(ok, reason, start - gasleft());
    }

    function testFuzz_pemBlock_OnlyTypedReverts(bytes calldata text) public view {
        uint256 start = gasleft();
        (bool ok, bytes memory reason) = address(harness).staticcall{gas: GAS_BOUND}(abi.encodeCall(harness.decodeGas, (text)));
        _assertTyped(ok, reason, start - gasleft());
    }

    function testFuzz_certificate_OnlyTypedReverts(bytes calldata der) public view {
        uint256 start = gasleft();
        (bool ok, bytes memory reason) = address(harness).staticcall{gas: GAS_BOUND}(abi.encodeCall(harness.leaf, (der)));
        _assertTyped(ok, reason, start - gasleft());
    }

    function testFuzz_certificate_ValidOuterSequence_OnlyTypedReverts(bytes calldata inner) public view {
        // SEQUENCE { SEQUENCE { fuzz } }: the parser descends into the TBS instead of stopping at the first byte.
        bytes memory tbs = bytes.concat(hex"30", _length(inner.length), inner);
        bytes memory der = bytes.concat(hex"30", _length(tbs.length), tbs);
        uint256 start = gasleft();
        (bool ok, bytes memory reason) = address(harness).staticcall{gas: GAS_BOUND}(abi.encodeCall(harness.leaf, (der)));
        _assertTyped(ok, reason, start - gasleft());
    }

    function testFuzz_crl_OnlyTypedReverts(bytes calldata der) public view {
        uint256 start = gasleft();
        (bool ok, bytes memory reason) = address(harness).staticcall{gas: GAS_BOUND}(abi.encodeCall(harness.crl, (der)));
        _assertTyped(ok, reason, start - gasleft());
    }

    function testFuzz_tcbInfo_OnlyTypedReverts(bytes calldata json) public view {
        uint256 start = gasleft();
        (bool ok, bytes memory reason) = address(harness).staticcall{gas: GAS_BOUND}(abi.encodeCall(harness.tcbInfo, (json)));
        _assertTyped(ok, reason, start - gasleft());
    }

    function testFuzz_tcbInfo_ObjectPrefix_OnlyTypedReverts(bytes calldata tail) public view {
        bytes memory json = bytes.concat('{"id":"TDX","version":3,"tcbLevels":[{"tcb":{"sgxtcbcomponents":[', tail);
        uint256 start = gasleft();
        (bool ok, bytes memory reason) = address(harness).staticcall{gas: GAS_BOUND}(abi.encodeCall(harness.tcbInfo, (json)));
        _assertTyped(ok, reason, start - gasleft());
    }

    function testFuzz_qeIdentity_OnlyTypedReverts(bytes calldata json) public view {
        uint256 start = gasleft();
        (bool ok, bytes memory reason) = address(harness).staticcall{gas: GAS_BOUND}(abi.encodeCall(harness.qeIdentity, (json)));
        _assertTyped(ok, reason, start - gasleft());
    }

    function test_layout_RevertWhen_Empty() public {
        vm.expectRevert(IDcapErrors.QuoteEmpty.selector);
        harness.layout("");
    }

    function test_layout_RevertWhen_HeaderOnly() public {
        vm.expectRevert(abi.encodeWithSelector(IDcapErrors.QuoteTruncated.selector, 48));
        harness.layout(V4_TDX_HEADER);
    }

    /// The signature data of a v4 quote cut inside its parts: each cut names the offset where the missing part starts,
    /// not where the signature data ends.
    function test_layout_RevertWhen_SignatureDataCutsAPart() public {
        // Signature data of 130 bytes (to 766): the ECDSA signature, then no room for the certification data header.
        vm.expectRevert(abi.encodeWithSelector(IDcapErrors.QuoteTruncated.selector, 764));
        harness.layout(_v4WithSignatureData(130, hex"060000000000"));
        // Signature data to 776; certification data from 770 claiming 10 bytes.
        vm.expectRevert(abi.encodeWithSelector(IDcapErrors.QuoteTruncated.selector, 770));
        harness.layout(_v4WithSignatureData(140, bytes.concat(hex"0600", _le32(10), new bytes(6))));
        // Certification data of 6 bytes from 770: too short for the QE report, its signature and auth data.
        vm.expectRevert(abi.encodeWithSelector(IDcapErrors.QuoteTruncated.selector, 770));
        harness.layout(_v4WithSignatureData(140, bytes.concat(hex"0600", _le32(6), new bytes(6))));
    }

    /// A v4 TDX quote: header, a zero TD report (its 584 bytes end at 632), signature data length, a zero ECDSA
    /// signature, then `rest`.
    function _v4WithSignatureData(uint32 signatureDataLength, bytes memory rest) internal pure returns (bytes memory) {
        return bytes.concat(V4_TDX_HEADER, new bytes(632 - V4_TDX_HEADER.length), _le32(signatureDataLength), new bytes(128), rest);
    }

    function _le32(uint32 value) internal pure returns (bytes memory) {
        return abi.encodePacked(uint8(value), uint8(value >> 8), uint8(value >> 16), uint8(value >> 24));
    }

    function _length(uint256 length) internal pure returns (bytes memory) {
        if (length < 0x80) return abi.encodePacked(uint8(length));
        if (length < 0x100) return abi.encodePacked(uint8(0x81), uint8(length));
        return abi.encodePacked(uint8(0x82), uint16(length));
    }
}
