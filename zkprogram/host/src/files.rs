//! Reading evidence, collateral folders and receipt JSON from disk into the program input.
use crate::TeeArg;
use base64::Engine;
use std::fs;
use std::path::{Path, PathBuf};
use teezk_zk_core::input::{ReceiptFields, ReceiptInput};
use teezk_zk_core::{Error, ErrorCode, Evidence};

/// Larger than any evidence cap in core (SNP 256 KiB); core applies the per-vendor caps.
const MAX_FILE_BYTES: u64 = 1024 * 1024;

fn err(code: ErrorCode, message: impl Into<String>) -> Error {
    Error::new(code, message)
}

fn read(path: &Path, what: &str) -> Result<Vec<u8>, Error> {
    let meta = fs::metadata(path).map_err(|e| err(ErrorCode::CONFIG_INVALID, format!("{what} {}: {e}", path.display())))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(err(ErrorCode::INPUT_TOO_LARGE, format!("{what} {} is {} bytes (cap {MAX_FILE_BYTES})", path.display(), meta.len())));
    }
    fs::read(path).map_err(|e| err(ErrorCode::CONFIG_INVALID, format!("{what} {}: {e}", path.display())))
}

/// Raw binary, hex (optionally 0x) or base64, like TypeScript's `decodeEvidenceInput`.
pub fn decode_evidence_input(input: &[u8]) -> Result<Vec<u8>, Error> {
    if input.is_empty() {
        return Err(err(ErrorCode::INPUT_EMPTY, "The evidence is empty"));
    }
    let printable = input.iter().all(|&b| (0x20..0x7f).contains(&b) || b == b'\n' || b == b'\r' || b == b'\t');
    if printable {
        let text: String = input.iter().filter(|b| !b.is_ascii_whitespace()).map(|&b| b as char).collect();
        if !text.is_empty() {
            let body = text.strip_prefix("0x").unwrap_or(&text);
            if body.len() % 2 == 0 && body.bytes().all(|b| b.is_ascii_hexdigit()) {
                return hex::decode(body).map_err(|_| err(ErrorCode::INPUT_ENCODING, "bad hex"));
            }
            let b64ish = text.trim_end_matches('=');
            let padding = text.len() - b64ish.len();
            if padding <= 2 && !b64ish.is_empty() && b64ish.bytes().all(|b| b.is_ascii_alphanumeric() || b"+/_-".contains(&b)) && text.len() % 4 != 1 {
                let url = text.contains('-') || text.contains('_');
                let engine = if url { &base64::engine::general_purpose::URL_SAFE_NO_PAD } else { &base64::engine::general_purpose::STANDARD_NO_PAD };
                if let Ok(bytes) = engine.decode(b64ish) {
                    if !bytes.is_empty() {
                        return Ok(bytes);
                    }
                }
            }
        }
    }
    Ok(input.to_vec())
}

fn list_dir(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let entries = fs::read_dir(dir).map_err(|e| err(ErrorCode::COLLATERAL_MISSING, format!("collateral folder {}: {e}", dir.display())))?;
    let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_file()).collect();
    files.sort();
    Ok(files)
}

/// Every certificate (PEM bundle or DER) in the folders; upstream negative samples (NEGATIVE-*) are skipped.
fn certificates_in(dirs: &[PathBuf]) -> Result<Vec<Vec<u8>>, Error> {
    let mut out = Vec::new();
    for dir in dirs {
        for path in list_dir(dir)? {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.starts_with("NEGATIVE-") {
                continue;
            }
            let lower = name.to_ascii_lowercase();
            if lower.ends_with(".pem") || lower.ends_with(".crt") || lower.ends_with(".cer") {
                let text = String::from_utf8_lossy(&read(&path, "certificate")?).into_owned();
                out.extend(teezk_zk_core::pem::pem_certificates(&text, name)?);
            } else if lower.ends_with(".der") {
                let der = read(&path, "certificate")?;
                // Only certificates: CRLs (also .der) start the same way, so tell them apart by parsing.
                if teezk_zk_core::x509::Cert::parse(&der, name).is_ok() {
                    out.push(der);
                }
            }
        }
    }
    Ok(out)
}

