//! AMD SEV-SNP attestation reports (versions 2–5), raw or wrapped by Azure (HCL header, JSON with a `report`
//! byte array and a `vcek` PEM), signed by a VCEK or VLEK that chains ASK/ASVK → pinned ARK. Same steps and
//! claims as TypeScript's `verifySnpReport`, including its revocation check (CRLs issued by a CA of the chain).
use crate::claims::{ClaimsFields, TcbStatus, TeeType};
use crate::error::Result;
use crate::hash::{bytes32_prefix, sha256, sha384};
use crate::x509::{hex32, p384_verify_raw, verify_chain, Cert, KeyKind, PinnedRoot};
use crate::{bail, ensure};
use alloc::string::ToString;
use alloc::vec::Vec;
use der::asn1::OctetString;
use der::Decode;

pub const SNP_PINNED_ROOTS: &[PinnedRoot] = &[
    PinnedRoot { name: "ARK-Milan", sha256: hex32("69d063b45344d26a2e94e1f4210de49ef555308287d4c174445c95639a540bcd") },
    PinnedRoot { name: "ARK-Genoa", sha256: hex32("4c6598d19c18719c5dfd4a7d335f674e5bfe1d8f800cea2cf270c10d103db2f1") },
    PinnedRoot { name: "ARK-Turin", sha256: hex32("1f084161a44bb6d93778a904877d4819cafa5d05ef4193b2ded9dd9c73dd3f6a") },
];

pub const MAX_SNP_EVIDENCE_BYTES: usize = 256 * 1024;
const REPORT_BYTES: usize = 0x4a0;
const SIGNED_BYTES: usize = 0x2a0;
const HCL_HEADER_BYTES: usize = 32;

const OID_BL_SPL: &str = "1.3.6.1.4.1.3704.1.3.1";
const OID_TEE_SPL: &str = "1.3.6.1.4.1.3704.1.3.2";
const OID_SNP_SPL: &str = "1.3.6.1.4.1.3704.1.3.3";
const OID_UCODE_SPL: &str = "1.3.6.1.4.1.3704.1.3.8";
const OID_FMC_SPL: &str = "1.3.6.1.4.1.3704.1.3.9";
const OID_HW_ID: &str = "1.3.6.1.4.1.3704.1.4";

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Product {
    Milan,
    Genoa,
    Turin,
}

/// DESIGN §2 svn and the TCB fields the VCEK certifies, decoded per product (Turin moved them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TcbVersion {
    pub bootloader: u8,
    pub tee: u8,
    pub snp: u8,
    pub microcode: u8,
    pub fmc: Option<u8>,
}

impl TcbVersion {
    fn decode(b: &[u8], product: Option<Product>) -> TcbVersion {
        if product == Some(Product::Turin) {
            TcbVersion { fmc: Some(b[0]), bootloader: b[1], tee: b[2], snp: b[3], microcode: b[7] }
        } else {
            TcbVersion { fmc: None, bootloader: b[0], tee: b[1], snp: b[6], microcode: b[7] }
        }
    }
    /// DESIGN §2 svn lanes: microcode, snp, tee, bootloader, fmc (Turin; 0 elsewhere), lane 0 lowest.
    pub fn svn(&self) -> u64 {
        u64::from(self.microcode)
            | (u64::from(self.snp) << 8)
            | (u64::from(self.tee) << 16)
            | (u64::from(self.bootloader) << 24)
            | (u64::from(self.fmc.unwrap_or(0)) << 32)
    }
}

/// DESIGN §2 SNP measurement (TypeScript `snpMeasurementDigest`): sha256(MEASUREMENT) at VMPL 0 without a
/// migration agent, else sha256(MEASUREMENT ‖ VMPL u32 LE ‖ MIGRATE_MA byte), so code at a less privileged VMPL
/// or a migratable guest never carries the measurement an allowlist names for a plain guest.
fn snp_measurement(measurement: &[u8], vmpl: u32, migrate_ma: bool) -> [u8; 32] {
    if vmpl == 0 && !migrate_ma {
        return sha256(measurement);
    }
    let mut bytes = measurement.to_vec();
    bytes.extend_from_slice(&vmpl.to_le_bytes());
    bytes.push(u8::from(migrate_ma));
    sha256(&bytes)
}

fn product_from_cpuid(family: u8, model: u8) -> Option<Product> {
    match (family, model) {
        (0x19, 0x00..=0x0f) => Some(Product::Milan),
        (0x19, 0x10..=0x1f) | (0x19, 0xa0..=0xaf) => Some(Product::Genoa),
        (0x1a, 0x00..=0x1f) => Some(Product::Turin),
        _ => None,
    }
}

