mod common;
use common::*;
use teezk_zk_core::dcap::{verify_dcap, QuoteCollateralV3};
use teezk_zk_core::{ErrorCode, TcbStatus, TeeType};

/// [evidence, verification date inside the PCK window, tdx]
const SAMPLES: &[(&str, (i64, i64, i64), bool)] = &[
    ("tdx/dcapqvl-v4-b0c06f/quote.bin", (2025, 6, 20), true),
    ("tdx/dcapqvl-near-v4-20a06f/quote.hex", (2025, 9, 3), true),
    ("tdx/automata-v4-00806f05/quote.bin", (2025, 7, 8), true),
    ("tdx/automata-v5-90c06f/quote.bin", (2025, 6, 10), true),
    ("tdx/gotdx-spr-e4-v4-50806f/quote.bin", (2023, 6, 20), true),
    ("tdx/gotdx-cos113-v4-00806f05/quote.bin", (2024, 8, 1), true),
    ("tdx/trustee-v4-00a06d08/quote.bin", (2025, 10, 28), true),
    ("sgx/dcapqvl-v3-00a06711/quote.bin", (2025, 6, 20), false),
    ("sgx/automata-v3-00606a/quote.hex", (2025, 8, 16), false),
    ("sgx/trustee-occlum-v3-00606a/quote.bin", (2023, 6, 1), false),
];

/// Body offset: v5 quotes have a 6-byte body descriptor after the 48-byte header.
fn body(quote: &[u8]) -> &[u8] {
    if u16::from_le_bytes([quote[0], quote[1]]) == 5 { &quote[54..] } else { &quote[48..] }
}

#[test]
fn every_real_quote_verifies_without_collateral_with_fields_from_spec_offsets() {
    let intel_root = std::fs::read(fixture("roots/intel-sgx/Intel_SGX_Root_CA.der")).unwrap();
    for &(sample, (y, m, d), tdx) in SAMPLES {
        let quote = evidence(sample);
        let now = utc(y, m, d);
        let c = verify_dcap(&quote, None, now, Some(tdx), &[]).unwrap_or_else(|e| panic!("{sample}: {e}"));
        let b = body(&quote);
        assert_eq!(c.root_hash, sha256(&intel_root), "{sample}");
        assert_eq!((c.tcb_status, c.timestamp), (TcbStatus::UNKNOWN, now));
        if tdx {
            assert_eq!(c.tee_type, TeeType::TDX);
            let registers: Vec<u8> = [&b[136..184], &b[184..232], &b[328..376], &b[376..424], &b[424..472]].concat();
            assert_eq!(c.measurement, sha256(&registers), "{sample}: MRTD‖MRCONFIGID‖RTMR0‖RTMR1‖RTMR2");
            assert_eq!(&c.report_data[..], &b[520..552]);
            assert_eq!(c.svn, (u64::from(b[1]) << 8) | u64::from(b[0]));
            assert_eq!(c.debug, b[120] & 1 == 1);
        } else {
            assert_eq!(c.tee_type, TeeType::SGX);
            assert_eq!(c.measurement, sha256(&[&b[64..96], &b[128..160]].concat()), "{sample}: MRENCLAVE‖MRSIGNER");
            assert_eq!(&c.report_data[..], &b[320..352]);
            assert_eq!(c.svn, u64::from(u16::from_le_bytes([b[258], b[259]])));
        }
        assert_eq!(verify_dcap(&quote, None, now, Some(!tdx), &[]).unwrap_err().code, ErrorCode::UNKNOWN_EVIDENCE_TYPE);
    }
}

#[test]
fn complete_dcap_qvl_collateral_gives_a_tcb_status() {
    for (folder, file, (y, m, d)) in [
        ("tdx/dcapqvl-v4-b0c06f", "quote.bin", (2025, 6, 20)),
        ("tdx/dcapqvl-near-v4-20a06f", "quote.hex", (2025, 9, 3)),
        ("sgx/dcapqvl-v3-00a06711", "quote.bin", (2025, 6, 20)),
    ] {
        let quote = evidence(&format!("{folder}/{file}"));
        let collateral: QuoteCollateralV3 = serde_json::from_slice(&std::fs::read(fixture(&format!("{folder}/collateral.json"))).unwrap()).unwrap();
        let c = verify_dcap(&quote, Some(&collateral), utc(y, m, d), None, &[]).unwrap_or_else(|e| panic!("{folder}: {e}"));
        assert!(c.tcb_status <= TcbStatus::OUT_OF_DATE_CONFIGURATION_NEEDED, "{folder}: status {}", c.tcb_status);
        // A month after the TCB info's nextUpdate the collateral is stale: a typed error, never a silent pass.
        let stale = verify_dcap(&quote, Some(&collateral), utc(y, m, d) + 60 * 86400, None, &[]).unwrap_err();
        assert!(matches!(stale.code, ErrorCode::COLLATERAL_EXPIRED | ErrorCode::COLLATERAL_INVALID | ErrorCode::CRL_INVALID), "{folder}: {stale}");
        let mut forged = collateral.clone();
        forged.tcb_info = forged.tcb_info.replacen("UpToDate", "OutOfDate", 1).replacen("OutOfDate\"", "UpToDate\"", 1);
        forged.tcb_info_signature[10] ^= 1;
        assert!(verify_dcap(&quote, Some(&forged), utc(y, m, d), None, &[]).is_err(), "{folder}: forged TCB info accepted");
    }
}

#[test]
fn rejections_carry_stable_codes() {
    let quote = evidence("tdx/dcapqvl-v4-b0c06f/quote.bin");
    let now = utc(2025, 6, 20);
    let code = |q: &[u8], t: u64| verify_dcap(q, None, t, None, &[]).unwrap_err().code;
    let flip = |at: usize| {
        let mut q = quote.clone();
        q[at] ^= 1;
        q
    };
    assert_eq!(code(&flip(48 + 136), now), ErrorCode::SIGNATURE_INVALID, "MRTD");
    assert_eq!(code(&flip(48 + 520), now), ErrorCode::SIGNATURE_INVALID, "REPORTDATA");
    assert_eq!(code(&flip(636), now), ErrorCode::SIGNATURE_INVALID, "quote signature");
    assert_eq!(code(&flip(636 + 64), now), ErrorCode::QE_REPORT_INVALID, "attestation key: no longer the one the QE report binds");
    assert_eq!(code(&flip(636 + 128 + 6 + 10), now), ErrorCode::QE_REPORT_INVALID, "QE report");
    assert_eq!(code(&quote, utc(2033, 6, 1)), ErrorCode::CERT_EXPIRED);
    assert_eq!(code(&quote[..1000], now), ErrorCode::TRUNCATED);
    assert_eq!(code(&[quote.as_slice(), &[0u8; 5000]].concat(), now), ErrorCode::TRAILING_DATA);
    let mut v = quote.clone();
    v[0] = 9;
    assert_eq!(code(&v, now), ErrorCode::UNSUPPORTED_VERSION);
}
