mod common;
use common::*;
use teezk_zk_core::snp::verify_snp;
use teezk_zk_core::{ErrorCode, TcbStatus, TeeType};

fn certs(files: &[&str]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for f in files {
        if f.ends_with(".der") {
            out.push(std::fs::read(fixture(f)).unwrap());
        } else {
            out.extend(pem_file_ders(f));
        }
    }
    out
}

const MILAN: &[&str] = &["roots/amd-sev-snp/ark_milan.pem", "roots/amd-sev-snp/ask_milan.pem"];

#[test]
fn milan_vcek_reports_verify_with_fields_from_raw_offsets() {
    for (folder, signer) in [("sev-snp/gosevguest-milan-vcek", "vcek.der"), ("sev-snp/trustee-milan-vcek", "vcek.der")] {
        let report = std::fs::read(fixture(&format!("{folder}/report.bin"))).unwrap();
        let mut files = vec![format!("{folder}/{signer}")];
        files.extend(MILAN.iter().map(|s| s.to_string()));
        let files: Vec<&str> = files.iter().map(String::as_str).collect();
        let now = utc(2025, 1, 1);
        let c = verify_snp(&report, &certs(&files), now, &[]).unwrap_or_else(|e| panic!("{folder}: {e}"));
        assert_eq!(c.tee_type, TeeType::SEV_SNP);
        assert_eq!(c.measurement, sha256(&report[0x90..0xc0]));
        assert_eq!(c.report_data, <[u8; 32]>::try_from(&report[0x50..0x70]).unwrap());
        assert_eq!(c.platform_id, sha256(&report[0x1a0..0x1e0]));
        assert_eq!(c.root_hash, sha256(&pem_file_ders("roots/amd-sev-snp/ark_milan.pem")[0]));
        let t = &report[0x180..0x188];
        assert_eq!(u64::from(c.svn), u64::from(u32::from_be_bytes([t[0], t[1], t[6], t[7]])));
        assert_eq!(c.debug, report[0x0a] & 0x08 != 0, "policy bit 19");
        assert_eq!((c.timestamp, c.tcb_status), (now, TcbStatus::UNKNOWN), "no CRL given");
    }
}

/// Issue 12 item 3: a prover that leaves the AMD CRL out must not get claims that read as fully judged.
#[test]
fn without_a_crl_of_the_chain_the_claims_say_unknown_not_not_applicable() {
    let folder = "sev-snp/trustee-milan-vcek";
    let report = std::fs::read(fixture(&format!("{folder}/report.bin"))).unwrap();
    let c = verify_snp(&report, &certs(&[&format!("{folder}/vcek.der"), MILAN[0], MILAN[1]]), utc(2025, 1, 1), &[]).unwrap();
    assert_eq!(c.tcb_status, TcbStatus::UNKNOWN);
}

/// Issue 12 item 13: the real VLEK report was requested at VMPL 1; its measurement is not the VMPL-0 one.
#[test]
fn a_report_at_vmpl_1_does_not_carry_the_plain_guest_measurement() {
    let vlek = std::fs::read(fixture("sev-snp/trustee-milan-vlek/report.bin")).unwrap();
    assert_eq!(u32::from_le_bytes(vlek[0x30..0x34].try_into().unwrap()), 1);
    let c = verify_snp(&vlek, &certs(&["sev-snp/trustee-milan-vlek/vlek.der", "roots/amd-sev-snp/asvk_ark_milan_vlek.pem"]), utc(2025, 6, 1), &[]).unwrap();
    assert_ne!(c.measurement, sha256(&vlek[0x90..0xc0]));
    let mut identity = vlek[0x90..0xc0].to_vec();
    identity.extend_from_slice(&[1, 0, 0, 0, 0]);
    assert_eq!(c.measurement, sha256(&identity));
}

#[test]
fn vlek_and_azure_genoa_reports_verify() {
    let vlek = std::fs::read(fixture("sev-snp/trustee-milan-vlek/report.bin")).unwrap();
    let c = verify_snp(&vlek, &certs(&["sev-snp/trustee-milan-vlek/vlek.der", "roots/amd-sev-snp/asvk_ark_milan_vlek.pem"]), utc(2025, 6, 1), &[]).unwrap();
    assert_eq!(c.platform_id, sha256(&[0u8; 64]), "the VLEK report's chip id is masked");
    let azure = std::fs::read(fixture("sev-snp/trustee-azure-genoa-hcl/evidence.json")).unwrap();
    let c = verify_snp(&azure, &certs(&["roots/amd-sev-snp/ark_genoa.pem", "roots/amd-sev-snp/ask_genoa.pem"]), utc(2025, 6, 1), &[]).unwrap();
    assert_eq!(c.root_hash, sha256(&pem_file_ders("roots/amd-sev-snp/ark_genoa.pem")[0]));
}

#[test]
fn rejections_carry_stable_codes() {
    let folder = "sev-snp/gosevguest-milan-vcek";
    let report = std::fs::read(fixture(&format!("{folder}/report.bin"))).unwrap();
    let vcek = format!("{folder}/vcek.der");
    let good = certs(&[&vcek, MILAN[0], MILAN[1]]);
    let now = utc(2025, 1, 1);
    let code = |r: &[u8], c: &[Vec<u8>], t: u64| verify_snp(r, c, t, &[]).unwrap_err().code;
    for offset in [0x50, 0x90, 0x180, 0x1a0, 0x2a0, 0x2e8] {
        let mut m = report.clone();
        m[offset] ^= 1;
        let got = code(&m, &good, now);
        assert!(matches!(got, ErrorCode::SIGNATURE_INVALID | ErrorCode::SNP_TCB_MISMATCH), "offset {offset:#x}: {got:?}");
    }
    assert_eq!(code(&report, &good, utc(2035, 1, 1)), ErrorCode::CERT_EXPIRED);
    assert_eq!(code(&report, &certs(&[&vcek, MILAN[0]]), now), ErrorCode::COLLATERAL_MISSING, "no ASK");
    assert_eq!(code(&report, &certs(&[&vcek, MILAN[1]]), now), ErrorCode::CERT_CHAIN_INVALID, "no ARK");
    assert_eq!(code(&report[..0x4a0 - 1], &good, now), ErrorCode::SNP_REPORT_INVALID);
    let wrong_vcek = certs(&["sev-snp/trustee-milan-vcek/vcek.der", MILAN[0], MILAN[1]]);
    assert_eq!(code(&report, &wrong_vcek, now), ErrorCode::SIGNATURE_INVALID, "another chip's VCEK");
    let genoa = certs(&[&vcek, "roots/amd-sev-snp/ark_genoa.pem", "roots/amd-sev-snp/ask_genoa.pem"]);
    assert_eq!(code(&report, &genoa, now), ErrorCode::COLLATERAL_MISSING, "Genoa chain for a Milan VCEK");
}
