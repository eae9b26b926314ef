//! The program's one entry point, shared by the SP1 guest and the native host.
use crate::claims::Claims;
use crate::error::Result;
use crate::input::{Evidence, Mode, ProgramInput};
use crate::x509::PinnedRoot;
use crate::{bail, dcap, nitro, nvidia, receipt, snp};
use alloc::vec::Vec;
use alloy_primitives::FixedBytes;
use alloy_sol_types::SolValue;

/// Verifies the evidence and returns the DESIGN §2 claims. `extra_trusted_roots`: root fingerprints accepted
/// besides the vendor pins (see [`ProgramInput::extra_trusted_roots`]).
pub fn verify_evidence(evidence: &Evidence, now_ms: u64, extra_trusted_roots: &[[u8; 32]]) -> Result<Claims> {
    let now = now_ms / 1000;
    let extra: Vec<PinnedRoot> = extra_trusted_roots.iter().map(|sha256| PinnedRoot { name: "extra trusted root", sha256: *sha256 }).collect();
    let fields = match evidence {
        Evidence::Nitro { document } => nitro::verify_nitro(document, now_ms, &extra)?,
        Evidence::SevSnp { evidence, certificates, crls } => snp::verify_snp_with_crls(evidence, certificates, crls, now, &extra)?,
        Evidence::Dcap { quote, collateral, tdx } => dcap::verify_dcap(quote, collateral.as_ref(), now, Some(*tdx), &extra)?,
        Evidence::Nvidia { report, certificates, expected_nonce } => nvidia::verify_nvidia(report, certificates, expected_nonce.as_ref(), now, &extra)?,
    };
    Ok(fields.into())
}

/// The public values: `abi.encode(Claims)` in attest mode; in receipt mode `abi.encode(Claims, Receipt, bytes32
/// domainSeparator)`, the last word being the EIP-712 domain the receipt signature was checked under.
pub fn run(input: &ProgramInput) -> Result<Vec<u8>> {
    let claims = verify_evidence(&input.evidence, input.now_ms, &input.extra_trusted_roots)?;
    match (input.mode, &input.receipt) {
        (Mode::Attest, None) => Ok(claims.abi_encode()),
        (Mode::Receipt, Some(r)) => {
            let (receipt, domain_separator) = receipt::check_receipt(&claims.reportData.0, r)?;
            Ok((claims, receipt, FixedBytes::<32>::from(domain_separator)).abi_encode_params())
        }
        (Mode::Attest, Some(_)) => bail!(CONFIG_INVALID, "attest mode takes no receipt"),
        (Mode::Receipt, None) => bail!(CONFIG_INVALID, "receipt mode needs the receipt, signature, witness and output"),
    }
}
