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

const SET: &str = "nvidia-gpu/nvtrust-ppcie-8xh100/gpu_evidence.json";

fn set_json() -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(fixture(SET)).unwrap()).unwrap()
}

#[test]
fn eight_gpu_set_verifies_every_gpu_and_commits_gpu_0() {
    use teezk_zk_core::nvidia::verify_nvidia_set;
    let bytes = std::fs::read(fixture(SET)).unwrap();
    let now = utc(2025, 1, 1);
    let all = verify_nvidia_set(&bytes, &[], None, now, &[]).unwrap();
    assert_eq!(all.len(), 8);
    let mut platforms: Vec<_> = all.iter().map(|c| c.platform_id).collect();
    platforms.sort();
    platforms.dedup();
    assert_eq!(platforms.len(), 8, "each GPU has its own leaf");
    assert!(all.iter().all(|c| c.report_data == all[0].report_data), "one shared nonce");
    assert_eq!(&hex::encode(all[0].report_data)[..8], "4760e305", "PROVENANCE: nonce 4760e305…");
    assert_eq!(verify_nvidia(&bytes, &[], None, now, &[]).unwrap(), all[0]);
    let nonce = all[0].report_data;
    assert!(verify_nvidia(&bytes, &[], Some(&nonce), now, &[]).is_ok());
    assert_eq!(verify_nvidia(&bytes, &[], Some(&[7; 32]), now, &[]).unwrap_err().code, ErrorCode::GPU_NONCE_MISMATCH);
}

#[test]
fn sets_that_pad_mix_or_misstate_are_refused() {
    let now = utc(2025, 1, 1);
    let code = |doc: &serde_json::Value| verify_nvidia(&serde_json::to_vec(doc).unwrap(), &[], None, now, &[]).unwrap_err().code;
    let set = set_json();
    let gpus = set.as_array().unwrap();
    // GPU 0 twice: a set padded with a copy of a genuine report.
    assert_eq!(code(&serde_json::json!([gpus[0], gpus[1], gpus[0]])), ErrorCode::GPU_EVIDENCE_SET_INVALID);
    // The single-GPU sample (another session's nonce) next to GPU 0 of the set.
    let report = std::fs::read_to_string(fixture(&format!("{FOLDER}/attestation-report.hex"))).unwrap();
    let chain = std::fs::read_to_string(fixture(&format!("{FOLDER}/cert-chain.pem"))).unwrap();
    let other = serde_json::json!({ "evidence": report.trim(), "certificate": chain });
    assert_eq!(code(&serde_json::json!([gpus[0], other])), ErrorCode::GPU_NONCE_MISMATCH);
    // The stated (unsigned) nonce must be the signed one.
    let mut lying = gpus[0].clone();
    lying["nonce"] = serde_json::json!("ab".repeat(32));
    assert_eq!(code(&serde_json::json!([lying])), ErrorCode::GPU_NONCE_MISMATCH);
    lying["nonce"] = serde_json::json!("abcd");
    assert_eq!(code(&serde_json::json!([lying])), ErrorCode::MALFORMED);
    // Shapes: evidence_list with a shared nonce, one bare entry; no GPU, not JSON, garbage base64.
    let shared = serde_json::json!({ "evidence_list": [gpus[2]], "nonce": gpus[2]["nonce"] });
    assert!(verify_nvidia(&serde_json::to_vec(&shared).unwrap(), &[], None, now, &[]).is_ok());
    assert!(verify_nvidia(&serde_json::to_vec(&gpus[3]).unwrap(), &[], None, now, &[]).is_ok());
    assert_eq!(code(&serde_json::json!([])), ErrorCode::MALFORMED);
    assert_eq!(verify_nvidia(b"[{\"evidence\": ", &[], None, now, &[]).unwrap_err().code, ErrorCode::MALFORMED);
    let mut garbage = gpus[0].clone();
    garbage["evidence"] = serde_json::json!("!!!!");
    assert_eq!(code(&serde_json::json!([garbage])), ErrorCode::INPUT_ENCODING);
    // No chain in the entry and none in the collateral.
    let mut chainless = gpus[0].clone();
    chainless.as_object_mut().unwrap().remove("certificate");
    assert_eq!(code(&serde_json::json!([chainless])), ErrorCode::COLLATERAL_MISSING);
}

