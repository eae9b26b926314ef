//! NVIDIA GPU evidence (SPDM 1.1 GET_MEASUREMENTS): not yet implemented.
use crate::claims::ClaimsFields;
use crate::error::Result;
use crate::x509::PinnedRoot;
use alloc::vec::Vec;

pub fn verify_nvidia(_report: &[u8], _certificates: &[Vec<u8>], _expected_nonce: Option<&[u8; 32]>, _now: u64, _extra_pins: &[PinnedRoot]) -> Result<ClaimsFields> {
    crate::bail!(UNKNOWN_EVIDENCE_TYPE, "NVIDIA GPU evidence is not supported by the Rust core yet")
}
