//! AWS Nitro Enclaves attestation documents: COSE_Sign1 (ES384) over a CBOR document whose `cabundle` runs
//! root first. Same steps and claims as TypeScript's `verifyNitroDocument`.
use crate::claims::{ClaimsFields, TcbStatus, TeeType};
use crate::error::Result;
use crate::hash::{bytes32_prefix, sha256_concat, sha384};
use crate::x509::{hex32, p384_verify_raw, verify_chain, Cert, KeyKind, PinnedRoot};
use crate::{bail, ensure};
use alloc::string::String;
use alloc::vec::Vec;
use minicbor::data::Type;
use minicbor::Decoder;

/// AWS Nitro Enclaves Root-G1, pinned by the sha256 of its DER as AWS publishes it.
pub const NITRO_PINNED_ROOTS: &[PinnedRoot] =
    &[PinnedRoot { name: "AWS Nitro Enclaves Root-G1", sha256: hex32("641a0321a3e244efe456463195d606317ed7cdcc3c1756e09893f3c68f79bb5b") }];

/// Size cap checked before parsing (TypeScript MAX_NITRO_DOCUMENT_BYTES).
pub const MAX_NITRO_DOCUMENT_BYTES: usize = 32 * 1024;
const COSE_ALG_ES384: i64 = -35;
/// The hypervisor's clock and the verifier's are not synchronised: 5 minutes of `now` before the document
/// time are tolerated (TypeScript NITRO_CLOCK_SKEW_MS).
const CLOCK_SKEW_MS: u64 = 5 * 60 * 1000;
const MAX_CERT_BYTES: usize = 1024;
const MAX_USER_FIELD_BYTES: usize = 1024;

pub struct NitroDocument {
    pub module_id: String,
    pub timestamp_ms: u64,
    pub pcrs: Vec<(u64, Vec<u8>)>,
    pub certificate: Vec<u8>,
    pub cabundle: Vec<Vec<u8>>,
    pub user_data: Option<Vec<u8>>,
    pub nonce: Option<Vec<u8>>,
    pub public_key: Option<Vec<u8>>,
}

struct Cose<'a> {
    protected: &'a [u8],
    payload: &'a [u8],
    signature: &'a [u8],
}

macro_rules! cose {
    ($e:expr, $what:expr) => {
        match $e {
            Ok(v) => v,
            Err(err) => bail!(COSE_INVALID, "COSE_Sign1: {} ({})", $what, err),
        }
    };
}
macro_rules! doc {
    ($e:expr, $what:expr) => {
        match $e {
            Ok(v) => v,
            Err(err) => bail!(NITRO_DOCUMENT_INVALID, "Nitro document: {} ({})", $what, err),
        }
    };
}

fn parse_cose(bytes: &[u8]) -> Result<Cose<'_>> {
    let mut d = Decoder::new(bytes);
    if cose!(d.datatype(), "empty input") == Type::Tag {
        let tag = cose!(d.tag(), "tag");
        ensure!(tag.as_u64() == 18, COSE_INVALID, "COSE_Sign1: unexpected CBOR tag {}", tag.as_u64());
    }
    let len = cose!(d.array(), "not an array");
    ensure!(len == Some(4), COSE_INVALID, "COSE_Sign1 must be an array of 4 items");
    let protected = cose!(d.bytes(), "protected header");
    // The unprotected header must be a map; AWS leaves it empty.
    ensure!(cose!(d.datatype(), "unprotected header") == Type::Map, COSE_INVALID, "COSE_Sign1 unprotected header is not a map");
    cose!(d.skip(), "unprotected header");
    let payload = cose!(d.bytes(), "payload");
    let signature = cose!(d.bytes(), "signature");
    if d.position() != bytes.len() {
        bail!(TRAILING_DATA, "{} bytes follow the COSE_Sign1 structure", bytes.len() - d.position());
    }
    // Protected header: {1: -35}.
    let mut h = Decoder::new(protected);
    let entries = cose!(h.map(), "protected header is not a map");
    let mut alg = None;
    for _ in 0..entries.unwrap_or(0) {
        let key = cose!(h.i64(), "protected header key");
        if key == 1 {
            alg = Some(cose!(h.i64(), "alg"));
        } else {
            cose!(h.skip(), "protected header value");
        }
    }
    ensure!(h.position() == protected.len(), COSE_INVALID, "COSE_Sign1 protected header has trailing bytes");
    match alg {
        Some(COSE_ALG_ES384) => {}
        Some(other) => bail!(UNSUPPORTED_ALGORITHM, "COSE alg {other}; Nitro documents are ES384 (-35)"),
        None => bail!(COSE_INVALID, "COSE_Sign1 protected header has no alg"),
    }
    Ok(Cose { protected, payload, signature })
}

