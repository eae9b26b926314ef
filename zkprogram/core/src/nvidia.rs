//! NVIDIA GPU evidence: SPDM 1.1 GET_MEASUREMENTS request ‖ MEASUREMENTS response, signed (ECDSA P-384,
//! SHA-384 over request ‖ response without its signature) by the device leaf of a chain to the pinned NVIDIA
//! Device Identity CA, either raw (chain from the collateral) or as an nvtrust JSON document listing one or more
//! GPUs, each with its own chain. Same parsing rules, checks (the opaque data's FWID against the FWID the leaf
//! certifies, a set's shared nonce and distinct devices) and claims as TypeScript's `verifyGpuReport` and
//! `verifyGpuEvidenceSet`; a set's claims are GPU 0's, as TypeScript's `verifyEvidence` returns them.
use crate::claims::{ClaimsFields, TcbStatus, TeeType};
use crate::error::Result;
use crate::hash::{sha256_concat, sha384};
use crate::x509::{hex32, p384_verify_raw, parse_all, verify_chain, Cert, KeyKind, PinnedRoot};
use crate::{bail, ensure};
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use base64::Engine;

pub const NVIDIA_PINNED_ROOTS: &[PinnedRoot] =
    &[PinnedRoot { name: "NVIDIA Device Identity CA", sha256: hex32("102bf659d5419614c9d8e6aecebc80454eb26b1df6a769ac720b9a690b167b48") }];
pub const MAX_GPU_REPORT_BYTES: usize = 64 * 1024;
/// A JSON document of up to 64 GPUs with their chains.
pub const MAX_GPU_EVIDENCE_BYTES: usize = 1024 * 1024;
const MAX_GPU_EVIDENCE_ENTRIES: usize = 64;
const MAX_CHAIN_PEM_CHARS: usize = 64 * 1024;
/// TCG DICE TcbInfo extension: Hopper's GSP FMC leaf certifies its firmware id there.
const TCG_DICE_TCB_INFO: &str = "2.23.133.5.4.1";
const FWID_BYTES: usize = 48;
const OPAQUE_FWID: usize = 20;
const MAX_GPU_CHAIN_CERTIFICATES: usize = 8;
const MAX_TRAILING_ZERO_BYTES: usize = 8;
const MAX_OPAQUE_BYTES: usize = 1024;

struct Reader<'a> {
    bytes: &'a [u8],
    offset: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, field: &str) -> Result<&'a [u8]> {
        ensure!(n <= self.bytes.len() - self.offset, TRUNCATED, "GPU attestation report: truncated at {field}");
        let out = &self.bytes[self.offset..self.offset + n];
        self.offset += n;
        Ok(out)
    }
    fn u8(&mut self, field: &str) -> Result<u8> {
        Ok(self.take(1, field)?[0])
    }
    fn u16(&mut self, field: &str) -> Result<usize> {
        let b = self.take(2, field)?;
        Ok(usize::from(u16::from_le_bytes([b[0], b[1]])))
    }
}

pub struct GpuReport<'a> {
    pub nonce: &'a [u8],
    /// The opaque data's FWID field (type 20), when present.
    pub fwid: Option<&'a [u8]>,
    /// (index, DMTF value) sorted by index.
    pub blocks: Vec<(u8, &'a [u8])>,
    pub signed: &'a [u8],
    pub signature: &'a [u8],
}

