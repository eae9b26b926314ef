//! The program's one entry point, shared by the SP1 guest and the native host.
use crate::claims::Claims;
use crate::error::Result;
use crate::input::{Evidence, Mode, ProgramInput};
use crate::x509::PinnedRoot;
use crate::{bail, dcap, nitro, nvidia, receipt, snp};
use alloc::vec::Vec;
use alloy_primitives::FixedBytes;
use alloy_sol_types::SolValue;

/// Verifies an enclave's evidence and returns the DESIGN §2 claims. `extra_trusted_roots`: root fingerprints
/// accepted besides the vendor pins (see [`ProgramInput::extra_trusted_roots`]). GPU evidence on its own is
/// refused (GPU_NOT_AN_ENCLAVE) before it is read: the SPDM nonce is whatever the host driving the GPU asked for,
/// so its claims would commit whatever key that host chose, with no CPU TEE behind it (DESIGN §2).
pub fn verify_evidence(evidence: &Evidence, now_ms: u64, extra_trusted_roots: &[[u8; 32]]) -> Result<Claims> {
    let now = now_ms / 1000;
    let extra = pins(extra_trusted_roots);
    let fields = match evidence {
        Evidence::Nitro { document } => nitro::verify_nitro(document, now_ms, &extra)?,
        Evidence::SevSnp { evidence, certificates, crls } => snp::verify_snp_with_crls(evidence, certificates, crls, now, &extra)?,
        Evidence::Dcap { quote, collateral, tdx } => dcap::verify_dcap(quote, collateral.as_ref(), now, Some(*tdx), &extra)?,
        Evidence::Nvidia { .. } => bail!(
            GPU_NOT_AN_ENCLAVE,
            "GPU evidence on its own is not an enclave's: its nonce is chosen by whoever drives the GPU; only CPU evidence carrying the binding is"
        ),
    };
    Ok(fields.into())
}

/// A GPU report's claims, `abi.encode(Claims)`, to inspect its authenticity (the host's `inspect-gpu`,
/// TypeScript's `inspectStandaloneGpu`): never a journal, since [`run`] refuses GPU evidence.
pub fn inspect_gpu_evidence(evidence: &Evidence, now_ms: u64, extra_trusted_roots: &[[u8; 32]]) -> Result<Vec<u8>> {
    let Evidence::Nvidia { report, certificates, expected_nonce } = evidence else {
        bail!(CONFIG_INVALID, "inspect_gpu_evidence takes NVIDIA GPU evidence");
    };
    let claims: Claims = nvidia::verify_nvidia(report, certificates, expected_nonce.as_ref(), now_ms / 1000, &pins(extra_trusted_roots))?.into();
    Ok(claims.abi_encode())
}

fn pins(extra_trusted_roots: &[[u8; 32]]) -> Vec<PinnedRoot> {
    extra_trusted_roots.iter().map(|sha256| PinnedRoot { name: "extra trusted root", sha256: *sha256 }).collect()
}

/// The public values: `abi.encode(Claims)` in attest mode; in receipt mode `abi.encode(Claims, Receipt, bytes32
/// domainSeparator, ReceiptBinding)`: the EIP-712 domain the receipt signature was checked under, then the binding
/// inputs, whose nonce Sp1ReceiptVerifier requires to be fresh (without it the evidence could be of any age).
pub fn run(input: &ProgramInput) -> Result<Vec<u8>> {
    let claims = verify_evidence(&input.evidence, input.now_ms, &input.extra_trusted_roots)?;
    match (input.mode, &input.receipt) {
        (Mode::Attest, None) => Ok(claims.abi_encode()),
        (Mode::Receipt, Some(r)) => {
            let checked = receipt::check_receipt(&claims.reportData.0, r)?;
            Ok((claims, checked.receipt, FixedBytes::<32>::from(checked.domain_separator), checked.binding).abi_encode_params())
        }
        (Mode::Attest, Some(_)) => bail!(CONFIG_INVALID, "attest mode takes no receipt"),
        (Mode::Receipt, None) => bail!(CONFIG_INVALID, "receipt mode needs the receipt, signature, witness and output"),
    }
}
