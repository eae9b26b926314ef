//! `receipt` mode: the enclave's EIP-712 receipt is checked against the attested evidence inside the proof,
//! so one Groth16 proof shows "this output came from this witness in an attested TEE".
use crate::claims::{Receipt, ReceiptBinding};
use crate::error::Result;
use crate::hash::keccak256;
use crate::input::{ReceiptFields, ReceiptInput};
use crate::{bail, ensure};
use alloc::string::String;
use alloy_primitives::{Address, FixedBytes, U256};
use alloy_sol_types::{Eip712Domain, SolStruct, SolValue};

/// EIP-712 domain name and version of the ReceiptVerifier contract.
pub const RECEIPT_DOMAIN_NAME: &str = "teezk ReceiptVerifier";
pub const RECEIPT_DOMAIN_VERSION: &str = "1";

/// DESIGN §3: keccak256(abi.encode("teezk/v1", enclaveAddress, keccak256(hpkePublicKey), nonce)).
pub fn compute_binding(enclave_address: &[u8; 20], hpke_public_key: &[u8], nonce: &[u8; 32]) -> [u8; 32] {
    let encoded = (String::from("teezk/v1"), Address::from(*enclave_address), FixedBytes::<32>::from(keccak256(hpke_public_key)), FixedBytes::<32>::from(*nonce)).abi_encode_params();
    keccak256(&encoded)
}

pub fn to_sol(r: &ReceiptFields) -> Receipt {
    Receipt {
        programId: r.program_id.into(),
        inputDigest: r.input_digest.into(),
        outputDigest: r.output_digest.into(),
        proofDigest: r.proof_digest.into(),
        issuedAt: r.issued_at,
        nonce: r.nonce.into(),
    }
}

pub fn receipt_domain(chain_id: u64, verifying_contract: &[u8; 20]) -> Eip712Domain {
    Eip712Domain::new(
        Some(RECEIPT_DOMAIN_NAME.into()),
        Some(RECEIPT_DOMAIN_VERSION.into()),
        Some(U256::from(chain_id)),
        Some(Address::from(*verifying_contract)),
        None,
    )
}

/// The EIP-712 digest the enclave signs.
pub fn receipt_signing_hash(r: &ReceiptFields, chain_id: u64, verifying_contract: &[u8; 20]) -> [u8; 32] {
    to_sol(r).eip712_signing_hash(&receipt_domain(chain_id, verifying_contract)).0
}

/// The address that signed `digest` (65-byte r‖s‖v; high-s refused, as OpenZeppelin's ECDSA does).
pub fn recover_signer(digest: &[u8; 32], signature: &[u8]) -> Result<[u8; 20]> {
    use k256::ecdsa::{RecoveryId, Signature, VerifyingKey};
    ensure!(signature.len() == 65, SIGNATURE_INVALID, "The receipt signature is {} bytes; r‖s‖v is 65", signature.len());
    let v = match signature[64] {
        27 | 0 => 0u8,
        28 | 1 => 1u8,
        other => bail!(SIGNATURE_INVALID, "The receipt signature's v is {other} (27 or 28 expected)"),
    };
    let Ok(sig) = Signature::from_slice(&signature[..64]) else { bail!(SIGNATURE_INVALID, "The receipt signature's r or s is out of range") };
    ensure!(sig.normalize_s() == sig, SIGNATURE_INVALID, "The receipt signature has a high s (malleable)");
    let Some(recid) = RecoveryId::from_byte(v) else { bail!(SIGNATURE_INVALID, "bad recovery id") };
    let Ok(key) = VerifyingKey::recover_from_prehash(digest, &sig, recid) else { bail!(SIGNATURE_INVALID, "No public key recovers from the receipt signature") };
    let point = key.to_sec1_point(false);
    let hash = keccak256(&point.as_bytes()[1..]);
    let mut out = [0u8; 20];
    out.copy_from_slice(&hash[12..]);
    Ok(out)
}

/// The EIP-712 domain separator of the ReceiptVerifier at (`chain_id`, `verifying_contract`): committed in the
/// receipt journal so Sp1ReceiptVerifier accepts only receipts the enclave signed for it (no cross-chain replay).
pub fn receipt_domain_separator(chain_id: u64, verifying_contract: &[u8; 20]) -> [u8; 32] {
    receipt_domain(chain_id, verifying_contract).separator().0
}

/// What receipt mode commits after the claims.
#[derive(Debug)]
pub struct CheckedReceipt {
    pub receipt: Receipt,
    /// The EIP-712 domain separator the signature was checked under.
    pub domain_separator: [u8; 32],
    /// The binding inputs reportData was checked against: the contract checks the nonce's freshness.
    pub binding: ReceiptBinding,
}

/// Checks the receipt against the evidence's reportData and the given witness and output; returns the receipt,
/// the domain separator its signature was checked under and the binding inputs (enclave, HPKE key hash, nonce).
pub fn check_receipt(report_data: &[u8; 32], input: &ReceiptInput) -> Result<CheckedReceipt> {
    let binding = compute_binding(&input.enclave_address, &input.hpke_public_key, &input.binding_nonce);
    ensure!(
        &binding == report_data,
        BINDING_MISMATCH,
        "The evidence's reportData 0x{} is not the binding 0x{} of the enclave address, HPKE key and nonce",
        hex::encode(report_data),
        hex::encode(binding)
    );
    ensure!(keccak256(&input.witness) == input.receipt.input_digest, RECEIPT_MISMATCH, "The receipt's inputDigest is not keccak256 of the witness");
    ensure!(keccak256(&input.output) == input.receipt.output_digest, RECEIPT_MISMATCH, "The receipt's outputDigest is not keccak256 of the output");
    let digest = receipt_signing_hash(&input.receipt, input.chain_id, &input.verifying_contract);
    let signer = recover_signer(&digest, &input.signature)?;
    ensure!(
        signer == input.enclave_address,
        SIGNATURE_INVALID,
        "The receipt is signed by 0x{}, not by the attested enclave 0x{}",
        hex::encode(signer),
        hex::encode(input.enclave_address)
    );
    Ok(CheckedReceipt {
        receipt: to_sol(&input.receipt),
        domain_separator: receipt_domain_separator(input.chain_id, &input.verifying_contract),
        binding: ReceiptBinding {
            enclave: Address::from(input.enclave_address),
            hpkeKeyHash: keccak256(&input.hpke_public_key).into(),
            nonce: input.binding_nonce.into(),
        },
    })
}