pub fn parse_gpu_report(bytes: &[u8]) -> Result<GpuReport<'_>> {
    ensure!(!bytes.is_empty(), INPUT_EMPTY, "The GPU evidence is empty");
    ensure!(bytes.len() <= MAX_GPU_REPORT_BYTES, INPUT_TOO_LARGE, "GPU report of {} bytes exceeds the {MAX_GPU_REPORT_BYTES}-byte cap", bytes.len());
    let mut r = Reader { bytes, offset: 0 };
    let version = r.u8("request SPDMVersion")?;
    ensure!(version == 0x11, SPDM_INVALID, "request SPDM version 0x{version:02x} is not 1.1 (0x11)");
    ensure!(r.u8("request code")? == 0xe0, SPDM_INVALID, "request code is not GET_MEASUREMENTS (0xE0)");
    ensure!(r.u8("request param1")? & 1 == 1, SPDM_INVALID, "the request did not ask for a signed response (param1 bit 0 clear)");
    let index = r.u8("request param2")?;
    ensure!(index != 0, SPDM_INVALID, "the request asked only for the number of measurements (param2 = 0)");
    let nonce = r.take(32, "request nonce")?;
    let slot = r.u8("request SlotIDParam")?;
    ensure!(slot & 0xf0 == 0, SPDM_INVALID, "request SlotIDParam 0x{slot:02x} has reserved bits set");
    ensure!(r.u8("response SPDMVersion")? == version, SPDM_INVALID, "response SPDM version differs from the request's");
    ensure!(r.u8("response code")? == 0x60, SPDM_INVALID, "response code is not MEASUREMENTS (0x60)");
    r.u8("response param1")?;
    ensure!(r.u8("response param2")? & 0x0f == slot, SPDM_INVALID, "response slot differs from the requested slot");
    let count = r.u8("response NumberOfBlocks")?;
    let len = r.take(3, "response MeasurementRecordLength")?;
    let record_len = usize::from(len[0]) | usize::from(len[1]) << 8 | usize::from(len[2]) << 16;
    let mut rec = Reader { bytes: r.take(record_len, "response MeasurementRecord")?, offset: 0 };
    ensure!(count > 0, SPDM_INVALID, "the response holds no measurement blocks");
    let mut blocks: Vec<(u8, &[u8])> = Vec::new();
    for n in 0..count {
        let idx = rec.u8("block Index").map_err(|e| spdm(e, n))?;
        let spec = rec.u8("block MeasurementSpecification").map_err(|e| spdm(e, n))?;
        let size = rec.u16("block MeasurementSize").map_err(|e| spdm(e, n))?;
        let m = rec.take(size, "block Measurement").map_err(|e| spdm(e, n))?;
        ensure!(idx != 0 && idx != 0xff, SPDM_INVALID, "measurement block {n} has the reserved index {idx}");
        ensure!(blocks.iter().all(|(i, _)| *i != idx), SPDM_INVALID, "measurement index {idx} appears twice");
        ensure!(spec == 1, SPDM_INVALID, "measurement block {idx} is not in the DMTF format");
        ensure!(size >= 3, SPDM_INVALID, "measurement block {idx} is too short for a DMTF header");
        let value_size = usize::from(m[1]) | usize::from(m[2]) << 8;
        ensure!(value_size == size - 3, SPDM_INVALID, "measurement block {idx} value size disagrees with its MeasurementSize");
        blocks.push((idx, &m[3..]));
    }
    ensure!(rec.offset == rec.bytes.len(), SPDM_INVALID, "the measurement record has bytes beyond its {count} blocks");
    blocks.sort_by_key(|(i, _)| *i);
    if index != 0xff {
        ensure!(blocks.len() == 1 && blocks[0].0 == index, SPDM_INVALID, "the request asked for measurement {index} but the response holds other blocks");
    }
    r.take(32, "response nonce")?;
    let opaque_len = r.u16("response OpaqueLength")?;
    ensure!(opaque_len <= MAX_OPAQUE_BYTES, SPDM_INVALID, "OpaqueLength {opaque_len} exceeds SPDM 1.1's limit of {MAX_OPAQUE_BYTES}");
    let fwid = opaque_fwid(r.take(opaque_len, "response OpaqueData")?)?;
    let signed_end = r.offset;
    let signature = r.take(96, "response Signature")?;
    let trailing = &bytes[r.offset..];
    ensure!(
        trailing.iter().all(|b| *b == 0) && trailing.len() <= MAX_TRAILING_ZERO_BYTES,
        TRAILING_DATA,
        "The GPU report has bytes after its signature"
    );
    Ok(GpuReport { nonce, fwid, blocks, signed: &bytes[..signed_end], signature })
}