/// SEV-SNP collateral like TypeScript's `loadSnpCollateral`: every `.pem/.der/.cer/.crt/.crl` file of the
/// folders; PEM files give their CERTIFICATE and X509 CRL blocks; a DER file is a certificate when it parses as
/// one, else a CRL (checked when its issuer is in the chain). Upstream negative samples (NEGATIVE-*) are skipped.
fn snp_collateral_in(dirs: &[PathBuf]) -> Result<(Vec<Vec<u8>>, Vec<Vec<u8>>), Error> {
    let (mut certs, mut crls) = (Vec::new(), Vec::new());
    for dir in dirs {
        for path in list_dir(dir)? {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
            let lower = name.to_ascii_lowercase();
            if name.starts_with("NEGATIVE-") || ![".pem", ".der", ".cer", ".crt", ".crl"].iter().any(|ext| lower.ends_with(ext)) {
                continue;
            }
            let bytes = read(&path, "collateral file")?;
            let text = String::from_utf8_lossy(&bytes);
            if text.contains("-----BEGIN ") {
                let found_certs = teezk_zk_core::pem::pem_certificates(&text, &name)?;
                let found_crls = teezk_zk_core::pem::pem_crls(&text, &name)?;
                if found_certs.is_empty() && found_crls.is_empty() {
                    return Err(err(ErrorCode::COLLATERAL_INVALID, format!("Collateral file {name} holds no PEM certificate or CRL")));
                }
                certs.extend(found_certs);
                crls.extend(found_crls);
            } else if teezk_zk_core::x509::Cert::parse(&bytes, &name).is_ok() {
                certs.push(bytes);
            } else if bytes.len() > 4 && bytes[0] == 0x30 {
                crls.push(bytes);
            } else {
                return Err(err(ErrorCode::COLLATERAL_INVALID, format!("Collateral file {name} is neither PEM nor DER")));
            }
        }
    }
    Ok((certs, crls))
}

pub fn load_evidence(tee: TeeArg, path: &Path, collateral: &[PathBuf], nonce: Option<&str>) -> Result<Evidence, Error> {
    let bytes = decode_evidence_input(&read(path, "evidence")?)?;
    Ok(match tee {
        TeeArg::Nitro => Evidence::Nitro { document: bytes },
        TeeArg::Sevsnp => {
            let (certificates, crls) = snp_collateral_in(collateral)?;
            Evidence::SevSnp { evidence: bytes, certificates, crls }
        }
        TeeArg::Tdx | TeeArg::Sgx => Evidence::Dcap {
            collateral: crate::files::dcap_collateral(collateral, &bytes)?,
            quote: bytes,
            tdx: tee == TeeArg::Tdx,
        },
        TeeArg::Nvidia => {
            let expected_nonce = match nonce {
                None => None,
                Some(text) => Some(parse_hex_array::<32>(text, "--nonce")?),
            };
            Evidence::Nvidia { report: bytes, certificates: certificates_in(collateral)?, expected_nonce }
        }
    })
}

/// The Intel PCS files of a collateral folder, by role; `|` separates alternatives (TypeScript's PCS_FILES).
const PCS_ITEMS: &[(&str, &[&str])] = &[
    ("TCB info", &["tcb_info.json"]),
    ("QE identity", &["qe_identity.json"]),
    ("TCB signing certificate", &["tcb_signing_cert.der", "tcb_signing_chain.pem"]),
    ("PCK CRL", &["pck_platform_crl.der", "pck_processor_crl.der"]),
    ("Intel root CA CRL", &["intel_root_ca_crl.der"]),
];