fn optional_bytes(d: &mut Decoder<'_>, what: &str) -> Result<Option<Vec<u8>>> {
    if doc!(d.datatype(), what) == Type::Null {
        doc!(d.null(), what);
        return Ok(None);
    }
    let value = doc!(d.bytes(), what);
    ensure!(value.len() <= MAX_USER_FIELD_BYTES, NITRO_DOCUMENT_INVALID, "Nitro document: {what} exceeds {MAX_USER_FIELD_BYTES} bytes");
    Ok(Some(value.to_vec()))
}

/// Parses the document payload against the AWS CDDL (required fields, types, bounds; no unknown keys).
pub fn parse_document(payload: &[u8]) -> Result<NitroDocument> {
    let mut d = Decoder::new(payload);
    let entries = doc!(d.map(), "payload is not a map");
    let Some(entries) = entries else { bail!(NITRO_DOCUMENT_INVALID, "Nitro document: indefinite-length map") };
    let (mut module_id, mut digest, mut timestamp, mut pcrs, mut certificate, mut cabundle) = (None, None, None, None, None, None);
    let (mut public_key, mut user_data, mut nonce) = (None, None, None);
    for _ in 0..entries {
        let key = doc!(d.str(), "key is not a text string");
        match key {
            "module_id" => module_id = Some(String::from(doc!(d.str(), "module_id"))),
            "digest" => digest = Some(String::from(doc!(d.str(), "digest"))),
            "timestamp" => timestamp = Some(doc!(d.u64(), "timestamp")),
            "pcrs" => {
                let n = doc!(d.map(), "pcrs").unwrap_or(u64::MAX);
                ensure!(n >= 1 && n <= 32, NITRO_DOCUMENT_INVALID, "Nitro document: pcrs holds {n} entries (1..32)");
                let mut list: Vec<(u64, Vec<u8>)> = Vec::new();
                for _ in 0..n {
                    let index = doc!(d.u64(), "PCR index");
                    let value = doc!(d.bytes(), "PCR value");
                    ensure!(index <= 31, NITRO_DOCUMENT_INVALID, "Nitro document: PCR index {index} > 31");
                    ensure!(matches!(value.len(), 32 | 48 | 64), NITRO_DOCUMENT_INVALID, "Nitro document: PCR{index} is {} bytes", value.len());
                    ensure!(list.iter().all(|(i, _)| *i != index), NITRO_DOCUMENT_INVALID, "Nitro document: PCR{index} listed twice");
                    list.push((index, value.to_vec()));
                }
                pcrs = Some(list);
            }
            "certificate" => certificate = Some(doc!(d.bytes(), "certificate").to_vec()),
            "cabundle" => {
                let n = doc!(d.array(), "cabundle").unwrap_or(u64::MAX);
                ensure!(n >= 1 && n <= 16, NITRO_DOCUMENT_INVALID, "Nitro document: cabundle holds {n} certificates");
                let mut list = Vec::new();
                for _ in 0..n {
                    let cert = doc!(d.bytes(), "cabundle entry");
                    ensure!(!cert.is_empty() && cert.len() <= MAX_CERT_BYTES, NITRO_DOCUMENT_INVALID, "Nitro document: cabundle entry of {} bytes", cert.len());
                    list.push(cert.to_vec());
                }
                cabundle = Some(list);
            }
            "public_key" => public_key = optional_bytes(&mut d, "public_key")?,
            "user_data" => user_data = optional_bytes(&mut d, "user_data")?,
            "nonce" => nonce = optional_bytes(&mut d, "nonce")?,
            other => bail!(NITRO_DOCUMENT_INVALID, "Nitro document: unknown field {other:?}"),
        }
    }
    ensure!(d.position() == payload.len(), NITRO_DOCUMENT_INVALID, "Nitro document: trailing bytes after the map");
    let Some(module_id) = module_id else { bail!(NITRO_DOCUMENT_INVALID, "Nitro document: module_id missing") };
    ensure!(!module_id.is_empty(), NITRO_DOCUMENT_INVALID, "Nitro document: module_id is empty");
    ensure!(digest.as_deref() == Some("SHA384"), NITRO_DOCUMENT_INVALID, "Nitro document: digest must be SHA384");
    let Some(timestamp_ms) = timestamp else { bail!(NITRO_DOCUMENT_INVALID, "Nitro document: timestamp missing") };
    ensure!(timestamp_ms > 0, NITRO_DOCUMENT_INVALID, "Nitro document: timestamp is zero");
    let Some(pcrs) = pcrs else { bail!(NITRO_DOCUMENT_INVALID, "Nitro document: pcrs missing") };
    let Some(certificate) = certificate else { bail!(NITRO_DOCUMENT_INVALID, "Nitro document: certificate missing") };
    ensure!(!certificate.is_empty() && certificate.len() <= MAX_CERT_BYTES, NITRO_DOCUMENT_INVALID, "Nitro document: certificate of {} bytes", certificate.len());
    let Some(cabundle) = cabundle else { bail!(NITRO_DOCUMENT_INVALID, "Nitro document: cabundle missing") };
    Ok(NitroDocument { module_id, timestamp_ms, pcrs, certificate, cabundle, user_data, nonce, public_key })
}

