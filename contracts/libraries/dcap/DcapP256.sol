// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {P256} from "@openzeppelin/contracts/utils/cryptography/P256.sol";
import {IDcapErrors} from "../../interfaces/IDcapErrors.sol";

/// @title DcapP256
/// @notice ECDSA P-256 for Intel's signatures through OpenZeppelin's P256 (the EIP-7951 precompile at 0x100, a
/// Solidity fallback where it is absent). Intel does not normalise `s`; (r, s) and (r, n − s) verify alike, so a
/// high `s` is folded into the low half OpenZeppelin accepts. Malleability is harmless here: nothing is keyed by
/// a signature.
library DcapP256 {
    uint256 private constant N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551;
    uint256 private constant HALF_N = N / 2;

    function verifyOrRevert(bytes32 digest, bytes32 r, bytes32 s, bytes32 x, bytes32 y, bytes32 what) internal view {
        uint256 sValue = uint256(s);
        if (sValue > HALF_N && sValue < N) sValue = N - sValue;
        if (!P256.verify(digest, r, bytes32(sValue), x, y)) revert IDcapErrors.SignatureInvalid(what);
    }
}