/// The opaque data's TLVs (u16 type, u16 size, value; little-endian), framed strictly like TypeScript's
/// `parseGpuOpaqueData`: every byte in exactly one field, no type twice (the fields are signed claims and two
/// readers must not disagree). Returns the FWID field.
fn opaque_fwid(bytes: &[u8]) -> Result<Option<&[u8]>> {
    let mut seen: Vec<usize> = Vec::new();
    let mut fwid = None;
    let mut offset = 0;
    while offset < bytes.len() {
        ensure!(bytes.len() - offset >= 4, SPDM_INVALID, "The GPU report's opaque data ends inside a field header ({} bytes left at opaque offset {offset})", bytes.len() - offset);
        let kind = usize::from(u16::from_le_bytes([bytes[offset], bytes[offset + 1]]));
        let size = usize::from(u16::from_le_bytes([bytes[offset + 2], bytes[offset + 3]]));
        offset += 4;
        ensure!(size <= bytes.len() - offset, SPDM_INVALID, "The GPU report's opaque field {kind} overruns the opaque data");
        ensure!(!seen.contains(&kind), SPDM_INVALID, "The GPU report's opaque data holds field {kind} twice");
        seen.push(kind);
        if kind == OPAQUE_FWID {
            fwid = Some(&bytes[offset..offset + size]);
        }
        offset += size;
    }
    Ok(fwid)
}

/// The 48-byte firmware id the device leaf certifies (DICE TcbInfo, whose DER ends with the FWID digest as a
/// whole 48-byte OCTET STRING), or None when the leaf has no TcbInfo. TypeScript's `certifiedGpuFwid`.
pub fn certified_fwid(leaf: &Cert) -> Result<Option<[u8; FWID_BYTES]>> {
    let Some(extensions) = leaf.cert.tbs_certificate().extensions() else { return Ok(None) };
    let Some(extension) = extensions.iter().find(|e| e.extn_id.to_string() == TCG_DICE_TCB_INFO) else { return Ok(None) };
    let value = extension.extn_value.as_bytes();
    let Some(start) = value.len().checked_sub(FWID_BYTES) else {
        bail!(CERT_PARSE, "The GPU device leaf certificate's TcbInfo extension does not end with a 48-byte firmware id")
    };
    ensure!(
        start >= 2 && value[start - 2] == 0x04 && usize::from(value[start - 1]) == FWID_BYTES,
        CERT_PARSE,
        "The GPU device leaf certificate's TcbInfo extension does not end with a 48-byte firmware id"
    );
    let mut out = [0u8; FWID_BYTES];
    out.copy_from_slice(&value[start..]);
    Ok(Some(out))
}

/// The FWID check of TypeScript's `verifyGpuReport`: when the leaf certifies a firmware id and the report states
/// a non-empty one, they must be equal.
pub fn check_fwid(leaf: &Cert, report_fwid: Option<&[u8]>) -> Result<()> {
    if let (Some(certified), Some(reported)) = (certified_fwid(leaf)?, report_fwid) {
        ensure!(
            reported.is_empty() || reported == certified.as_slice(),
            GPU_FWID_MISMATCH,
            "The GPU report's firmware id {} is not the one its device certificate certifies ({})",
            hex::encode(reported),
            hex::encode(certified)
        );
    }
    Ok(())
}

fn spdm(mut e: crate::error::Error, n: u8) -> crate::error::Error {
    e.message = alloc::format!("{} (measurement block {n})", e.message);
    e
}