/// COSE Sig_structure ["Signature1", protected, h'', payload], CBOR-encoded.
fn sig_structure(protected: &[u8], payload: &[u8]) -> Vec<u8> {
    let mut e = minicbor::Encoder::new(Vec::with_capacity(payload.len() + protected.len() + 32));
    // Writing into a Vec cannot fail.
    let _ = e.array(4).and_then(|e| e.str("Signature1")).and_then(|e| e.bytes(protected)).and_then(|e| e.bytes(&[])).and_then(|e| e.bytes(payload));
    e.into_writer()
}

/// Verifies a Nitro document (decoded bytes) at `now_ms` (milliseconds since the epoch) and returns its claims.
/// The chain must be valid at the document time and at `now` (a stale document cannot be replayed forever).
pub fn verify_nitro(evidence: &[u8], now_ms: u64, extra_pins: &[PinnedRoot]) -> Result<ClaimsFields> {
    ensure!(!evidence.is_empty(), INPUT_EMPTY, "The evidence is empty");
    ensure!(evidence.len() <= MAX_NITRO_DOCUMENT_BYTES, INPUT_TOO_LARGE, "Nitro document of {} bytes exceeds the {MAX_NITRO_DOCUMENT_BYTES}-byte cap", evidence.len());
    let cose = parse_cose(evidence)?;
    let document = parse_document(cose.payload)?;
    let doc_secs = document.timestamp_ms / 1000;

    let leaf = Cert::parse(&document.certificate, "Nitro signing certificate")?;
    let mut chain = alloc::vec![leaf];
    for (index, der) in document.cabundle.iter().enumerate().rev() {
        chain.push(Cert::parse(der, &alloc::format!("Nitro cabundle[{index}]"))?);
    }
    let mut pins = NITRO_PINNED_ROOTS.to_vec();
    pins.extend_from_slice(extra_pins);
    let verified = verify_chain(chain, Vec::new(), &pins, doc_secs, "Nitro certificate chain")?;

    let leaf = &verified.chain[0];
    ensure!(leaf.key_kind() == Some(KeyKind::P384), UNSUPPORTED_ALGORITHM, "The Nitro signing certificate does not hold a P-384 key, as ES384 requires");
    ensure!(cose.signature.len() == 96, SIGNATURE_INVALID, "The COSE signature is {} bytes; ES384 r‖s is 96", cose.signature.len());
    let digest = sha384(&sig_structure(cose.protected, cose.payload));
    ensure!(
        p384_verify_raw(leaf.public_key_bytes(), &digest, cose.signature),
        SIGNATURE_INVALID,
        "The COSE_Sign1 signature does not verify with the Nitro signing certificate's key"
    );

    ensure!(
        now_ms + CLOCK_SKEW_MS >= document.timestamp_ms,
        EVIDENCE_FROM_FUTURE,
        "The Nitro document is dated after the verification time (document {} ms, now {now_ms} ms)",
        document.timestamp_ms
    );
    let check_at = now_ms.max(document.timestamp_ms) / 1000;
    for (index, cert) in verified.chain.iter().enumerate() {
        ensure!(cert.valid_at(check_at), CERT_EXPIRED, "Nitro certificate chain certificate {index} is not valid at the verification time");
    }

    let pcr = |i: u64| -> Result<&[u8]> {
        match document.pcrs.iter().find(|(index, _)| *index == i) {
            Some((_, value)) => Ok(value),
            None => bail!(NITRO_DOCUMENT_INVALID, "The Nitro attestation document has no PCR{i}, needed for the measurement"),
        }
    };
    let (pcr0, pcr1, pcr2) = (pcr(0)?, pcr(1)?, pcr(2)?);
    Ok(ClaimsFields {
        tee_type: TeeType::NITRO,
        measurement: sha256_concat(&[pcr0, pcr1, pcr2]),
        report_data: bytes32_prefix(document.user_data.as_deref().unwrap_or(&[])),
        platform_id: crate::hash::sha256(document.module_id.as_bytes()),
        root_hash: verified.root_sha256,
        timestamp: doc_secs,
        tcb_status: TcbStatus::NOT_APPLICABLE,
        svn: 0,
        debug: pcr0.iter().all(|b| *b == 0),
    })
}
