//! Vectors computed independently with viem (`privateKeyToAccount(0x0123…cdef).signTypedData`, TypeScript
//! `computeBinding`) for the EIP-712 domain ("teezk ReceiptVerifier", "1", 31337, 0x5FbD…0aa3).
mod common;
use common::*;
use teezk_zk_core::input::{ReceiptFields, ReceiptInput};
use teezk_zk_core::{run, Evidence, Mode, ProgramInput};
use teezk_zk_core::receipt::{check_receipt, compute_binding, receipt_domain_separator, receipt_signing_hash, recover_signer};
use teezk_zk_core::ErrorCode;

fn h<const N: usize>(s: &str) -> [u8; N] {
    hex::decode(s.trim_start_matches("0x")).unwrap().try_into().unwrap()
}

const ADDRESS: &str = "0xFCAd0B19bB29D4674531d6f115237E16AfCE377c";
const CONTRACT: &str = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const SIGNATURE: &str = "0x6b7360d39e6f697ff20ff9684823578086ba3c64cd9acb7d1e0065905462f7981263b281564e22c8ffc811287e728509ae9d5ef3a77cdb1fe8832feadb1be4261b";
/// viem `domainSeparator({ domain: { name: "teezk ReceiptVerifier", version: "1", chainId: 31337, verifyingContract } })`.
const DOMAIN_SEPARATOR: &str = "0xd1bb4383cb4b247cd2911b06b7e6b46b495cb2cba780d15a86efc7bd4dfede3a";
const BINDING: &str = "0x58eab80bc0d692eda81a6cf7e0df5c7b41a450e7cb74e7d05c86548b03d5a48d";

fn input() -> ReceiptInput {
    ReceiptInput {
        receipt: ReceiptFields {
            program_id: h("0x1352fd03aded072ff149458ad9e7d22020a22f11b7597e14fd9b6de9ee9f6c1d"),
            input_digest: h("0xfa1a937a264560da806405fbae4f6f88a395267186cba707d4843770fcfd082b"),
            output_digest: h("0xd2841f43960ebda8a7fb7791886d10c1ee99d05e30a3ae1d26de97576be68bb2"),
            proof_digest: h("0xa5bd20250df117ee1576cde77471907f0792dabd126e96e46ea0b2c71299ea1e"),
            issued_at: 1_750_000_000,
            nonce: h("0x1b0f82b87d2f8be829fc34fffbbd1148087b972354eb74f5c916e44dfdb8197c"),
        },
        signature: hex::decode(&SIGNATURE[2..]).unwrap(),
        witness: b"witness bytes".to_vec(),
        output: b"output bytes".to_vec(),
        enclave_address: h(ADDRESS),
        hpke_public_key: [vec![4u8], vec![0x11; 64]].concat(),
        binding_nonce: h("0x771ddd1382e4aea4c749287bb0fe803b4372ce4b347f0fececaa18c9bf4aa42a"),
        chain_id: 31337,
        verifying_contract: h(CONTRACT),
    }
}

#[test]
fn binding_matches_typescript_compute_binding() {
    let i = input();
    assert_eq!(compute_binding(&i.enclave_address, &i.hpke_public_key, &i.binding_nonce), h::<32>(BINDING));
}

#[test]
fn viem_signed_receipt_recovers_the_enclave_and_checks() {
    let i = input();
    let digest = receipt_signing_hash(&i.receipt, i.chain_id, &i.verifying_contract);
    assert_eq!(recover_signer(&digest, &i.signature).unwrap(), h::<20>(ADDRESS));
    let checked = check_receipt(&h(BINDING), &i).unwrap();
    assert_eq!(checked.receipt.issuedAt, 1_750_000_000);
    assert_eq!(checked.domain_separator, h::<32>(DOMAIN_SEPARATOR), "viem domainSeparator of the signing domain");
    // The binding's inputs come back for the journal: the contract checks the nonce's freshness and names the key.
    assert_eq!(checked.binding.enclave.0 .0, h::<20>(ADDRESS));
    assert_eq!(checked.binding.hpkeKeyHash.0, teezk_zk_core::hash::keccak256(&i.hpke_public_key));
    assert_eq!(checked.binding.nonce.0, i.binding_nonce);
}