/// Verifies one GPU report with its device chain (DER, leaf first) at `now` (seconds): structure, chain, the
/// leaf's signature, the FWID it certifies, then the nonce (TypeScript's `verifyGpuReport`).
pub fn verify_gpu_report(report: &[u8], certificates: &[Vec<u8>], expected_nonce: Option<&[u8; 32]>, now: u64, extra_pins: &[PinnedRoot]) -> Result<ClaimsFields> {
    let parsed = parse_gpu_report(report)?;
    ensure!(certificates.len() <= MAX_GPU_CHAIN_CERTIFICATES, CERT_CHAIN_INVALID, "The GPU device chain holds {} certificates; at most {MAX_GPU_CHAIN_CERTIFICATES}", certificates.len());
    let chain = parse_all(certificates, "GPU device certificate chain")?;
    let verified = verify_chain(chain, Vec::new(), &[NVIDIA_PINNED_ROOTS, extra_pins].concat(), now, "GPU device certificate chain")?;
    let leaf = &verified.chain[0];
    ensure!(leaf.key_kind() == Some(KeyKind::P384), UNSUPPORTED_ALGORITHM, "The GPU device leaf key is not ECDSA P-384");
    ensure!(
        p384_verify_raw(leaf.public_key_bytes(), &sha384(parsed.signed), parsed.signature),
        SIGNATURE_INVALID,
        "The GPU report signature does not verify with the device leaf key"
    );
    check_fwid(leaf, parsed.fwid)?;
    if let Some(expected) = expected_nonce {
        if parsed.nonce != expected {
            bail!(GPU_NONCE_MISMATCH, "The GPU report answers a different challenge than the expected nonce");
        }
    }
    let values: Vec<&[u8]> = parsed.blocks.iter().map(|(_, v)| *v).collect();
    let mut report_data = [0u8; 32];
    report_data.copy_from_slice(parsed.nonce);
    Ok(ClaimsFields {
        tee_type: TeeType::NVIDIA_GPU,
        measurement: sha256_concat(&values),
        report_data,
        platform_id: leaf.sha256(),
        root_hash: verified.root_sha256,
        timestamp: now,
        tcb_status: TcbStatus::NOT_APPLICABLE,
        svn: 0,
        debug: false,
    })
}

/// One GPU of the evidence: its report, its chain (DER, leaf first) and the nonce a JSON entry states (unsigned:
/// only accepted when it equals the signed one).
pub struct GpuEntry {
    pub report: Vec<u8>,
    pub chain: Vec<Vec<u8>>,
    pub nonce: Option<[u8; 32]>,
}

fn is_json(bytes: &[u8]) -> bool {
    matches!(bytes.iter().find(|b| !matches!(b, b' ' | b'\n' | b'\r' | b'\t')), Some(b'{') | Some(b'['))
}

fn is_base64(text: &str) -> bool {
    let body = text.trim_end_matches('=');
    !body.is_empty() && text.len() - body.len() <= 2 && body.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

/// Lenient on padding, strict on the alphabet, like Node's `Buffer.from(text, "base64")` after TypeScript's checks.
fn strict_base64(text: &str, what: &str) -> Result<Vec<u8>> {
    ensure!(!text.is_empty() && text.len() % 4 != 1 && is_base64(text), INPUT_ENCODING, "The {what} is neither hex nor base64");
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new().with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent).with_decode_allow_trailing_bits(true),
    );
    match engine.decode(text.trim_end_matches('=')) {
        Ok(bytes) => Ok(bytes),
        Err(_) => bail!(INPUT_ENCODING, "The {what} is neither hex nor base64"),
    }
}

fn json_string<'a>(entry: &'a serde_json::Value, key: &str, index: usize) -> Result<Option<&'a str>> {
    match entry.get(key) {
        None => Ok(None),
        Some(serde_json::Value::String(s)) => Ok(Some(s.as_str())),
        Some(_) => bail!(MALFORMED, "The GPU evidence JSON is not an nvtrust evidence list (GPU {index}: `{key}` is not a string)"),
    }
}

