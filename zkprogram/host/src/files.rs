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

pub fn load_evidence(tee: TeeArg, path: &Path, collateral: &[PathBuf], nonce: Option<&str>) -> Result<Evidence, Error> {
    let bytes = decode_evidence_input(&read(path, "evidence")?)?;
    Ok(match tee {
        TeeArg::Nitro => Evidence::Nitro { document: bytes },
        TeeArg::Sevsnp => Evidence::SevSnp { evidence: bytes, certificates: certificates_in(collateral)? },
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

/// DCAP collateral: `collateral.json` (dcap-qvl layout) or the Intel PCS file layout (tcb_info.json,
/// qe_identity.json, pck_*_crl.der, intel_root_ca_crl.der, tcb_signing_cert.der). Incomplete collateral is a
/// typed error, never a silent pass.
pub fn dcap_collateral(dirs: &[PathBuf], quote: &[u8]) -> Result<Option<teezk_zk_core::dcap::QuoteCollateralV3>, Error> {
    let Some(dir) = dirs.first() else { return Ok(None) };
    let json = dir.join("collateral.json");
    if json.is_file() {
        let bytes = read(&json, "collateral")?;
        return serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| err(ErrorCode::COLLATERAL_INVALID, format!("{}: not a dcap-qvl collateral ({e})", json.display())));
    }
    crate::files::pcs_collateral(dir, quote).map(Some)
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

fn pcs_collateral(dir: &Path, quote: &[u8]) -> Result<teezk_zk_core::dcap::QuoteCollateralV3, Error> {
    let need = |name: &str| -> Result<Vec<u8>, Error> {
        let path = dir.join(name);
        if !path.is_file() {
            return Err(err(ErrorCode::COLLATERAL_MISSING, format!("{} is missing from the collateral folder {}", name, dir.display())));
        }
        read(&path, name)
    };
    let tcb_text = String::from_utf8(need("tcb_info.json")?).map_err(|_| err(ErrorCode::COLLATERAL_INVALID, "tcb_info.json is not UTF-8"))?;
    let qe_text = String::from_utf8(need("qe_identity.json")?).map_err(|_| err(ErrorCode::COLLATERAL_INVALID, "qe_identity.json is not UTF-8"))?;
    let (tcb_info, tcb_info_signature) = signed_member(&tcb_text, "tcbInfo", "tcb_info.json")?;
    let (qe_identity, qe_identity_signature) = signed_member(&qe_text, "enclaveIdentity", "qe_identity.json")?;
    let signing = need("tcb_signing_cert.der")?;
    let root_crl = need("intel_root_ca_crl.der")?;
    let pck_crl = ["pck_platform_crl.der", "pck_processor_crl.der"]
        .iter()
        .find(|n| dir.join(n).is_file())
        .map(|n| need(n))
        .unwrap_or_else(|| Err(err(ErrorCode::COLLATERAL_MISSING, "pck_platform_crl.der or pck_processor_crl.der is missing")))?;
    // The Intel root closes every issuer chain; it arrives in the quote's own PCK chain (pinned in core).
    let quote_pem = String::from_utf8_lossy(quote);
    let root = quote_pem
        .rfind("-----BEGIN CERTIFICATE-----")
        .map(|i| teezk_zk_core::pem::pem_certificates(&quote_pem[i..], "PCK chain"))
        .transpose()?
        .and_then(|mut v| v.pop())
        .ok_or_else(|| err(ErrorCode::QUOTE_INVALID, "the quote carries no PEM PCK chain"))?;
    let pck_ca = ["pck_platform_ca.der", "pck_processor_ca.der"].iter().find(|n| dir.join(n).is_file()).map(|n| need(n)).transpose()?;
    let signing_chain = format!("{}{}", pem_block(&signing), pem_block(&root));
    let pck_crl_chain = match pck_ca {
        Some(ca) => format!("{}{}", pem_block(&ca), pem_block(&root)),
        None => return Err(err(ErrorCode::COLLATERAL_MISSING, "pck_platform_ca.der (issuer of the PCK CRL) is missing")),
    };
    Ok(teezk_zk_core::dcap::QuoteCollateralV3 {
        pck_crl_issuer_chain: pck_crl_chain,
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
