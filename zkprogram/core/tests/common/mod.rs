//! Real fixtures are read in place from the shared folder (TEEZK_FIXTURES overrides it), never copied.
#![allow(dead_code)]
use std::path::PathBuf;

pub fn fixture(relative: &str) -> PathBuf {
    let base = std::env::var("TEEZK_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures"));
    let path = base.join(relative);
    assert!(path.exists(), "fixture {} not found; set TEEZK_FIXTURES", path.display());
    path
}

/// Raw, hex or base64 file contents as bytes (the fixtures come in all three).
pub fn evidence(relative: &str) -> Vec<u8> {
    let raw = std::fs::read(fixture(relative)).unwrap();
    let text: String = raw.iter().filter(|b| !b.is_ascii_whitespace()).map(|&b| b as char).collect();
    if raw.iter().all(|b| b.is_ascii()) && !text.is_empty() {
        if let Ok(bytes) = hex::decode(text.trim_start_matches("0x")) {
            return bytes;
        }
        use base64::Engine;
        if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(&text) {
            return bytes;
        }
    }
    raw
}

pub fn pem_file_ders(relative: &str) -> Vec<Vec<u8>> {
    teezk_zk_core::pem::pem_certificates(&std::fs::read_to_string(fixture(relative)).unwrap(), relative).unwrap()
}

pub fn sha256(data: &[u8]) -> [u8; 32] {
    teezk_zk_core::hash::sha256(data)
}

/// Seconds since the epoch of a UTC date (days-from-civil), for verification times.
pub fn utc(y: i64, m: i64, d: i64) -> u64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    ((era * 146097 + doe - 719468) * 86400) as u64
}
