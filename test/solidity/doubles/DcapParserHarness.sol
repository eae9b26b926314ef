// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Base64} from "@openzeppelin/contracts/utils/Base64.sol";
import {DcapDer} from "../../../contracts/libraries/dcap/DcapDer.sol";
import {DcapPck} from "../../../contracts/libraries/dcap/DcapPck.sol";
import {DcapQuote} from "../../../contracts/libraries/dcap/DcapQuote.sol";
import {DcapX509} from "../../../contracts/libraries/dcap/DcapX509.sol";

/// @notice Exposes the on-chain DCAP parsers one by one, for gas profiling and fuzzing.
contract DcapParserHarness {
    function layout(bytes calldata quote) external pure returns (DcapQuote.Layout memory) {
        return DcapQuote.parse(quote);
    }

    function pem(bytes calldata quote) external pure returns (bytes[] memory) {
        bytes memory q = quote;
        DcapQuote.Layout memory l = DcapQuote.parse(q);
        return DcapQuote.pemCertificates(q, l.pemStart, l.pemEnd);
    }

    function profile(bytes calldata quote) external view returns (uint256 copy, uint256 parse, uint256 pemGas, uint256 leafGas) {
        uint256 g = gasleft();
        bytes memory q = quote;
        copy = g - gasleft();
        g = gasleft();
        DcapQuote.Layout memory l = DcapQuote.parse(q);
        parse = g - gasleft();
        g = gasleft();
        bytes[] memory ders = DcapQuote.pemCertificates(q, l.pemStart, l.pemEnd);
        pemGas = g - gasleft();
        g = gasleft();
        bytes memory data = ders[0];
        DcapX509.Certificate memory cert = DcapX509.parseCertificate(data, 0, data.length);
        DcapPck.parse(data, cert.sgxStart, cert.sgxEnd);
        leafGas = g - gasleft();
    }

    function profilePem(bytes calldata quote) external view returns (uint256 body, uint256 decode, uint256 len) {
        bytes memory q = quote;
        DcapQuote.Layout memory l = DcapQuote.parse(q);
        uint256 g = gasleft();
        (bytes memory text,) = DcapQuote._pemBody(q, l.pemStart + 27, l.pemEnd);
        body = g - gasleft();
        g = gasleft();
        Base64.decode(string(text));
        decode = g - gasleft();
        len = text.length;
    }

    function profileLoop(bytes calldata quote) external view returns (uint256 loop, uint256 acc) {
        bytes memory q = quote;
        uint256 g = gasleft();
        for (uint256 i; i < 1000; ++i) acc += DcapDer.byteAt(q, i);
        loop = g - gasleft();
    }

    function leaf(bytes calldata der) external pure returns (DcapX509.Certificate memory cert, DcapPck.Extension memory ext) {
        bytes memory data = der;
        cert = DcapX509.parseCertificate(data, 0, data.length);
        ext = DcapPck.parse(data, cert.sgxStart, cert.sgxEnd);
    }

    function crl(bytes calldata der) external pure returns (DcapX509.Crl memory) {
        return DcapX509.parseCrl(der);
    }
}