#[test]
fn fwid_certified_by_the_leaf_must_be_the_reported_one() {
    use teezk_zk_core::nvidia::{certified_fwid, check_fwid, parse_gpu_report};
    use teezk_zk_core::x509::Cert;
    let report = evidence(&format!("{FOLDER}/attestation-report.hex"));
    let chain = pem_file_ders(&format!("{FOLDER}/cert-chain.pem"));
    let leaf = Cert::parse(&chain[0], "leaf").unwrap();
    let parsed = parse_gpu_report(&report).unwrap();
    let reported = parsed.fwid.expect("the Hopper report states its FWID");
    let certified = certified_fwid(&leaf).unwrap().expect("the FMC leaf certifies one");
    assert_eq!(hex::encode(certified), "f5c384aebb579217a2c66b17ed0f28e6a9b8d639041acd7b4721cec004f7275494ba94bb5cdfdb3055ee051762b1f75d", "TypeScript registers.fwid");
    assert_eq!(reported, certified.as_slice());
    assert!(check_fwid(&leaf, Some(reported)).is_ok());
    let mut other = reported.to_vec();
    other[0] ^= 1;
    assert_eq!(check_fwid(&leaf, Some(&other)).unwrap_err().code, ErrorCode::GPU_FWID_MISMATCH);
    assert!(check_fwid(&leaf, Some(&[])).is_ok(), "an empty FWID field is not compared (TypeScript)");
    assert!(check_fwid(&leaf, None).is_ok());
    let ca = Cert::parse(&chain[1], "ca").unwrap();
    assert_eq!(certified_fwid(&ca).unwrap(), None, "a certificate without TcbInfo certifies nothing");
}

#[test]
fn opaque_data_is_framed_strictly() {
    let report = evidence(&format!("{FOLDER}/attestation-report.hex"));
    let chain = pem_file_ders(&format!("{FOLDER}/cert-chain.pem"));
    let code = |r: &[u8]| verify_nvidia(r, &chain, None, utc(2025, 1, 1), &[]).unwrap_err().code;
    // OpaqueLength sits right before the opaque data, which ends 96 bytes (the signature) before the end.
    let parsed = teezk_zk_core::nvidia::parse_gpu_report(&report).unwrap();
    let opaque_end = parsed.signed.len();
    let count = report[37 + 4] as usize;
    let mut at = 37 + 8;
    for _ in 0..count {
        at += 4 + u16::from_le_bytes([report[at + 2], report[at + 3]]) as usize;
    }
    let opaque_start = at + 32 + 2;
    assert_eq!(u16::from_le_bytes([report[at + 32], report[at + 33]]) as usize, opaque_end - opaque_start);
    // First field's size made one larger than what is left: it overruns the opaque data.
    let mut overrun = report.clone();
    let size = u16::from_le_bytes([report[opaque_start + 2], report[opaque_start + 3]]) + (opaque_end - opaque_start) as u16;
    overrun[opaque_start + 2..opaque_start + 4].copy_from_slice(&size.to_le_bytes());
    assert_eq!(code(&overrun), ErrorCode::SPDM_INVALID);
    // Second field retyped as the first: a type twice.
    let mut twice = report.clone();
    let second = opaque_start + 4 + u16::from_le_bytes([report[opaque_start + 2], report[opaque_start + 3]]) as usize;
    twice[second..second + 2].copy_from_slice(&report[opaque_start..opaque_start + 2]);
    assert_eq!(code(&twice), ErrorCode::SPDM_INVALID);
}

/// Issue 12 item 2: a GPU's SPDM nonce is whatever the host driving it chose, so the program must never commit a
/// standalone GPU report as an enclave's claims (receipt mode verifies the same evidence first).
#[test]
fn the_program_refuses_a_standalone_gpu_report() {
    use teezk_zk_core::{run, Evidence, Mode, ProgramInput};
    let report = evidence(&format!("{FOLDER}/attestation-report.hex"));
    let certificates = pem_file_ders(&format!("{FOLDER}/cert-chain.pem"));
    let nonce: [u8; 32] = report[4..36].try_into().unwrap();
    let now_ms = utc(2025, 1, 1) * 1000;
    for (expected_nonce, label) in [(None, "no nonce"), (Some(nonce), "the nonce the attacker chose")] {
        let input = ProgramInput {
            mode: Mode::Attest,
            evidence: Evidence::Nvidia { report: report.clone(), certificates: certificates.clone(), expected_nonce },
            now_ms,
            receipt: None,
            extra_trusted_roots: vec![],
        };
        let outcome = run(&input);
        assert_eq!(outcome.map_err(|e| e.code.as_str()), Err("GPU_NOT_AN_ENCLAVE"), "attest mode, {label}");
        // The report itself is genuine: inspecting it gives its claims, which are no journal.
        assert!(teezk_zk_core::inspect_gpu_evidence(&input.evidence, now_ms, &[]).is_ok(), "{label}");
    }
    let set = std::fs::read(fixture(SET)).unwrap();
    let input = ProgramInput { mode: Mode::Attest, evidence: Evidence::Nvidia { report: set, certificates: vec![], expected_nonce: None }, now_ms, receipt: None, extra_trusted_roots: vec![] };
    assert_eq!(run(&input).map_err(|e| e.code.as_str()), Err("GPU_NOT_AN_ENCLAVE"), "an 8-GPU nvtrust set");
}