fn product_from_name(name: &str) -> Option<Product> {
    name.split('-').find_map(|part| match part {
        "Milan" => Some(Product::Milan),
        "Genoa" => Some(Product::Genoa),
        "Turin" => Some(Product::Turin),
        _ => None,
    })
}

fn u32_le(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// Unwraps Azure containers; returns the 0x4A0-byte report and certificates that travelled with it.
fn unwrap(evidence: &[u8]) -> Result<(Vec<u8>, Vec<Vec<u8>>)> {
    ensure!(!evidence.is_empty(), INPUT_EMPTY, "The SEV-SNP evidence is empty");
    ensure!(evidence.len() <= MAX_SNP_EVIDENCE_BYTES, INPUT_TOO_LARGE, "SEV-SNP evidence of {} bytes exceeds the {MAX_SNP_EVIDENCE_BYTES}-byte cap", evidence.len());
    let first = evidence.iter().find(|b| !b.is_ascii_whitespace()).copied();
    if first == Some(b'{') {
        let json: serde_json::Value = match serde_json::from_slice(evidence) {
            Ok(v) => v,
            Err(_) => bail!(SNP_REPORT_INVALID, "The SEV-SNP evidence starts with '{{' but is not valid JSON"),
        };
        let Some(array) = json.get("report").and_then(|r| r.as_array()) else {
            bail!(SNP_REPORT_INVALID, "The SEV-SNP evidence JSON has no `report` byte array");
        };
        let mut report = Vec::with_capacity(array.len());
        for v in array {
            match v.as_u64() {
                Some(b) if b <= 255 => report.push(b as u8),
                _ => bail!(SNP_REPORT_INVALID, "The SEV-SNP evidence JSON `report` is not a byte array"),
            }
        }
        let certs = match json.get("vcek").and_then(|v| v.as_str()) {
            Some(pem) if pem.contains("-----BEGIN CERTIFICATE-----") => crate::pem::pem_certificates(pem, "VCEK in the evidence JSON")?,
            _ => Vec::new(),
        };
        let inner = if report.starts_with(b"HCLA") { unwrap_hcl(&report)? } else { report };
        return Ok((inner, certs));
    }
    if evidence.starts_with(b"HCLA") {
        return Ok((unwrap_hcl(evidence)?, Vec::new()));
    }
    Ok((evidence.to_vec(), Vec::new()))
}

fn unwrap_hcl(bytes: &[u8]) -> Result<Vec<u8>> {
    ensure!(bytes.len() >= HCL_HEADER_BYTES + REPORT_BYTES, SNP_REPORT_INVALID, "An Azure HCL report needs at least {} bytes, got {}", HCL_HEADER_BYTES + REPORT_BYTES, bytes.len());
    let request_type = u32_le(bytes, 12);
    ensure!(request_type == 2, SNP_REPORT_INVALID, "The Azure HCL report holds request type {request_type}, not an SNP report (2)");
    Ok(bytes[HCL_HEADER_BYTES..HCL_HEADER_BYTES + REPORT_BYTES].to_vec())
}

/// The AMD extension `oid` of `cert`: INTEGER SPLs as u8, hwID as bytes.
fn amd_extension<'a>(cert: &'a Cert, oid: &str) -> Option<&'a [u8]> {
    let exts = cert.cert.tbs_certificate().extensions()?;
    exts.iter().find(|e| e.extn_id.to_string() == oid).map(|e| e.extn_value.as_bytes())
}

fn amd_spl(cert: &Cert, oid: &str) -> Option<u8> {
    let raw = amd_extension(cert, oid)?;
    let value = u64::from_der(raw).ok()?;
    u8::try_from(value).ok()
}

fn amd_hw_id(cert: &Cert) -> Option<Vec<u8>> {
    let raw = amd_extension(cert, OID_HW_ID)?;
    Some(OctetString::from_der(raw).map(|o| o.as_bytes().to_vec()).unwrap_or_else(|_| raw.to_vec()))
}

/// The subject CN (AMD names its certificates "ARK-Milan", "SEV-Genoa", "SEV-VLEK-Turin").
fn common_name(cert: &Cert) -> alloc::string::String {
    let subject = cert.cert.tbs_certificate().subject().to_string();
    subject.split(',').find_map(|part| part.trim().strip_prefix("CN=")).unwrap_or("").into()
}