#[test]
fn each_mismatch_is_rejected_with_its_code() {
    let code = |i: &ReceiptInput, rd: [u8; 32]| check_receipt(&rd, i).unwrap_err().code;
    let good = input();
    assert_eq!(code(&good, [0u8; 32]), ErrorCode::BINDING_MISMATCH);
    let mut i = input();
    i.witness.push(0);
    assert_eq!(code(&i, h(BINDING)), ErrorCode::RECEIPT_MISMATCH);
    let mut i = input();
    i.output[0] ^= 1;
    assert_eq!(code(&i, h(BINDING)), ErrorCode::RECEIPT_MISMATCH);
    let mut i = input();
    i.chain_id = 1;
    assert_eq!(code(&i, h(BINDING)), ErrorCode::SIGNATURE_INVALID, "another chain's domain");
    let mut i = input();
    i.receipt.proof_digest[0] ^= 1;
    assert_eq!(code(&i, h(BINDING)), ErrorCode::SIGNATURE_INVALID, "a field the signature covers");
    let mut i = input();
    i.signature[64] = 29;
    assert_eq!(code(&i, h(BINDING)), ErrorCode::SIGNATURE_INVALID);
    let mut i = input();
    i.signature.pop();
    assert_eq!(code(&i, h(BINDING)), ErrorCode::SIGNATURE_INVALID);
}

#[test]
fn run_commits_claims_in_attest_mode_and_checks_the_binding_in_receipt_mode() {
    let folder = "sev-snp/gosevguest-milan-vcek";
    let mut certificates = vec![std::fs::read(fixture(&format!("{folder}/vcek.der"))).unwrap()];
    certificates.extend(pem_file_ders("roots/amd-sev-snp/ark_milan.pem"));
    certificates.extend(pem_file_ders("roots/amd-sev-snp/ask_milan.pem"));
    let report = std::fs::read(fixture(&format!("{folder}/report.bin"))).unwrap();
    let evidence = Evidence::SevSnp { evidence: report.clone(), certificates, crls: vec![] };
    let now_ms = utc(2025, 1, 1) * 1000;
    let attest = ProgramInput { mode: Mode::Attest, evidence: evidence.clone(), now_ms, receipt: None, extra_trusted_roots: vec![] };
    let journal = run(&attest).unwrap();
    assert_eq!(journal.len(), 9 * 32, "abi.encode of the static Claims tuple");
    assert_eq!(journal[31], 2, "teeType SEV_SNP");
    assert_eq!(&journal[64..96], &report[0x50..0x70], "reportData word");
    // The real report's REPORT_DATA is not this enclave's binding: receipt mode must refuse it.
    let receipt = ProgramInput { mode: Mode::Receipt, evidence: evidence.clone(), now_ms, receipt: Some(input()), extra_trusted_roots: vec![] };
    assert_eq!(run(&receipt).unwrap_err().code, ErrorCode::BINDING_MISMATCH);
    let confused = ProgramInput { mode: Mode::Attest, evidence: evidence.clone(), now_ms, receipt: Some(input()), extra_trusted_roots: vec![] };
    assert_eq!(run(&confused).unwrap_err().code, ErrorCode::CONFIG_INVALID);
    let missing = ProgramInput { mode: Mode::Receipt, evidence, now_ms, receipt: None, extra_trusted_roots: vec![] };
    assert_eq!(run(&missing).unwrap_err().code, ErrorCode::CONFIG_INVALID);
}

#[test]
fn domain_separator_depends_on_chain_and_contract() {
    let i = input();
    let own = receipt_domain_separator(i.chain_id, &i.verifying_contract);
    assert_ne!(own, receipt_domain_separator(i.chain_id + 1, &i.verifying_contract));
    let mut other = i.verifying_contract;
    other[19] ^= 1;
    assert_ne!(own, receipt_domain_separator(i.chain_id, &other));
}

#[test]
fn receipt_journal_is_claims_then_receipt_then_domain_then_binding() {
    use alloy_sol_types::SolValue;
    let claims = teezk_zk_core::Claims {
        teeType: 1,
        measurement: [1u8; 32].into(),
        reportData: [2u8; 32].into(),
        platformId: [3u8; 32].into(),
        rootHash: [4u8; 32].into(),
        timestamp: 7,
        tcbStatus: 254,
        svn: alloy_primitives::aliases::U48::from(9u64),
        debug: true,
    };
    let receipt = teezk_zk_core::receipt::to_sol(&input().receipt);
    let domain = alloy_primitives::FixedBytes::<32>::from([5u8; 32]);
    let binding = teezk_zk_core::ReceiptBinding { enclave: [6u8; 20].into(), hpkeKeyHash: [7u8; 32].into(), nonce: [8u8; 32].into() };
    let journal = (claims.clone(), receipt.clone(), domain, binding).abi_encode_params();
    let enclave_word = [vec![0u8; 12], vec![6u8; 20]].concat();
    assert_eq!(journal, [claims.abi_encode(), receipt.abi_encode(), vec![5u8; 32], enclave_word, vec![7u8; 32], vec![8u8; 32]].concat());
    assert_eq!(journal.len(), 19 * 32, "Sp1ReceiptVerifier.JOURNAL_LENGTH");
}