/// DCAP collateral from one or more folders (earlier folders win per file, like TypeScript's merge):
/// `collateral.json` (dcap-qvl layout) or the Intel PCS files of [`PCS_ITEMS`] (plus optional
/// `pck_platform_ca.der`/`pck_processor_ca.der`; the quote's own chain supplies the PCK CA otherwise).
///
/// No collateral item at all is `None`: tcbStatus UNKNOWN (254), as TypeScript reports with every collateral
/// check "not_checked". All items: the appraisal (dcap-qvl). Some but not all: COLLATERAL_MISSING naming what is
/// missing. TypeScript refuses some such sets too (QE identity or TCB info without the signing certificate,
/// with the same code) and accepts others, marking the missing checks "not_checked" for a policy to weigh; a
/// journal has no per-check field, so a status computed without, say, the CRLs would read on-chain as a fully
/// checked one. The program therefore appraises complete collateral or none.
pub fn dcap_collateral(dirs: &[PathBuf], quote: &[u8]) -> Result<Option<teezk_zk_core::dcap::QuoteCollateralV3>, Error> {
    for dir in dirs {
        if !dir.is_dir() {
            return Err(err(ErrorCode::COLLATERAL_MISSING, format!("The DCAP collateral folder does not exist: {}", dir.display())));
        }
    }
    let Some(first) = dirs.first() else { return Ok(None) };
    let json = first.join("collateral.json");
    if json.is_file() {
        let bytes = read(&json, "collateral")?;
        return serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| err(ErrorCode::COLLATERAL_INVALID, format!("{}: not a dcap-qvl collateral ({e})", json.display())));
    }
    let find = |name: &str| dirs.iter().map(|d| d.join(name)).find(|p| p.is_file());
    let present: Vec<bool> = PCS_ITEMS.iter().map(|(_, names)| names.iter().any(|n| find(n).is_some())).collect();
    if present.iter().all(|p| !p) {
        return Ok(None);
    }
    if present.iter().any(|p| !p) {
        let missing: Vec<String> = PCS_ITEMS
            .iter()
            .zip(&present)
            .filter(|(_, p)| !**p)
            .map(|((what, names), _)| format!("{what} ({})", names.join(" or ")))
            .collect();
        return Err(err(
            ErrorCode::COLLATERAL_MISSING,
            format!(
                "The DCAP collateral is incomplete: {} missing. The program appraises complete collateral or none \
                 (a journal cannot mark single checks as not performed); fetch the missing items from Intel PCS",
                missing.join(", ")
            ),
        ));
    }
    pcs_collateral(&find, quote).map(Some)
}

fn pem_block(der: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str("-----END CERTIFICATE-----\n");
    out
}

/// The raw `tcbInfo` / `enclaveIdentity` member text and the hex signature of an Intel PCS JSON response:
/// the signature covers the exact bytes, so the member is cut out of the text, never re-serialised.
fn signed_member(text: &str, member: &str, what: &str) -> Result<(String, Vec<u8>), Error> {
    let bad = |m: &str| err(ErrorCode::COLLATERAL_INVALID, format!("{what}: {m}"));
    let key = format!("\"{member}\"");
    let start = text.find(&key).ok_or_else(|| bad("member missing"))? + key.len();
    let rest = &text[start..];
    let open = rest.find('{').ok_or_else(|| bad("member is not an object"))?;
    let mut depth = 0i32;
    let mut in_str = false;
    let mut escaped = false;
    let mut end = None;
    for (i, c) in rest[open..].char_indices() {
        if in_str {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    end = Some(open + i + 1);
                    break;
                }
            }
            _ => {}
        }
    }
    let end = end.ok_or_else(|| bad("unterminated member"))?;
    let body = rest[open..end].to_string();
    let value: serde_json::Value = serde_json::from_str(text).map_err(|_| bad("not JSON"))?;
    let sig = value.get("signature").and_then(|s| s.as_str()).ok_or_else(|| bad("no signature"))?;
    Ok((body, hex::decode(sig).map_err(|_| bad("signature is not hex"))?))
}

