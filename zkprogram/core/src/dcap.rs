//! Intel DCAP quotes: TDX v4/v5 and SGX v3/v4. The quote's own chain and signatures are checked here (PCK
//! chain to the pinned Intel root, QE report signed by the PCK key and binding the attestation key, quote
//! signed by the attestation key), like TypeScript's `verifyDcapQuote`. With collateral (TCB info, QE
//! identity, CRLs) the TCB status comes from `dcap-qvl`, which re-verifies the quote and appraises it;
//! without collateral the status is UNKNOWN (254).
use crate::claims::{ClaimsFields, TcbStatus, TeeType};
use crate::error::Result;
use crate::hash::{bytes32_prefix, sha256, sha256_concat};
use crate::x509::{hex32, p256_verify_raw, parse_all, verify_chain, KeyKind, PinnedRoot};
use crate::{bail, ensure};
use alloc::string::ToString;
use alloc::vec::Vec;

pub use dcap_qvl::QuoteCollateralV3;

pub const INTEL_PINNED_ROOTS: &[PinnedRoot] =
    &[PinnedRoot { name: "Intel SGX Root CA", sha256: hex32("44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3") }];
pub const MAX_DCAP_QUOTE_BYTES: usize = 64 * 1024;
pub const MAX_TRAILING_BYTES: usize = 4096;
const MAX_PCK_CHAIN_CERTIFICATES: usize = 4;
const TEE_TYPE_SGX: u32 = 0;
const TEE_TYPE_TDX: u32 = 0x81;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum BodyKind {
    Sgx,
    Td10,
    Td15,
}

/// The fields of a quote this crate needs, as slices of the input.
pub struct Quote<'a> {
    pub version: u16,
    pub tee_type: u32,
    pub kind: BodyKind,
    pub body: &'a [u8],
    pub signed: &'a [u8],
    pub signature: &'a [u8],
    pub attestation_key: &'a [u8],
    pub qe_report: &'a [u8],
    pub qe_report_signature: &'a [u8],
    pub qe_auth_data: &'a [u8],
    pub pck_chain_pem: &'a [u8],
}

struct Reader<'a> {
    bytes: &'a [u8],
    offset: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, field: &str) -> Result<&'a [u8]> {
        ensure!(n <= self.bytes.len() - self.offset, TRUNCATED, "DCAP quote: truncated at {field} (needs {n} bytes at offset {})", self.offset);
        let out = &self.bytes[self.offset..self.offset + n];
        self.offset += n;
        Ok(out)
    }
    fn u16(&mut self, field: &str) -> Result<u16> {
        let b = self.take(2, field)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    fn u32(&mut self, field: &str) -> Result<u32> {
        let b = self.take(4, field)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn cert_data(&mut self, field: &str) -> Result<(u16, &'a [u8])> {
        let kind = self.u16(field)?;
        let size = self.u32(field)? as usize;
        Ok((kind, self.take(size, field)?))
    }
    fn done(&self) -> bool {
        self.offset == self.bytes.len()
    }
}

/// Parses the quote structure (header, body, signature data) without checking any signature.
pub fn parse_quote(bytes: &[u8]) -> Result<Quote<'_>> {
    ensure!(!bytes.is_empty(), INPUT_EMPTY, "The evidence is empty");
    ensure!(bytes.len() <= MAX_DCAP_QUOTE_BYTES, INPUT_TOO_LARGE, "The DCAP quote of {} bytes exceeds the {MAX_DCAP_QUOTE_BYTES}-byte cap", bytes.len());
    let mut r = Reader { bytes, offset: 0 };
    let header = r.take(48, "header")?;
    let version = u16::from_le_bytes([header[0], header[1]]);
    let ak_type = u16::from_le_bytes([header[2], header[3]]);
    let tee_type = u32::from_le_bytes([header[4], header[5], header[6], header[7]]);
    ensure!(matches!(version, 3..=5), UNSUPPORTED_VERSION, "DCAP quote version {version} (3, 4 and 5 supported)");
    ensure!(ak_type == 2, UNSUPPORTED_ALGORITHM, "DCAP attestation key type {ak_type} is not 2 (ECDSA P-256)");
    ensure!(tee_type == TEE_TYPE_SGX || tee_type == TEE_TYPE_TDX, QUOTE_INVALID, "DCAP quote TEE type 0x{tee_type:x} is neither SGX (0) nor TDX (0x81)");
    ensure!(!(version == 3 && tee_type == TEE_TYPE_TDX), QUOTE_INVALID, "DCAP quote v3 cannot carry a TD report");
    let kind = if version == 5 {
        let body_type = r.u16("body type")?;
        let size = r.u32("body size")? as usize;
        let (kind, expected) = match (body_type, tee_type) {
            (1, TEE_TYPE_SGX) => (BodyKind::Sgx, 384),
            (2, TEE_TYPE_TDX) => (BodyKind::Td10, 584),
            (3, TEE_TYPE_TDX) => (BodyKind::Td15, 648),
            _ => bail!(QUOTE_INVALID, "Quote v5 body type {body_type} does not fit TEE type 0x{tee_type:x}"),
        };
        ensure!(size == expected, QUOTE_INVALID, "Quote v5 body size {size} does not match body type {body_type}");
        kind
    } else if tee_type == TEE_TYPE_TDX {
        BodyKind::Td10
    } else {
        BodyKind::Sgx
    };
    let body = r.take(match kind { BodyKind::Sgx => 384, BodyKind::Td10 => 584, BodyKind::Td15 => 648 }, "report body")?;
    let signed = &bytes[..r.offset];
    let sig_len = r.u32("signature data length")? as usize;
    let mut sig = Reader { bytes: r.take(sig_len, "signature data")?, offset: 0 };
    let signature = sig.take(64, "ECDSA quote signature")?;
    let attestation_key = sig.take(64, "ECDSA attestation key")?;
    let mut qe = if version == 3 {
        sig
    } else {
        let (t, data) = sig.cert_data("certification data")?;
        ensure!(t == 6, QUOTE_INVALID, "Quote v{version} certification data type is {t}, expected 6 (QE report certification data)");
        ensure!(sig.done(), QUOTE_INVALID, "Unexpected bytes after the signature data's certification data");
        Reader { bytes: data, offset: 0 }
    };
    let qe_report = qe.take(384, "QE report")?;
    let qe_report_signature = qe.take(64, "QE report signature")?;
    let auth_len = qe.u16("QE auth data length")? as usize;
    let qe_auth_data = qe.take(auth_len, "QE auth data")?;
    let (t, pck_chain_pem) = qe.cert_data("PCK certification data")?;
    ensure!(t == 5, QUOTE_INVALID, "PCK certification data type is {t}; only type 5 (PEM PCK chain) is supported");
    ensure!(qe.done(), QUOTE_INVALID, "Unexpected bytes after the PCK certification data");
    let trailing = bytes.len() - r.offset;
    ensure!(trailing <= MAX_TRAILING_BYTES, TRAILING_DATA, "The DCAP quote has {trailing} bytes after its signature data (at most {MAX_TRAILING_BYTES} tolerated)");
    Ok(Quote { version, tee_type, kind, body, signed, signature, attestation_key, qe_report, qe_report_signature, qe_auth_data, pck_chain_pem })
}