/// Splits an nvtrust/NRAS JSON document (an array of entries, `{ evidence_list, nonce? }`, or one entry) into
/// GPUs, like TypeScript's `parseGpuEvidenceJson` + `resolveGpuEntries`; an entry without `certificate` takes
/// the collateral chain.
fn json_entries(bytes: &[u8], collateral: &[Vec<u8>]) -> Result<Vec<GpuEntry>> {
    let value: serde_json::Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => bail!(MALFORMED, "The GPU evidence is not valid JSON ({e})"),
    };
    let (list, shared_nonce): (Vec<&serde_json::Value>, Option<&str>) = match &value {
        serde_json::Value::Array(items) => (items.iter().collect(), None),
        serde_json::Value::Object(map) => match map.get("evidence_list") {
            Some(serde_json::Value::Array(items)) => (items.iter().collect(), json_string(&value, "nonce", 0)?),
            Some(_) => bail!(MALFORMED, "The GPU evidence JSON is not an nvtrust evidence list (`evidence_list` is not an array)"),
            None => (alloc::vec![&value], None),
        },
        _ => bail!(MALFORMED, "The GPU evidence JSON is not an nvtrust evidence list"),
    };
    ensure!(!list.is_empty(), MALFORMED, "The GPU evidence JSON lists no GPU");
    ensure!(list.len() <= MAX_GPU_EVIDENCE_ENTRIES, INPUT_TOO_LARGE, "The GPU evidence JSON lists {} GPUs; at most {MAX_GPU_EVIDENCE_ENTRIES} are accepted", list.len());
    let mut raw = Vec::with_capacity(list.len());
    for (index, entry) in list.iter().enumerate() {
        ensure!(entry.is_object(), MALFORMED, "The GPU evidence JSON is not an nvtrust evidence list (GPU {index} is not an object)");
        let evidence = json_string(entry, "evidence", index)?.filter(|s| !s.is_empty());
        let Some(evidence) = evidence else { bail!(MALFORMED, "The GPU evidence JSON is not an nvtrust evidence list (GPU {index}: no `evidence`)") };
        let certificate = json_string(entry, "certificate", index)?;
        ensure!(certificate != Some(""), MALFORMED, "The GPU evidence JSON is not an nvtrust evidence list (GPU {index}: empty `certificate`)");
        json_string(entry, "arch", index)?;
        raw.push((evidence, certificate, json_string(entry, "nonce", index)?.or(shared_nonce)));
    }
    let mut out = Vec::with_capacity(raw.len());
    for (index, (evidence, certificate, nonce)) in raw.into_iter().enumerate() {
        let report = decode_report(evidence, index)?;
        let chain = match certificate {
            None => {
                ensure!(!collateral.is_empty(), COLLATERAL_MISSING, "No GPU device certificate chain was given for GPU {index} (--collateral with cert-chain.pem)");
                collateral.to_vec()
            }
            Some(text) => chain_ders(&decode_chain(text, index)?, index)?,
        };
        let nonce = match nonce {
            None => None,
            Some(text) => {
                let body = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")).unwrap_or(text);
                let bytes = if body.len() == 64 { hex::decode(body).ok() } else { None };
                let Some(bytes) = bytes else { bail!(MALFORMED, "GPU {index}: the nonce field is not 32 bytes of hex") };
                Some(bytes.try_into().expect("32 bytes"))
            }
        };
        out.push(GpuEntry { report, chain, nonce });
    }
    Ok(out)
}

fn decode_report(text: &str, index: usize) -> Result<Vec<u8>> {
    let mut clean: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if clean.len() >= 2 && (clean.starts_with("0x") || clean.starts_with("0X")) {
        clean.drain(..2);
    }
    ensure!(clean.len() <= MAX_GPU_REPORT_BYTES * 2, INPUT_TOO_LARGE, "GPU {index}: its report exceeds the {MAX_GPU_REPORT_BYTES}-byte cap");
    let is_hex = clean.len() % 2 == 0 && clean.bytes().all(|b| b.is_ascii_hexdigit());
    // Short base64 can be all hex digits: a report in hex starts with 11E0 (SPDM 1.1 GET_MEASUREMENTS), which
    // base64 of a report never does; otherwise base64 wins (TypeScript's rule).
    if is_hex && (clean.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("11e0")) || !is_base64(&clean) || clean.len() % 4 != 0) {
        return hex::decode(&clean).map_err(|_| crate::error::Error::new(crate::error::ErrorCode::INPUT_ENCODING, "bad hex"));
    }
    strict_base64(&clean, &alloc::format!("GPU {index} evidence"))
}

fn decode_chain(text: &str, index: usize) -> Result<String> {
    if text.contains("-----BEGIN") {
        return Ok(text.into());
    }
    let clean: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let bytes = strict_base64(&clean, &alloc::format!("GPU {index} certificate"))?;
    // latin1, as TypeScript reads it: every byte is one char.
    let pem: String = bytes.iter().map(|&b| char::from(b)).collect();
    ensure!(pem.contains("-----BEGIN CERTIFICATE-----"), INPUT_ENCODING, "GPU {index}: the certificate field is not a (base64-encoded) PEM chain");
    Ok(pem)
}