fn pcs_collateral(find: &dyn Fn(&str) -> Option<PathBuf>, quote: &[u8]) -> Result<teezk_zk_core::dcap::QuoteCollateralV3, Error> {
    let need = |names: &[&str]| -> Result<(Vec<u8>, String), Error> {
        let (path, name) = names.iter().find_map(|n| find(n).map(|p| (p, (*n).to_string()))).ok_or_else(|| {
            err(ErrorCode::COLLATERAL_MISSING, format!("{} is missing from the collateral folder", names.join(" or ")))
        })?;
        Ok((read(&path, &name)?, name))
    };
    let text = |names: &[&str]| -> Result<String, Error> {
        let (bytes, name) = need(names)?;
        String::from_utf8(bytes).map_err(|_| err(ErrorCode::COLLATERAL_INVALID, format!("{name} is not UTF-8")))
    };
    let (tcb_info, tcb_info_signature) = signed_member(&text(&["tcb_info.json"])?, "tcbInfo", "tcb_info.json")?;
    let (qe_identity, qe_identity_signature) = signed_member(&text(&["qe_identity.json"])?, "enclaveIdentity", "qe_identity.json")?;
    let root_crl = need(&["intel_root_ca_crl.der"])?.0;
    let pck_crl = need(&["pck_platform_crl.der", "pck_processor_crl.der"])?.0;
    // The quote's own PCK chain (leaf, PCK CA, Intel root) closes every issuer chain; core pins its root.
    let parsed = teezk_zk_core::dcap::parse_quote(quote)?;
    let chain_pem = std::str::from_utf8(parsed.pck_chain_pem).map_err(|_| err(ErrorCode::CERT_PARSE, "The PCK certificate chain is not PEM text"))?;
    let chain = teezk_zk_core::pem::pem_certificates(chain_pem.trim_end_matches('\0'), "PCK chain")?;
    let (Some(quote_ca), Some(root)) = (chain.get(1), chain.last()) else {
        return Err(err(ErrorCode::CERT_CHAIN_INVALID, "The quote's PCK chain has no PCK CA and root"));
    };
    let pck_ca = match ["pck_platform_ca.der", "pck_processor_ca.der"].iter().find_map(|n| find(n)) {
        Some(path) => read(&path, "PCK CA")?,
        None => quote_ca.clone(),
    };
    let signing_chain = match find("tcb_signing_chain.pem") {
        Some(path) => {
            let pem = String::from_utf8_lossy(&read(&path, "tcb_signing_chain.pem")?).into_owned();
            let certs = teezk_zk_core::pem::pem_certificates(&pem, "tcb_signing_chain.pem")?;
            let has_root = certs.iter().any(|c| c == root);
            certs.iter().chain((!has_root).then_some(root)).map(|c| pem_block(c)).collect::<String>()
        }
        None => format!("{}{}", pem_block(&need(&["tcb_signing_cert.der"])?.0), pem_block(root)),
    };
    Ok(teezk_zk_core::dcap::QuoteCollateralV3 {
        pck_crl_issuer_chain: format!("{}{}", pem_block(&pck_ca), pem_block(root)),
        root_ca_crl: root_crl,
        pck_crl,
        tcb_info_issuer_chain: signing_chain.clone(),
        tcb_info,
        tcb_info_signature,
        qe_identity_issuer_chain: signing_chain,
        qe_identity,
        qe_identity_signature,
        pck_certificate_chain: None,
    })
}

pub fn parse_hex_array<const N: usize>(text: &str, what: &str) -> Result<[u8; N], Error> {
    let body = text.trim().strip_prefix("0x").unwrap_or(text.trim());
    let bytes = hex::decode(body).map_err(|_| err(ErrorCode::CONFIG_INVALID, format!("{what} is not hex")))?;
    bytes.try_into().map_err(|_| err(ErrorCode::CONFIG_INVALID, format!("{what} must be {N} bytes")))
}

fn field<'a>(json: &'a serde_json::Value, name: &str) -> Result<&'a str, Error> {
    json.get(name).and_then(|v| v.as_str()).ok_or_else(|| err(ErrorCode::CONFIG_INVALID, format!("receipt JSON: `{name}` (0x-hex string) is missing")))
}

fn number(json: &serde_json::Value, name: &str) -> Result<u64, Error> {
    match json.get(name) {
        Some(serde_json::Value::Number(n)) => n.as_u64(),
        Some(serde_json::Value::String(s)) => s.parse().ok(),
        _ => None,
    }
    .ok_or_else(|| err(ErrorCode::CONFIG_INVALID, format!("receipt JSON: `{name}` (integer) is missing")))
}

