//! PEM certificate bundles, tolerant of a missing final newline and CRLF line ends (real files have both).
use crate::error::Result;
use alloc::vec::Vec;
use base64::Engine;

const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
const END: &str = "-----END CERTIFICATE-----";

/// The DER of every CERTIFICATE block, in file order. Text outside blocks is ignored, like OpenSSL does.
pub fn pem_certificates(text: &str, what: &str) -> Result<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(BEGIN) {
        let after = &rest[start + BEGIN.len()..];
        let Some(end) = after.find(END) else {
            crate::bail!(CERT_PARSE, "{what}: a PEM certificate block has no END line");
        };
        let body: Vec<u8> = after[..end].bytes().filter(|b| !b.is_ascii_whitespace()).collect();
        match base64::engine::general_purpose::STANDARD.decode(&body) {
            Ok(der) => out.push(der),
            Err(_) => crate::bail!(CERT_PARSE, "{what}: a PEM certificate block is not valid base64"),
        }
        rest = &after[end + END.len()..];
    }
    Ok(out)
}