/// Verifies an SNP report (raw or Azure-wrapped) against `certificates` (DER: VCEK/VLEK, ASK/ASVK, ARK in any
/// order; the evidence may carry its VCEK) at `now` (seconds), without revocation lists: tcbStatus UNKNOWN.
pub fn verify_snp(evidence: &[u8], certificates: &[Vec<u8>], now: u64, extra_pins: &[PinnedRoot]) -> Result<ClaimsFields> {
    verify_snp_with_crls(evidence, certificates, &[], now, extra_pins)
}

/// [`verify_snp`] plus revocation: every CRL in `crls` (DER) whose issuer is a CA of the verified chain must be
/// signed by it and current, and must not list the VCEK/VLEK or ASK/ASVK (TypeScript's `checkSnpRevocation`).
pub fn verify_snp_with_crls(evidence: &[u8], certificates: &[Vec<u8>], crls: &[Vec<u8>], now: u64, extra_pins: &[PinnedRoot]) -> Result<ClaimsFields> {
    let (report, embedded) = unwrap(evidence)?;
    ensure!(report.len() == REPORT_BYTES, SNP_REPORT_INVALID, "An SEV-SNP report is {REPORT_BYTES} bytes, got {}", report.len());
    let version = u32_le(&report, 0);
    ensure!((2..=5).contains(&version), UNSUPPORTED_VERSION, "SEV-SNP report version {version} (2 to 5 supported)");
    let sig_algo = u32_le(&report, 0x34);
    ensure!(sig_algo == 1, UNSUPPORTED_ALGORITHM, "SEV-SNP SIGNATURE_ALGO {sig_algo} is not 1 (ECDSA P-384 with SHA-384)");
    let signing_key = (u32_le(&report, 0x48) >> 2) & 7;
    let vlek = match signing_key {
        0 => false,
        1 => true,
        7 => bail!(SIGNATURE_INVALID, "The SEV-SNP report is unsigned (SIGNING_KEY = 7, no key)"),
        other => bail!(SNP_REPORT_INVALID, "SIGNING_KEY value {other} is reserved"),
    };
    let kind = if vlek { "VLEK" } else { "VCEK" };
    let cpuid_product = if version >= 3 { product_from_cpuid(report[0x188], report[0x189]) } else { None };
    let policy = u64::from_le_bytes(report[8..16].try_into().expect("8 bytes"));
    let report_data = &report[0x50..0x90];
    let measurement = &report[0x90..0xc0];
    let chip_id = &report[0x1a0..0x1e0];

    let mut certs = Vec::new();
    for (i, der) in embedded.iter().chain(certificates.iter()).enumerate() {
        match Cert::parse(der, &alloc::format!("SEV-SNP certificate {i}")) {
            Ok(cert) => certs.push(cert),
            Err(e) => bail!(COLLATERAL_INVALID, "{}", e.message),
        }
    }
    // The signer: a non-CA P-384 certificate whose key verifies the report; several candidates may be given.
    let (r, s) = (&report[SIGNED_BYTES..SIGNED_BYTES + 72], &report[SIGNED_BYTES + 72..SIGNED_BYTES + 144]);
    ensure!(r[48..].iter().chain(s[48..].iter()).all(|b| *b == 0), SIGNATURE_INVALID, "The SEV-SNP signature's R or S does not fit 48 bytes");
    let mut raw_sig = [0u8; 96];
    for i in 0..48 {
        raw_sig[i] = r[47 - i];
        raw_sig[48 + i] = s[47 - i];
    }
    let digest = sha384(&report[..SIGNED_BYTES]);
    let candidates: Vec<usize> = (0..certs.len()).filter(|&i| !certs[i].is_ca() && certs[i].key_kind() == Some(KeyKind::P384)).collect();
    ensure!(!candidates.is_empty(), COLLATERAL_MISSING, "No {kind} certificate in the collateral");
    let Some(signer_index) = candidates.iter().copied().find(|&i| p384_verify_raw(certs[i].public_key_bytes(), &digest, &raw_sig)) else {
        bail!(SIGNATURE_INVALID, "The SEV-SNP report signature does not verify with the {kind}");
    };
    let signer = certs.swap_remove(signer_index);
    let signer_name = common_name(&signer);
    let product = cpuid_product
        .or_else(|| amd_extension(&signer, "1.3.6.1.4.1.3704.1.2").and_then(|raw| {
            der::asn1::Ia5StringRef::from_der(raw).ok().and_then(|s| product_from_name(s.as_str()))
        }))
        .or_else(|| product_from_name(&signer_name));
    let Some(product) = product else { bail!(COLLATERAL_INVALID, "Cannot tell the product (Milan, Genoa, Turin) from the report or the {kind}") };
    let product_name = match product {
        Product::Milan => "Milan",
        Product::Genoa => "Genoa",
        Product::Turin => "Turin",
    };
    let want_intermediate = if vlek { alloc::format!("SEV-VLEK-{product_name}") } else { alloc::format!("SEV-{product_name}") };
    let Some(inter_index) = (0..certs.len())
        .filter(|&i| certs[i].is_ca() && signer.named_by(&certs[i]) && signer.signed_by(&certs[i]))
        .max_by_key(|&i| common_name(&certs[i]) == want_intermediate)
    else {
        bail!(COLLATERAL_MISSING, "{} {want_intermediate} (issuer of the {kind}) not in collateral", if vlek { "ASVK" } else { "ASK" });
    };
    let intermediate = certs.swap_remove(inter_index);
    let roots: Vec<Cert> = certs.into_iter().filter(|c| c.self_signed()).collect();
    let verified = verify_chain(alloc::vec![signer, intermediate], roots, &[SNP_PINNED_ROOTS, extra_pins].concat(), now, &alloc::format!("{kind} chain"))?;
    let root_cn = common_name(verified.chain.last().expect("root"));
    ensure!(
        root_cn == alloc::format!("ARK-{product_name}") || extra_pins.iter().any(|p| p.sha256 == verified.root_sha256),
        COLLATERAL_MISMATCH,
        "The {kind} chains to {root_cn}, not to ARK-{product_name} of the report's product"
    );
    // Without a CRL of this chain nobody judged revocation: the claims say UNKNOWN, which on-chain policies must
    // accept explicitly (TypeScript does the same).
    let revocation_checked = crate::crl::check_chain_revocation(&verified.chain, crls, now)?;

    let signer = &verified.chain[0];
    let reported = TcbVersion::decode(&report[0x180..0x188], Some(product));
    let mut pairs = alloc::vec![
        ("blSPL", amd_spl(signer, OID_BL_SPL), reported.bootloader),
        ("teeSPL", amd_spl(signer, OID_TEE_SPL), reported.tee),
        ("snpSPL", amd_spl(signer, OID_SNP_SPL), reported.snp),
        ("ucodeSPL", amd_spl(signer, OID_UCODE_SPL), reported.microcode),
    ];
    if let Some(fmc) = reported.fmc {
        pairs.push(("fmcSPL", amd_spl(signer, OID_FMC_SPL), fmc));
    }
    for (name, from_cert, from_report) in pairs {
        ensure!(from_cert == Some(from_report), SNP_TCB_MISMATCH, "The {kind} was issued for another TCB than the report's REPORTED_TCB ({name} certificate {from_cert:?} vs report {from_report})");
    }
    let masked = chip_id.iter().all(|b| *b == 0);
    if !vlek && !masked {
        let hw_id = amd_hw_id(signer);
        let matches = match &hw_id {
            Some(hw) => hw.as_slice() == chip_id || (product == Product::Turin && hw.len() == 8 && hw.as_slice() == &chip_id[..8]),
            None => false,
        };
        ensure!(matches, SNP_TCB_MISMATCH, "The VCEK was issued for another chip than the report's CHIP_ID");
    }

    Ok(ClaimsFields {
        tee_type: TeeType::SEV_SNP,
        measurement: snp_measurement(measurement, u32_le(&report, 0x30), policy & (1 << 18) != 0),
        report_data: bytes32_prefix(report_data),
        platform_id: sha256(chip_id),
        root_hash: verified.root_sha256,
        timestamp: now,
        tcb_status: if revocation_checked { TcbStatus::NOT_APPLICABLE } else { TcbStatus::UNKNOWN },
        svn: reported.svn(),
        debug: policy & (1 << 19) != 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 12 item 7: Turin's FMC SVN is lane 4 of svn; Milan/Genoa keep the bytes of the old packing.
    #[test]
    fn svn_lanes_keep_every_component() {
        let turin = TcbVersion::decode(&[1, 3, 4, 25, 0, 0, 0, 0x48], Some(Product::Turin));
        assert_eq!(turin.svn(), 0x48 | (25 << 8) | (4 << 16) | (3 << 24) | (1 << 32));
        let genoa = TcbVersion::decode(&[9, 0, 0, 0, 0, 0, 24, 219], Some(Product::Genoa));
        assert_eq!(genoa.svn(), (9 << 24) | (24 << 8) | 219);
    }
}