fn sec1(raw_xy: &[u8]) -> [u8; 65] {
    let mut out = [0u8; 65];
    out[0] = 4;
    out[1..].copy_from_slice(raw_xy);
    out
}

/// Maps dcap-qvl's status names to DESIGN §2 tcbStatus bytes.
fn tcb_status_byte(status: &str) -> Result<u8> {
    Ok(match status {
        "UpToDate" => TcbStatus::UP_TO_DATE,
        "SWHardeningNeeded" => TcbStatus::SW_HARDENING_NEEDED,
        "ConfigurationNeeded" => TcbStatus::CONFIGURATION_NEEDED,
        "OutOfDate" => TcbStatus::OUT_OF_DATE,
        "Revoked" => TcbStatus::REVOKED,
        "ConfigurationAndSWHardeningNeeded" => TcbStatus::CONFIGURATION_AND_SW_HARDENING_NEEDED,
        "OutOfDateConfigurationNeeded" => TcbStatus::OUT_OF_DATE_CONFIGURATION_NEEDED,
        other => bail!(TCB_NOT_FOUND, "Unknown TCB status {other:?}"),
    })
}

/// Sorts dcap-qvl's free-text failures into the stable codes (its errors are `anyhow` chains).
fn collateral_error(message: &str) -> crate::error::Error {
    use crate::error::{Error, ErrorCode::*};
    let m = message.to_ascii_lowercase();
    let code = if m.contains("revoked") {
        if m.contains("tcb") { TCB_REVOKED } else { CERT_REVOKED }
    } else if m.contains("expired") || m.contains("not yet valid") || m.contains("next update") || m.contains("nextupdate") {
        COLLATERAL_EXPIRED
    } else if m.contains("fmspc") || m.contains("pce") && m.contains("mismatch") {
        COLLATERAL_MISMATCH
    } else if m.contains("no tcb level") || m.contains("tcb level") && m.contains("not found") {
        TCB_NOT_FOUND
    } else if m.contains("qe identity") || m.contains("qeidentity") || m.contains("mrsigner") {
        QE_IDENTITY_MISMATCH
    } else if m.contains("module") {
        TDX_MODULE_MISMATCH
    } else if m.contains("crl") {
        CRL_INVALID
    } else {
        COLLATERAL_INVALID
    };
    Error::new(code, alloc::format!("DCAP collateral appraisal (dcap-qvl) failed: {message}"))
}

