mod common;
use common::*;
use teezk_zk_core::nitro::{parse_document, verify_nitro};
use teezk_zk_core::{ErrorCode, TcbStatus, TeeType};

const SAMPLES: &[&str] = &[
    "nitro/evervault-ga-2023-09/attestation-doc.b64",
    "nitro/evervault-beta-2022-10/attestation-doc.cbor",
    "nitro/eternis-2024-09/attestation-doc.b64",
    "nitro/blocky-debug-2024-09/attestation-doc.b64",
];

/// The payload's timestamp, read with an independent minimal walk of the COSE array.
fn document_ms(doc: &[u8]) -> u64 {
    let mut d = minicbor_payload(doc);
    parse_document(&std::mem::take(&mut d)).unwrap().timestamp_ms
}

fn minicbor_payload(doc: &[u8]) -> Vec<u8> {
    // COSE_Sign1 = [bstr protected, {} unprotected, bstr payload, bstr signature], optionally tag 18.
    let mut i = if doc[0] == 0xd2 { 1 } else { 0 };
    assert_eq!(doc[i], 0x84);
    i += 1;
    let read_bstr = |i: &mut usize| -> Vec<u8> {
        let head = doc[*i];
        assert_eq!(head >> 5, 2, "byte string expected");
        let (len, skip) = match head & 0x1f {
            n @ 0..=23 => (n as usize, 1),
            24 => (doc[*i + 1] as usize, 2),
            25 => (u16::from_be_bytes([doc[*i + 1], doc[*i + 2]]) as usize, 3),
            _ => panic!("length form"),
        };
        let out = doc[*i + skip..*i + skip + len].to_vec();
        *i += skip + len;
        out
    };
    read_bstr(&mut i);
    assert_eq!(doc[i], 0xa0, "empty unprotected map");
    i += 1;
    read_bstr(&mut i)
}

#[test]
fn real_documents_verify_at_their_own_time() {
    let root = pem_file_ders("roots/aws-nitro/root.pem").remove(0);
    for sample in SAMPLES {
        let doc = evidence(sample);
        let ms = document_ms(&doc);
        let claims = verify_nitro(&doc, ms, &[]).unwrap_or_else(|e| panic!("{sample}: {e}"));
        assert_eq!(claims.tee_type, TeeType::NITRO);
        assert_eq!(claims.root_hash, sha256(&root), "{sample}: rooted at the published AWS root");
        assert_eq!(claims.timestamp, ms / 1000);
        assert_eq!(claims.tcb_status, TcbStatus::NOT_APPLICABLE);
        assert_eq!(claims.svn, 0);
    }
}

#[test]
fn debug_sample_is_flagged_and_production_is_not() {
    let debug = evidence("nitro/blocky-debug-2024-09/attestation-doc.b64");
    assert!(verify_nitro(&debug, document_ms(&debug), &[]).unwrap().debug);
    // evervault-ga is a debug document too (all-zero PCRs); the beta document is a production image.
    let prod = evidence("nitro/evervault-beta-2022-10/attestation-doc.cbor");
    assert!(!verify_nitro(&prod, document_ms(&prod), &[]).unwrap().debug);
}

#[test]
fn rejections_carry_stable_codes() {
    let doc = evidence("nitro/evervault-ga-2023-09/attestation-doc.b64");
    let ms = document_ms(&doc);
    let code = |bytes: &[u8], now: u64| verify_nitro(bytes, now, &[]).unwrap_err().code;

    let mut sig = doc.clone();
    let last = sig.len() - 1;
    sig[last] ^= 1;
    assert_eq!(code(&sig, ms), ErrorCode::SIGNATURE_INVALID);
    assert_eq!(code(&doc, ms + 400 * 24 * 3600 * 1000), ErrorCode::CERT_EXPIRED, "a year later the leaf has expired");
    assert_eq!(code(&doc, ms - 3_600_000), ErrorCode::EVIDENCE_FROM_FUTURE);
    assert_eq!(code(&doc[..doc.len() - 10], ms), ErrorCode::COSE_INVALID);
    let mut trailing = doc.clone();
    trailing.push(0);
    assert_eq!(code(&trailing, ms), ErrorCode::TRAILING_DATA);
    assert_eq!(code(&[], ms), ErrorCode::INPUT_EMPTY);
    assert_eq!(code(&vec![0u8; 40_000], ms), ErrorCode::INPUT_TOO_LARGE);
    let negative = evidence("nitro/eternis-2024-09/NEGATIVE-invalid-attestation-doc.b64");
    let nms = document_ms(&evidence("nitro/eternis-2024-09/attestation-doc.b64"));
    assert_eq!(code(&negative, nms), ErrorCode::SIGNATURE_INVALID);
}

#[test]
fn every_single_byte_flip_in_the_signed_payload_is_rejected() {
    let doc = evidence("nitro/evervault-beta-2022-10/attestation-doc.cbor");
    let ms = document_ms(&doc);
    // A stride keeps the run short while touching every region (header, fields, certificates, signature).
    for index in (0..doc.len()).step_by(97) {
        let mut mutated = doc.clone();
        mutated[index] ^= 0x40;
        assert!(verify_nitro(&mutated, ms, &[]).is_err(), "flip at {index} accepted");
    }
}
