// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {DcapBase64} from "../../../contracts/libraries/dcap/DcapBase64.sol";
import {DcapCollateralJson} from "../../../contracts/libraries/dcap/DcapCollateralJson.sol";
import {DcapDer} from "../../../contracts/libraries/dcap/DcapDer.sol";
import {DcapPck} from "../../../contracts/libraries/dcap/DcapPck.sol";
import {DcapQuote} from "../../../contracts/libraries/dcap/DcapQuote.sol";
import {DcapX509} from "../../../contracts/libraries/dcap/DcapX509.sol";

/// @notice Exposes the on-chain DCAP parsers one by one, for gas profiling and fuzzing.
contract DcapParserHarness {
    function layout(bytes calldata quote) external pure returns (DcapQuote.Layout memory) {
        return DcapQuote.parse(quote);
    }

    function profile(bytes calldata quote) external view returns (uint256 decode, uint256 parse, uint256 pck, uint256 length) {
        bytes memory q = quote;
        DcapQuote.Layout memory l = DcapQuote.parse(q);
        uint256 g = gasleft();
        (bytes memory der,) = DcapBase64.decodeBlock(q, l.pemStart + 27, l.pemEnd);
        decode = g - gasleft();
        g = gasleft();
        DcapX509.Certificate memory cert = DcapX509.parseCertificate(der, 0, der.length);
        parse = g - gasleft();
        g = gasleft();
        DcapPck.parse(der, cert.sgxStart, cert.sgxEnd);
        pck = g - gasleft();
        length = der.length;
    }

    function decodeGas(bytes calldata text) external view returns (uint256 gasUsed, uint256 length) {
        bytes memory t = text;
        uint256 g = gasleft();
        (bytes memory der,) = DcapBase64.decodeBlock(t, 0, t.length);
        gasUsed = g - gasleft();
        length = der.length;
    }

    function leaf(bytes calldata der) external pure returns (DcapX509.Certificate memory cert, DcapPck.Extension memory ext) {
        bytes memory data = der;
        cert = DcapX509.parseCertificate(data, 0, data.length);
        ext = DcapPck.parse(data, cert.sgxStart, cert.sgxEnd);
    }

    function tcbInfo(bytes calldata json) external pure returns (bytes memory) {
        return DcapCollateralJson.parseTcbInfo(json);
    }

    function qeIdentity(bytes calldata json) external pure returns (bytes memory) {
        return DcapCollateralJson.parseEnclaveIdentity(json);
    }

    function crl(bytes calldata der) external pure returns (DcapX509.Crl memory) {
        return DcapX509.parseCrl(der);
    }
}
