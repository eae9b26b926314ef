//! NVIDIA GPU evidence: one SPDM 1.1 GET_MEASUREMENTS request ‖ MEASUREMENTS response, signed (ECDSA P-384,
//! SHA-384 over request ‖ response without its signature) by the device leaf of a chain to the pinned NVIDIA
//! Device Identity CA. Same parsing rules and claims as TypeScript's `verifyGpuReport`, except the opaque-data
//! FWID-versus-certificate check and multi-GPU JSON sets (see the README).
use crate::claims::{ClaimsFields, TcbStatus, TeeType};
use crate::error::Result;
use crate::hash::{sha256_concat, sha384};
use crate::x509::{hex32, p384_verify_raw, parse_all, verify_chain, KeyKind, PinnedRoot};
use crate::{bail, ensure};
use alloc::vec::Vec;

pub const NVIDIA_PINNED_ROOTS: &[PinnedRoot] =
    &[PinnedRoot { name: "NVIDIA Device Identity CA", sha256: hex32("102bf659d5419614c9d8e6aecebc80454eb26b1df6a769ac720b9a690b167b48") }];
pub const MAX_GPU_REPORT_BYTES: usize = 64 * 1024;
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
    r.take(opaque_len, "response OpaqueData")?;
    let signed_end = r.offset;
    let signature = r.take(96, "response Signature")?;
    let trailing = &bytes[r.offset..];
    ensure!(
        trailing.iter().all(|b| *b == 0) && trailing.len() <= MAX_TRAILING_ZERO_BYTES,
        TRAILING_DATA,
        "The GPU report has bytes after its signature"
    );
    Ok(GpuReport { nonce, blocks, signed: &bytes[..signed_end], signature })
}

fn spdm(mut e: crate::error::Error, n: u8) -> crate::error::Error {
    e.message = alloc::format!("{} (measurement block {n})", e.message);
    e
}

/// Verifies one GPU report with its device chain (DER, leaf first) at `now` (seconds).
pub fn verify_nvidia(report: &[u8], certificates: &[Vec<u8>], expected_nonce: Option<&[u8; 32]>, now: u64, extra_pins: &[PinnedRoot]) -> Result<ClaimsFields> {
    let parsed = parse_gpu_report(report)?;
    ensure!(!certificates.is_empty(), COLLATERAL_MISSING, "No GPU device certificate chain given (--collateral with cert-chain.pem)");
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
