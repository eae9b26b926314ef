//! PEM certificate bundles, tolerant of a missing final newline and CRLF line ends (real files have both).
use crate::error::Result;
use alloc::vec::Vec;
use base64::Engine;

/// The DER of every CERTIFICATE block, in file order. Text outside blocks is ignored, like OpenSSL does.
pub fn pem_certificates(text: &str, what: &str) -> Result<Vec<Vec<u8>>> {
    pem_blocks(text, "CERTIFICATE", what)
}

/// The DER of every X509 CRL block, in file order.
pub fn pem_crls(text: &str, what: &str) -> Result<Vec<Vec<u8>>> {
    pem_blocks(text, "X509 CRL", what)
}

fn pem_blocks(text: &str, label: &str, what: &str) -> Result<Vec<Vec<u8>>> {
    let begin = alloc::format!("-----BEGIN {label}-----");
    let end_line = alloc::format!("-----END {label}-----");
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(&begin) {
        let after = &rest[start + begin.len()..];
        let Some(end) = after.find(&end_line) else {
            crate::bail!(CERT_PARSE, "{what}: a PEM {label} block has no END line");
        };
        let body: Vec<u8> = after[..end].bytes().filter(|b| !b.is_ascii_whitespace()).collect();
        match base64::engine::general_purpose::STANDARD.decode(&body) {
            Ok(der) => out.push(der),
            Err(_) => crate::bail!(CERT_PARSE, "{what}: a PEM {label} block is not valid base64"),
        }
        rest = &after[end + end_line.len()..];
    }
    Ok(out)
}
