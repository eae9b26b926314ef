// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Claims} from "./IClaims.sol";
import {IDcapErrors} from "./IDcapErrors.sol";

/// @title IDcapAttestationVerifier
/// @notice The on-chain DCAP route: an Intel TDX (v4, v5) or SGX (v3) quote verified entirely on-chain against the
/// DcapCollateralStore, and its Claims derived exactly as DESIGN §2 (and src/evidence/tdx) define them.
/// @custom:security-contact security@teezk.invalid
interface IDcapAttestationVerifier is IDcapErrors {
    /// @notice The claims being registered are not the ones the quote yields at block time.
    error ClaimsMismatch(bytes32 expectedHash, bytes32 actualHash);

    /// @notice A quote's PCK chain was verified and cached under keccak256 of its PEM text.
    event PlatformRemembered(bytes32 indexed pemHash, bytes32 indexed platformId);

    /// @notice Verifies `quote` as of block time and returns its Claims (timestamp = block time).
    /// @param quote The raw quote bytes.
    function verifyQuote(bytes calldata quote) external view returns (Claims memory claims);

    /// @notice Verifies the quote's PCK chain (leaf signed by a stored PCK CA, the pinned root) and caches the
    /// leaf's key and SGX extension, so later quotes of this platform skip decoding and parsing it. Validity windows
    /// and revocation are still judged at every use.
    /// @param quote Any quote carrying the platform's PCK chain.
    function rememberPlatform(bytes calldata quote) external;

    /// @notice Whether a PCK chain (by keccak256 of its PEM text) is cached.
    function isPlatformRemembered(bytes32 pemHash) external view returns (bool);
}
