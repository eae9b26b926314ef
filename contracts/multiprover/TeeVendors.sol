// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title TeeVendors
/// @notice The one Solidity home of DESIGN §2's vendor rule: which root of trust stands behind each TEE type.
/// "Distinct" means distinct vendors wherever teezk counts independent provers: TDX and SGX chain to the same
/// Intel root through the same PCK and quoting-enclave machinery, so one leaked Intel key forges both.
/// @dev NVIDIA GPU evidence (TEE type 4) has a vendor but is never an enclave on its own: whoever drives the GPU
/// chooses its nonce. Mirrored in TypeScript by src/claims/teeVendor.ts (parity test in test/chain).
/// @custom:security-contact security@teezk.invalid
library TeeVendors {
    /// @notice No vendor: an unknown TEE type.
    uint8 internal constant NONE = 0;
    /// @notice Intel: TDX (1) and SGX (5).
    uint8 internal constant INTEL = 1;
    /// @notice AMD: SEV-SNP (2).
    uint8 internal constant AMD = 2;
    /// @notice AWS: Nitro (3).
    uint8 internal constant AWS = 3;
    /// @notice NVIDIA: GPU evidence (4), not an enclave.
    uint8 internal constant NVIDIA = 4;
    /// @notice How many vendors issue enclaves (Intel, AMD, AWS): the most distinct vendors a quorum can have.
    uint256 internal constant ENCLAVE_VENDORS = 3;

    /// @dev Byte t of this word is the vendor of TEE type t (t = 0..5); higher types shift to zero (NONE).
    uint256 private constant VENDOR_BY_TEE_TYPE = 0x01_04_03_02_01_00;

    /// @notice The vendor behind `teeType` (NONE when unknown).
    function vendorOf(uint8 teeType) internal pure returns (uint8) {
        return uint8(VENDOR_BY_TEE_TYPE >> (uint256(teeType) * 8));
    }

    /// @notice The vendor behind `teeType` when it is an enclave's (Intel, AMD or AWS); NONE for an NVIDIA GPU or
    /// an unknown type.
    function enclaveVendorOf(uint8 teeType) internal pure returns (uint8 vendor) {
        vendor = vendorOf(teeType);
        if (vendor == NVIDIA) vendor = NONE;
    }
}
