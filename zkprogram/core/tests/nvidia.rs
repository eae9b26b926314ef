mod common;
use common::*;
use teezk_zk_core::nvidia::verify_nvidia;
use teezk_zk_core::{ErrorCode, TcbStatus, TeeType};

const FOLDER: &str = "nvidia-gpu/nvtrust-hopper-sample";

#[test]
fn hopper_report_verifies_with_fields_from_spdm_offsets() {
    let report = evidence(&format!("{FOLDER}/attestation-report.hex"));
    let chain = pem_file_ders(&format!("{FOLDER}/cert-chain.pem"));
    let now = utc(2025, 1, 1);
    let c = verify_nvidia(&report, &chain, None, now, &[]).unwrap();
    assert_eq!(c.tee_type, TeeType::NVIDIA_GPU);
    // GET_MEASUREMENTS: version, code, param1, param2, then the 32-byte nonce.
    assert_eq!(&c.report_data[..], &report[4..36]);
    assert_eq!(c.platform_id, sha256(&chain[0]));
    assert_eq!(c.root_hash, sha256(&pem_file_ders("roots/nvidia/nvidia_device_identity_ca.pem")[0]));
    assert_eq!((c.timestamp, c.tcb_status, c.svn, c.debug), (now, TcbStatus::NOT_APPLICABLE, 0, false));
    // Measurement: the DMTF values of the blocks (response at 37: 8-byte header, record from 45), index order.
    let count = report[37 + 4] as usize;
    let mut at = 37 + 8;
    let mut values: Vec<(u8, Vec<u8>)> = Vec::new();
    for _ in 0..count {
        let size = u16::from_le_bytes([report[at + 2], report[at + 3]]) as usize;
        values.push((report[at], report[at + 7..at + 4 + size].to_vec()));
        at += 4 + size;
    }
    values.sort();
    assert_eq!(c.measurement, sha256(&values.into_iter().flat_map(|(_, v)| v).collect::<Vec<u8>>()));
    let nonce: [u8; 32] = report[4..36].try_into().unwrap();
    assert!(verify_nvidia(&report, &chain, Some(&nonce), now, &[]).is_ok());
}

#[test]
fn rejections_carry_stable_codes() {
    let report = evidence(&format!("{FOLDER}/attestation-report.hex"));
    let chain = pem_file_ders(&format!("{FOLDER}/cert-chain.pem"));
    let now = utc(2025, 1, 1);
    let code = |r: &[u8], c: &[Vec<u8>], n: Option<&[u8; 32]>| verify_nvidia(r, c, n, now, &[]).unwrap_err().code;
    assert_eq!(code(&report, &chain, Some(&[0xab; 32])), ErrorCode::GPU_NONCE_MISMATCH);
    for offset in [10, 60, report.len() - 120, report.len() - 1] {
        let mut m = report.clone();
        m[offset] ^= 1;
        assert_eq!(code(&m, &chain, None), ErrorCode::SIGNATURE_INVALID, "flip at {offset}");
    }
    assert_eq!(code(&report, &chain[1..], None), ErrorCode::SIGNATURE_INVALID, "another key signs for the leaf's place");
    assert_eq!(code(&report, &chain[..chain.len() - 1], None), ErrorCode::CERT_CHAIN_INVALID, "chain without its root");
    assert_eq!(code(&report[..report.len() - 1], &chain, None), ErrorCode::TRUNCATED);
    assert_eq!(code(&[report.as_slice(), &[1]].concat(), &chain, None), ErrorCode::TRAILING_DATA);
    let mut v = report.clone();
    v[0] = 0x12;
    assert_eq!(code(&v, &chain, None), ErrorCode::SPDM_INVALID);
}