fn chain_ders(pem: &str, index: usize) -> Result<Vec<Vec<u8>>> {
    ensure!(pem.len() <= MAX_CHAIN_PEM_CHARS, INPUT_TOO_LARGE, "The GPU {index} device certificate chain of {} characters exceeds the {MAX_CHAIN_PEM_CHARS}-character cap", pem.len());
    let count = pem.matches("-----BEGIN CERTIFICATE-----").count();
    ensure!(count <= MAX_GPU_CHAIN_CERTIFICATES, CERT_CHAIN_INVALID, "The GPU {index} device certificate chain holds {count} certificates; at most {MAX_GPU_CHAIN_CERTIFICATES} are accepted");
    crate::pem::pem_certificates(pem, &alloc::format!("GPU {index} device certificate chain"))
}

/// Raw SPDM report (chain from `collateral`) or a JSON document: the GPUs to verify.
pub fn gpu_entries(evidence: &[u8], collateral: &[Vec<u8>]) -> Result<Vec<GpuEntry>> {
    ensure!(evidence.len() <= MAX_GPU_EVIDENCE_BYTES, INPUT_TOO_LARGE, "GPU evidence of {} bytes exceeds the {MAX_GPU_EVIDENCE_BYTES}-byte cap", evidence.len());
    ensure!(!evidence.is_empty(), INPUT_EMPTY, "The GPU evidence is empty");
    if is_json(evidence) {
        return json_entries(evidence, collateral);
    }
    ensure!(!collateral.is_empty(), COLLATERAL_MISSING, "No GPU device certificate chain was given for the report (--collateral with cert-chain.pem)");
    Ok(alloc::vec![GpuEntry { report: evidence.to_vec(), chain: collateral.to_vec(), nonce: None }])
}

/// Verifies every GPU of the evidence (a raw report is a set of one) at `now` (seconds), like TypeScript's
/// `verifyGpuEvidenceSet`: all verify, all signed the same nonce (and `expected_nonce` when given), no device
/// twice (a set padded with copies of one genuine report would otherwise pass for a larger system). Returns the
/// claims of every GPU, in document order.
pub fn verify_nvidia_set(evidence: &[u8], collateral: &[Vec<u8>], expected_nonce: Option<&[u8; 32]>, now: u64, extra_pins: &[PinnedRoot]) -> Result<Vec<ClaimsFields>> {
    let entries = gpu_entries(evidence, collateral)?;
    let total = entries.len();
    let mut out: Vec<ClaimsFields> = Vec::with_capacity(total);
    for (index, entry) in entries.iter().enumerate() {
        let expected = expected_nonce.or(entry.nonce.as_ref());
        let claims = verify_gpu_report(&entry.report, &entry.chain, expected, now, extra_pins).map_err(|mut e| {
            if total > 1 {
                e.message = alloc::format!("GPU {index} of {total}: {}", e.message);
            }
            e
        })?;
        if let Some(first) = out.first() {
            ensure!(claims.report_data == first.report_data, GPU_NONCE_MISMATCH, "GPU {index} of {total} signed a different nonce than GPU 0");
        }
        ensure!(out.iter().all(|c| c.platform_id != claims.platform_id), GPU_EVIDENCE_SET_INVALID, "GPU {index} of {total} is listed twice in the evidence set");
        out.push(claims);
    }
    Ok(out)
}

/// The program's NVIDIA claims: GPU 0's after the whole set verified (what TypeScript's `verifyEvidence`
/// returns as the evidence's claims).
pub fn verify_nvidia(evidence: &[u8], certificates: &[Vec<u8>], expected_nonce: Option<&[u8; 32]>, now: u64, extra_pins: &[PinnedRoot]) -> Result<ClaimsFields> {
    let mut all = verify_nvidia_set(evidence, certificates, expected_nonce, now, extra_pins)?;
    Ok(all.swap_remove(0))
}
