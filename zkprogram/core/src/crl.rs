//! X.509 certificate revocation lists (RFC 5280), as AMD's KDS issues them (the ARK signs the list of revoked
//! ASKs/ASVKs, RSASSA-PSS SHA-384) and as Intel's PCS does (ECDSA P-256). Same rules as TypeScript's
//! `checkSnpRevocation`: a CRL applies to a chain when its issuer CN names a CA of that chain; it must then be
//! signed by that CA, current at the verification time, and must not list a certificate that CA issued.
use crate::error::Result;
use crate::x509::{tbs_range, verify_signature, Cert};
use crate::{bail, ensure};
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use der::Decode;
use x509_cert::crl::CertificateList;

/// A parsed CRL with the exact bytes its signature covers.
pub struct Crl {
    pub der: Vec<u8>,
    pub list: CertificateList,
    tbs_start: usize,
    tbs_end: usize,
    what: String,
}

const CN_OID: &str = "2.5.4.3";

fn common_name(name: &x509_cert::name::Name) -> Option<String> {
    name.iter_rdn().flat_map(|rdn| rdn.iter()).filter(|atv| atv.oid.to_string() == CN_OID).last().map(|atv| {
        // CNs are UTF8String or PrintableString: the value bytes are the text either way.
        String::from_utf8_lossy(atv.value.value()).into_owned()
    })
}

/// Certificate serials compare as integers: leading zero bytes (DER sign padding) do not count.
fn serial_digits(bytes: &[u8]) -> &[u8] {
    let first = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len().saturating_sub(1));
    &bytes[first..]
}

impl Crl {
    /// Parses a DER CRL; anything else is CRL_INVALID naming `what` (the file it came from).
    pub fn parse(der: &[u8], what: &str) -> Result<Crl> {
        let list = match CertificateList::from_der(der) {
            Ok(list) => list,
            Err(e) => bail!(CRL_INVALID, "The CRL {what} could not be parsed ({e})"),
        };
        let Ok((tbs_start, tbs_end)) = tbs_range(der) else { bail!(CRL_INVALID, "The CRL {what} is truncated") };
        Ok(Crl { der: der.to_vec(), list, tbs_start, tbs_end, what: what.into() })
    }

    pub fn issuer_cn(&self) -> Option<String> {
        common_name(&self.list.tbs_cert_list.issuer)
    }

    pub fn signed_by(&self, issuer: &Cert) -> bool {
        let Some(signature) = self.list.signature.as_bytes() else { return false };
        verify_signature(issuer, &self.list.signature_algorithm, &self.der[self.tbs_start..self.tbs_end], signature)
    }

    /// thisUpdate ≤ now ≤ nextUpdate (seconds); a CRL without nextUpdate never goes stale.
    pub fn current_at(&self, now: u64) -> bool {
        let tbs = &self.list.tbs_cert_list;
        let this_update = tbs.this_update.to_unix_duration().as_secs();
        let next_update = tbs.next_update.map(|t| t.to_unix_duration().as_secs());
        this_update <= now && next_update.is_none_or(|next| now <= next)
    }

    /// The revoked serial numbers, without leading zero bytes.
    pub fn revoked_serials(&self) -> Vec<Vec<u8>> {
        let revoked = self.list.tbs_cert_list.revoked_certificates.as_deref().unwrap_or_default();
        revoked.iter().map(|entry| serial_digits(entry.serial_number.as_bytes()).to_vec()).collect()
    }

    /// Does the CRL list `cert` (compared by serial; the caller checks the issuer)?
    pub fn lists(&self, cert: &Cert) -> bool {
        let serial = serial_digits(cert.cert.tbs_certificate().serial_number().as_bytes());
        self.revoked_serials().iter().any(|revoked| revoked.as_slice() == serial)
    }
}

/// Applies `crls` (DER) to a verified chain (leaf first, root last), TypeScript's `checkSnpRevocation`: each CRL
/// whose issuer CN names a CA of the chain (not the leaf) must be signed by it (CRL_INVALID), current at `now`
/// (CRL_INVALID) and must not list a certificate of the chain that CA issued (CERT_REVOKED). CRLs of other
/// hierarchies are ignored, so one folder can hold all products'. Returns whether at least one CRL applied.
pub fn check_chain_revocation(chain: &[Cert], crls: &[Vec<u8>], now: u64) -> Result<bool> {
    let mut applied = 0usize;
    for (index, der) in crls.iter().enumerate() {
        let crl = Crl::parse(der, &alloc::format!("#{index}"))?;
        let Some(issuer_cn) = crl.issuer_cn() else { continue };
        let Some(issuer_index) = (1..chain.len()).find(|&i| cert_cn(&chain[i]).as_deref() == Some(issuer_cn.as_str())) else { continue };
        let issuer = &chain[issuer_index];
        ensure!(crl.signed_by(issuer), CRL_INVALID, "The CRL {} is not signed by {issuer_cn}", crl.what);
        ensure!(crl.current_at(now), CRL_INVALID, "The CRL {} is not current at {now} (fetch a fresh one from the vendor)", crl.what);
        for cert in &chain[..issuer_index] {
            if cert.named_by(issuer) && crl.lists(cert) {
                bail!(
                    CERT_REVOKED,
                    "The certificate {} (serial {}) is revoked by the CRL {} of {issuer_cn}",
                    cert_cn(cert).unwrap_or_default(),
                    hex::encode(serial_digits(cert.cert.tbs_certificate().serial_number().as_bytes())),
                    crl.what
                );
            }
        }
        applied += 1;
    }
    Ok(applied > 0)
}

pub fn cert_cn(cert: &Cert) -> Option<String> {
    common_name(cert.cert.tbs_certificate().subject())
}