/// Verifies a DCAP quote at `now` (seconds). `expect_tdx`: `Some(true)` for `--type tdx`, `Some(false)` for
/// `sgx`, `None` to accept either.
pub fn verify_dcap(evidence: &[u8], collateral: Option<&QuoteCollateralV3>, now: u64, expect_tdx: Option<bool>, extra_pins: &[PinnedRoot]) -> Result<ClaimsFields> {
    let quote = parse_quote(evidence)?;
    let is_tdx = quote.tee_type == TEE_TYPE_TDX;
    if let Some(expect) = expect_tdx {
        ensure!(expect == is_tdx, UNKNOWN_EVIDENCE_TYPE, "The quote is {} but {} was requested", if is_tdx { "TDX" } else { "SGX" }, if expect { "TDX" } else { "SGX" });
    }
    let pem = match core::str::from_utf8(quote.pck_chain_pem) {
        Ok(text) => text.trim_end_matches('\0'),
        Err(_) => bail!(CERT_PARSE, "The PCK certificate chain is not PEM text"),
    };
    let ders = crate::pem::pem_certificates(pem, "PCK certificate chain")?;
    ensure!(
        ders.len() >= 2 && ders.len() <= MAX_PCK_CHAIN_CERTIFICATES,
        CERT_CHAIN_INVALID,
        "The PCK chain holds {} certificates (2 to {MAX_PCK_CHAIN_CERTIFICATES} expected: leaf, PCK CA, root)",
        ders.len()
    );
    let certs = parse_all(&ders, "PCK certificate chain")?;
    let pins = [INTEL_PINNED_ROOTS, extra_pins].concat();
    let verified = verify_chain(certs, Vec::new(), &pins, now, "PCK certificate chain")?;
    let leaf = &verified.chain[0];
    ensure!(!leaf.is_ca(), CERT_CHAIN_INVALID, "The PCK leaf certificate is a CA certificate");
    if verified.root_sha256 == INTEL_PINNED_ROOTS[0].sha256 {
        let subject = leaf.cert.tbs_certificate().subject().to_string();
        ensure!(subject.contains("CN=Intel SGX PCK Certificate"), CERT_CHAIN_INVALID, "The leaf of the Intel chain is not an \"Intel SGX PCK Certificate\"");
    }
    ensure!(leaf.key_kind() == Some(KeyKind::P256), UNSUPPORTED_ALGORITHM, "The PCK leaf key is not ECDSA P-256");
    ensure!(
        p256_verify_raw(leaf.public_key_bytes(), &sha256(quote.qe_report), quote.qe_report_signature),
        QE_REPORT_INVALID,
        "The QE report signature does not verify with the PCK leaf key"
    );
    let binding = sha256_concat(&[quote.attestation_key, quote.qe_auth_data]);
    let qe_report_data = &quote.qe_report[320..384];
    ensure!(
        qe_report_data[..32] == binding && qe_report_data[32..].iter().all(|b| *b == 0),
        QE_REPORT_INVALID,
        "The QE report data does not bind the attestation key"
    );
    ensure!(
        p256_verify_raw(&sec1(quote.attestation_key), &sha256(quote.signed), quote.signature),
        SIGNATURE_INVALID,
        "The quote signature does not verify with the attestation key"
    );

    let tcb_status = match collateral {
        None => TcbStatus::UNKNOWN,
        Some(collateral) => {
            ensure!(
                verified.root_sha256 == INTEL_PINNED_ROOTS[0].sha256,
                COLLATERAL_MISMATCH,
                "Collateral appraisal needs a chain to the Intel SGX Root CA"
            );
            let verifier = dcap_qvl::verify::QuoteVerifier::new(verified.chain.last().expect("root").der.clone()).allow_debug(true).allow_service_td(true);
            match verifier.verify(evidence, collateral, now) {
                Ok(report) => tcb_status_byte(&report.status)?,
                Err(e) => return Err(collateral_error(&alloc::format!("{e:#}"))),
            }
        }
    };

    let b = quote.body;
    let common = |tee_type, measurement, report_data: &[u8], svn, debug| ClaimsFields {
        tee_type,
        measurement,
        report_data: bytes32_prefix(report_data),
        platform_id: leaf.sha256(),
        root_hash: verified.root_sha256,
        timestamp: now,
        tcb_status,
        svn,
        debug,
    };
    Ok(match quote.kind {
        BodyKind::Sgx => common(
            TeeType::SGX,
            sha256_concat(&[&b[64..96], &b[128..160]]),
            &b[320..384],
            u64::from(u16::from_le_bytes([b[258], b[259]])),
            b[48] & 0x02 != 0,
        ),
        BodyKind::Td10 | BodyKind::Td15 => common(
            TeeType::TDX,
            sha256_concat(&[&b[136..184], &b[184..232], &b[328..376], &b[376..424], &b[424..472]]),
            &b[520..584],
            (u64::from(b[1]) << 8) | u64::from(b[0]),
            b[120] & 0x01 != 0,
        ),
    })
}

