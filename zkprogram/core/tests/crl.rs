//! Revocation lists (crl.rs, the rules of TypeScript's `checkSnpRevocation`) on real CRLs: Intel's PCS issues
//! them like AMD's KDS (a CA of the chain signs the list of certificates it revoked), so the real PCK Platform
//! CA and Root CA CRLs exercise parsing, issuer matching, the signature, freshness and serial lookup. The
//! AMD path (RSA-PSS, ARK revoking an ASK) runs end to end in test/zkprogram/parity.test.ts with the dev PKI.
mod common;
use common::*;
use teezk_zk_core::crl::{cert_cn, check_chain_revocation, Crl};
use teezk_zk_core::x509::{parse_all, Cert};
use teezk_zk_core::ErrorCode;

const FOLDER: &str = "tdx/automata-v4-00806f05";

/// The quote's own PCK chain: leaf, Intel SGX PCK Platform CA, Intel SGX Root CA.
fn pck_chain() -> Vec<Cert> {
    let quote = evidence(&format!("{FOLDER}/quote.bin"));
    let parsed = teezk_zk_core::dcap::parse_quote(&quote).unwrap();
    let pem = std::str::from_utf8(parsed.pck_chain_pem).unwrap().trim_end_matches('\0');
    parse_all(&teezk_zk_core::pem::pem_certificates(pem, "PCK chain").unwrap(), "PCK chain").unwrap()
}

fn crls() -> Vec<Vec<u8>> {
    ["pck_platform_crl.der", "intel_root_ca_crl.der"].iter().map(|f| std::fs::read(fixture(&format!("{FOLDER}/{f}"))).unwrap()).collect()
}

/// Inside both lists' windows (PCK CRL 2025-07-07 .. 2025-08-06, root CRL 2025-03-20 .. 2026-04-03).
fn now() -> u64 {
    utc(2025, 7, 8)
}

#[test]
fn real_intel_crls_parse_and_apply_to_the_chain_of_their_issuers() {
    let chain = pck_chain();
    assert_eq!(cert_cn(&chain[1]).as_deref(), Some("Intel SGX PCK Platform CA"));
    let pck_crl = Crl::parse(&crls()[0], "pck_platform_crl.der").unwrap();
    assert_eq!(pck_crl.issuer_cn().as_deref(), Some("Intel SGX PCK Platform CA"));
    assert_eq!(pck_crl.revoked_serials().len(), 44, "openssl crl -text lists 44 revoked serials");
    assert!(pck_crl.signed_by(&chain[1]), "ECDSA P-256 signature by the PCK Platform CA");
    assert!(!pck_crl.signed_by(&chain[2]), "not by the root");
    assert!(!pck_crl.lists(&chain[0]), "this platform's PCK leaf is not revoked");
    assert!(check_chain_revocation(&chain, &crls(), now()).unwrap(), "both CRLs applied");
}

#[test]
fn a_stale_or_not_yet_valid_crl_is_crl_invalid() {
    let chain = pck_chain();
    assert_eq!(check_chain_revocation(&chain, &crls(), utc(2025, 8, 7)).unwrap_err().code, ErrorCode::CRL_INVALID, "after nextUpdate");
    assert_eq!(check_chain_revocation(&chain, &crls(), utc(2025, 7, 6)).unwrap_err().code, ErrorCode::CRL_INVALID, "before thisUpdate");
}

#[test]
fn a_tampered_or_unparseable_crl_is_crl_invalid() {
    let chain = pck_chain();
    let mut tampered = crls();
    // A byte inside the last revoked serial: still a CRL, no longer the one the CA signed.
    let at = tampered[0].len() - 120;
    tampered[0][at] ^= 0x01;
    let error = check_chain_revocation(&chain, &tampered, now()).unwrap_err();
    assert_eq!(error.code, ErrorCode::CRL_INVALID, "{error}");
    assert_eq!(check_chain_revocation(&chain, &[vec![0x30, 0x03, 0x02, 0x01, 0x01]], now()).unwrap_err().code, ErrorCode::CRL_INVALID);
}

#[test]
fn crls_of_other_hierarchies_are_ignored_and_the_leaf_never_issues() {
    let chain = pck_chain();
    // Only the leaf: no CA of this "chain" issued either CRL.
    assert!(!check_chain_revocation(&chain[..1], &crls(), now()).unwrap());
    // A chain without the PCK CA: only the root CRL applies, and it is stale by 2026-05 while the PCK one is ignored.
    let root_only = vec![Cert::parse(&chain[0].der, "leaf").unwrap(), Cert::parse(&chain[2].der, "root").unwrap()];
    assert!(check_chain_revocation(&root_only, &crls(), now()).unwrap());
    assert_eq!(check_chain_revocation(&root_only, &crls(), utc(2026, 5, 1)).unwrap_err().code, ErrorCode::CRL_INVALID);
    assert!(!check_chain_revocation(&chain, &[], now()).unwrap(), "nothing applied without CRLs");
}