/// Receipt JSON: { programId, inputDigest, outputDigest, proofDigest, issuedAt, nonce, signature,
/// enclaveAddress, hpkePublicKey, bindingNonce, chainId, verifyingContract } (hex strings, integers).
pub fn load_receipt(witness: &Path, output: &Path, receipt: &Path) -> Result<ReceiptInput, Error> {
    let json: serde_json::Value = serde_json::from_slice(&read(receipt, "receipt")?).map_err(|e| err(ErrorCode::CONFIG_INVALID, format!("receipt JSON: {e}")))?;
    let h32 = |name: &str| field(&json, name).and_then(|t| parse_hex_array::<32>(t, name));
    let h20 = |name: &str| field(&json, name).and_then(|t| parse_hex_array::<20>(t, name));
    let bytes = |name: &str| -> Result<Vec<u8>, Error> {
        let t = field(&json, name)?;
        hex::decode(t.strip_prefix("0x").unwrap_or(t)).map_err(|_| err(ErrorCode::CONFIG_INVALID, format!("receipt JSON: `{name}` is not hex")))
    };
    Ok(ReceiptInput {
        receipt: ReceiptFields {
            program_id: h32("programId")?,
            input_digest: h32("inputDigest")?,
            output_digest: h32("outputDigest")?,
            proof_digest: h32("proofDigest")?,
            issued_at: number(&json, "issuedAt")?,
            nonce: h32("nonce")?,
        },
        signature: bytes("signature")?,
        witness: read(witness, "witness")?,
        output: read(output, "output")?,
        enclave_address: h20("enclaveAddress")?,
        hpke_public_key: bytes("hpkePublicKey")?,
        binding_nonce: h32("bindingNonce")?,
        chain_id: number(&json, "chainId")?,
        verifying_contract: h20("verifyingContract")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(relative: &str) -> PathBuf {
        let base = std::env::var("TEEZK_FIXTURES")
            .map(PathBuf::from)
            .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures"));
        base.join(relative)
    }

    /// A temporary copy of the complete PCS-layout folder without `drop`.
    fn partial_copy(tag: &str, drop: &[&str]) -> PathBuf {
        let source = fixture("tdx/automata-v4-00806f05");
        let dir = std::env::temp_dir().join(format!("teezk-zk-dcap-{tag}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        for entry in fs::read_dir(&source).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap().to_string();
            if name != "quote.bin" && !drop.contains(&name.as_str()) {
                fs::copy(&path, dir.join(&name)).unwrap();
            }
        }
        dir
    }

    fn quote() -> Vec<u8> {
        fs::read(fixture("tdx/automata-v4-00806f05/quote.bin")).unwrap()
    }

    #[test]
    fn complete_pcs_collateral_is_used_and_the_pck_ca_may_come_from_the_quote() {
        let full = dcap_collateral(&[fixture("tdx/automata-v4-00806f05")], &quote()).unwrap().expect("complete");
        let without_ca = partial_copy("no-ca", &["pck_platform_ca.der"]);
        let from_quote = dcap_collateral(&[without_ca.clone()], &quote()).unwrap().expect("complete without the CA file");
        assert_eq!(full.pck_crl_issuer_chain, from_quote.pck_crl_issuer_chain, "the quote carries the same PCK Platform CA");
        fs::remove_dir_all(without_ca).unwrap();
    }

    #[test]
    fn no_collateral_item_is_none_and_a_partial_set_is_collateral_missing() {
        assert!(dcap_collateral(&[], &quote()).unwrap().is_none());
        let empty = partial_copy("empty", &["tcb_info.json", "qe_identity.json", "tcb_signing_cert.der", "pck_platform_crl.der", "intel_root_ca_crl.der", "pck_platform_ca.der"]);
        assert!(dcap_collateral(&[empty.clone()], &quote()).unwrap().is_none(), "only PROVENANCE.md: UNKNOWN, like TypeScript");
        for (tag, drop) in [("no-crl", "pck_platform_crl.der"), ("no-root-crl", "intel_root_ca_crl.der"), ("no-qe", "qe_identity.json"), ("no-signing", "tcb_signing_cert.der")] {
            let dir = partial_copy(tag, &[drop]);
            let error = dcap_collateral(&[dir.clone()], &quote()).unwrap_err();
            assert_eq!(error.code, ErrorCode::COLLATERAL_MISSING, "{tag}");
            assert!(error.message.contains(drop), "{tag}: names {drop}: {}", error.message);
            fs::remove_dir_all(dir).unwrap();
        }
        // Split over two folders (earlier wins per file), as TypeScript merges them.
        let crls_only = partial_copy("crls", &["tcb_info.json", "qe_identity.json", "tcb_signing_cert.der"]);
        let rest = partial_copy("rest", &["pck_platform_crl.der", "intel_root_ca_crl.der"]);
        assert!(dcap_collateral(&[crls_only.clone(), rest.clone()], &quote()).unwrap().is_some());
        assert_eq!(dcap_collateral(&[crls_only.clone()], &quote()).unwrap_err().code, ErrorCode::COLLATERAL_MISSING);
        for dir in [empty, crls_only, rest] {
            fs::remove_dir_all(dir).unwrap();
        }
        assert_eq!(dcap_collateral(&[PathBuf::from("/nonexistent/teezk")], &quote()).unwrap_err().code, ErrorCode::COLLATERAL_MISSING);
    }
}
