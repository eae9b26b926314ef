//! X.509 chains as every vendor here uses them: parse, link by name and signature, pin the root by the
//! sha256 of its DER, check validity at an explicit time. Only the algorithms the vendors sign with are
//! accepted: ECDSA P-256/P-384 with SHA-256/384 (Intel, AWS, NVIDIA) and RSASSA-PSS SHA-384 (AMD).
use crate::error::Result;
use crate::hash::sha256;
use crate::{bail, ensure};
use alloc::vec::Vec;
use der::{Decode, Encode, Reader};
use sha2::{Digest, Sha256, Sha384};
use x509_cert::ext::pkix::BasicConstraints;
use x509_cert::Certificate;

const ECDSA_SHA256: &str = "1.2.840.10045.4.3.2";
const ECDSA_SHA384: &str = "1.2.840.10045.4.3.3";
const RSASSA_PSS: &str = "1.2.840.113549.1.1.10";
const EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";
const RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
const CURVE_P256: &str = "1.2.840.10045.3.1.7";
const CURVE_P384: &str = "1.3.132.0.34";
const SHA384_OID: &str = "2.16.840.1.101.3.4.2.2";

/// A root accepted at the end of a chain: a published fact, the sha256 of its DER.
#[derive(Clone, Copy, Debug)]
pub struct PinnedRoot {
    pub name: &'static str,
    pub sha256: [u8; 32],
}

/// A parsed certificate with the exact bytes that were signed (re-encoding could differ from the original).
pub struct Cert {
    pub der: Vec<u8>,
    pub cert: Certificate,
    tbs_start: usize,
    tbs_end: usize,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum KeyKind {
    P256,
    P384,
    Rsa,
}

impl Cert {
    pub fn parse(der: &[u8], what: &str) -> Result<Cert> {
        let cert = match Certificate::from_der(der) {
            Ok(cert) => cert,
            Err(e) => bail!(CERT_PARSE, "{what}: not a DER X.509 certificate ({e})"),
        };
        let (tbs_start, tbs_end) = match tbs_range(der) {
            Ok(range) => range,
            Err(e) => bail!(CERT_PARSE, "{what}: the to-be-signed part cannot be located ({e})"),
        };
        Ok(Cert { der: der.to_vec(), cert, tbs_start, tbs_end })
    }

    pub fn tbs(&self) -> &[u8] {
        &self.der[self.tbs_start..self.tbs_end]
    }

    pub fn sha256(&self) -> [u8; 32] {
        sha256(&self.der)
    }

    pub fn is_ca(&self) -> bool {
        matches!(self.cert.tbs_certificate().get_extension::<BasicConstraints>(), Ok(Some((_, bc))) if bc.ca)
    }

    pub fn not_before(&self) -> u64 {
        self.cert.tbs_certificate().validity().not_before.to_unix_duration().as_secs()
    }

    pub fn not_after(&self) -> u64 {
        self.cert.tbs_certificate().validity().not_after.to_unix_duration().as_secs()
    }

    pub fn valid_at(&self, at: u64) -> bool {
        self.not_before() <= at && at <= self.not_after()
    }

    /// The issuer name of `self` is the subject name of `parent`.
    pub fn named_by(&self, parent: &Cert) -> bool {
        self.cert.tbs_certificate().issuer() == parent.cert.tbs_certificate().subject()
    }

    pub fn subject_der(&self) -> Vec<u8> {
        self.cert.tbs_certificate().subject().to_der().unwrap_or_default()
    }

    pub fn spki_der(&self) -> Vec<u8> {
        self.cert.tbs_certificate().subject_public_key_info().to_der().unwrap_or_default()
    }

    /// The raw subject public key: SEC1 point for EC keys, PKCS#1 for RSA.
    pub fn public_key_bytes(&self) -> &[u8] {
        self.cert.tbs_certificate().subject_public_key_info().subject_public_key.raw_bytes()
    }

    pub fn key_kind(&self) -> Option<KeyKind> {
        let spki = self.cert.tbs_certificate().subject_public_key_info();
        let alg = spki.algorithm.oid.to_string();
        if alg == RSA_ENCRYPTION {
            return Some(KeyKind::Rsa);
        }
        if alg != EC_PUBLIC_KEY {
            return None;
        }
        let curve = spki.algorithm.parameters.as_ref()?.decode_as::<der::asn1::ObjectIdentifier>().ok()?.to_string();
        match curve.as_str() {
            CURVE_P256 => Some(KeyKind::P256),
            CURVE_P384 => Some(KeyKind::P384),
            _ => None,
        }
    }

    /// Does `parent`'s key verify the signature on `self`?
    pub fn signed_by(&self, parent: &Cert) -> bool {
        let Some(signature) = self.cert.signature().as_bytes() else { return false };
        verify_signature(parent, self.cert.signature_algorithm(), self.tbs(), signature)
    }

    pub fn self_signed(&self) -> bool {
        self.named_by(self) && self.signed_by(self)
    }
}

/// The byte range of the first element inside the outer SEQUENCE: the to-be-signed part of a certificate or CRL.
pub(crate) fn tbs_range(der: &[u8]) -> der::Result<(usize, usize)> {
    let mut reader = der::SliceReader::new(der)?;
    let outer = der::Header::decode(&mut reader)?;
    let start: usize = reader.position().try_into()?;
    let tbs = reader.tlv_bytes()?;
    let _ = outer;
    Ok((start, start + tbs.len()))
}

/// Verifies `signature` over `message` (a certificate's or CRL's to-be-signed bytes) with `signer`'s key, for the
/// algorithms the vendors use: ECDSA P-256/P-384 with SHA-256/384, RSASSA-PSS with SHA-384 (salt from the
/// parameters). Anything else is refused, not guessed.
pub fn verify_signature(signer: &Cert, alg: &x509_cert::spki::AlgorithmIdentifierOwned, message: &[u8], signature: &[u8]) -> bool {
    match alg.oid.to_string().as_str() {
        ECDSA_SHA256 => ecdsa_verify_der(signer, &Sha256::digest(message), signature),
        ECDSA_SHA384 => ecdsa_verify_der(signer, &Sha384::digest(message), signature),
        RSASSA_PSS => match pss_sha384_salt(alg) {
            Some(salt) => rsa_pss_sha384_verify(signer, message, signature, salt),
            None => false,
        },
        _ => false,
    }
}

/// RSASSA-PSS-params (RFC 4055) `{ [0] hashAlgorithm, [1] maskGenAlgorithm, [2] saltLength, [3] trailerField }`:
/// the salt length when the hash is SHA-384 (AMD's ARK/ASK/VCEK and CRLs: salt 48); None for any other hash.
fn pss_sha384_salt(alg: &x509_cert::spki::AlgorithmIdentifierOwned) -> Option<usize> {
    let der = alg.parameters.as_ref()?.to_der().ok()?;
    let mut reader = der::SliceReader::new(&der).ok()?;
    let outer = der::Header::decode(&mut reader).ok()?;
    if outer.tag() != der::Tag::Sequence {
        return None;
    }
    let sha384 = der::asn1::ObjectIdentifier::new_unwrap(SHA384_OID);
    let (mut hash_is_sha384, mut salt) = (false, 20usize);
    while !reader.is_finished() {
        let header = der::Header::decode(&mut reader).ok()?;
        let body = reader.read_slice(header.length()).ok()?;
        let tag = header.tag();
        match if tag.is_context_specific() { Some(tag.number().0) } else { None } {
            Some(0) => {
                let id = x509_cert::spki::AlgorithmIdentifierOwned::from_der(body).ok()?;
                hash_is_sha384 = id.oid == sha384;
            }
            Some(2) => {
                let value = u32::from_der(body).ok()?;
                salt = usize::try_from(value).ok()?;
            }
            _ => {}
        }
    }
    hash_is_sha384.then_some(salt)
}

/// ECDSA with a DER signature over a precomputed digest, with the key of `signer` (P-256 or P-384).
pub fn ecdsa_verify_der(signer: &Cert, digest: &[u8], signature_der: &[u8]) -> bool {
    use p256::ecdsa::signature::hazmat::PrehashVerifier;
    let key = signer.public_key_bytes();
    match signer.key_kind() {
        Some(KeyKind::P256) => {
            let (Ok(vk), Ok(sig)) = (p256::ecdsa::VerifyingKey::from_sec1_bytes(key), p256::ecdsa::Signature::from_der(signature_der)) else {
                return false;
            };
            vk.verify_prehash(digest, &sig).is_ok()
        }
        Some(KeyKind::P384) => {
            let (Ok(vk), Ok(sig)) = (p384::ecdsa::VerifyingKey::from_sec1_bytes(key), p384::ecdsa::Signature::from_der(signature_der)) else {
                return false;
            };
            vk.verify_prehash(digest, &sig).is_ok()
        }
        _ => false,
    }
}

/// ECDSA P-384 over `message` hashed with SHA-384, signature as raw r‖s (COSE ES384, SPDM, SNP after reorder).
pub fn p384_verify_raw(sec1_key: &[u8], message_digest: &[u8], r_s: &[u8]) -> bool {
    use p384::ecdsa::signature::hazmat::PrehashVerifier;
    let (Ok(vk), Ok(sig)) = (p384::ecdsa::VerifyingKey::from_sec1_bytes(sec1_key), p384::ecdsa::Signature::from_slice(r_s)) else {
        return false;
    };
    vk.verify_prehash(message_digest, &sig).is_ok()
}

/// ECDSA P-256 over a SHA-256 digest, raw r‖s (DCAP quote and QE report signatures).
pub fn p256_verify_raw(sec1_key: &[u8], message_digest: &[u8], r_s: &[u8]) -> bool {
    use p256::ecdsa::signature::hazmat::PrehashVerifier;
    let (Ok(vk), Ok(sig)) = (p256::ecdsa::VerifyingKey::from_sec1_bytes(sec1_key), p256::ecdsa::Signature::from_slice(r_s)) else {
        return false;
    };
    vk.verify_prehash(message_digest, &sig).is_ok()
}

fn rsa_pss_sha384_verify(signer: &Cert, message: &[u8], signature: &[u8], salt: usize) -> bool {
    use rsa::pkcs1::DecodeRsaPublicKey;
    use rsa::signature::Verifier;
    if signer.key_kind() != Some(KeyKind::Rsa) {
        return false;
    }
    #[allow(deprecated)]
    let Ok(key) = rsa::RsaPublicKey::from_pkcs1_der(signer.public_key_bytes()) else { return false };
    let verifier = rsa::pss::VerifyingKey::<Sha384>::new_with_salt_len(key, salt);
    let Ok(sig) = rsa::pss::Signature::try_from(signature) else { return false };
    verifier.verify(message, &sig).is_ok()
}

/// A verified chain: the certificates leaf first, root last, and the root's DER sha256.
pub struct VerifiedChain {
    pub chain: Vec<Cert>,
    pub root_sha256: [u8; 32],
    pub root_name: &'static str,
}

/// Links `chain` (leaf first) by name and signature up to a self-signed root, appending the matching one of
/// `extra_roots` when the chain stops below its root; the root must be pinned; every certificate must be
/// valid at `at` (seconds). Mirrors TypeScript's `verifyCertificateChain`.
pub fn verify_chain(mut chain: Vec<Cert>, extra_roots: Vec<Cert>, pins: &[PinnedRoot], at: u64, what: &str) -> Result<VerifiedChain> {
    ensure!(!chain.is_empty(), CERT_CHAIN_INVALID, "The {what} is empty");
    let last = chain.last().expect("non-empty");
    if !last.self_signed() {
        let found = extra_roots.into_iter().find(|root| last.named_by(root) && last.signed_by(root));
        match found {
            Some(root) => chain.push(root),
            None => bail!(CERT_CHAIN_INVALID, "The {what} does not end at a root certificate"),
        }
    }
    for index in 0..chain.len() - 1 {
        let (child, parent) = (&chain[index], &chain[index + 1]);
        ensure!(child.named_by(parent), CERT_CHAIN_INVALID, "In the {what}, certificate {index} was not issued by certificate {}", index + 1);
        ensure!(parent.is_ca(), CERT_CHAIN_INVALID, "In the {what}, certificate {} is not a CA but issues certificate {index}", index + 1);
        ensure!(child.signed_by(parent), SIGNATURE_INVALID, "In the {what}, the signature on certificate {index} does not verify");
    }
    let root = chain.last().expect("non-empty");
    ensure!(root.self_signed(), CERT_CHAIN_INVALID, "The {what} root is not self-signed");
    let root_sha256 = root.sha256();
    let Some(pin) = pins.iter().find(|pin| pin.sha256 == root_sha256) else {
        bail!(ROOT_NOT_TRUSTED, "The {what} ends at a root that is not pinned (sha256 {})", hex::encode(root_sha256));
    };
    for (index, cert) in chain.iter().enumerate() {
        ensure!(
            cert.valid_at(at),
            CERT_EXPIRED,
            "{what} certificate {index} is not valid at {at} (valid {}..{})",
            cert.not_before(),
            cert.not_after()
        );
    }
    Ok(VerifiedChain { chain, root_sha256, root_name: pin.name })
}

/// Parses each DER in `ders` as a certificate named `what[i]`.
pub fn parse_all(ders: &[Vec<u8>], what: &str) -> Result<Vec<Cert>> {
    ders.iter().enumerate().map(|(i, der)| Cert::parse(der, &alloc::format!("{what}[{i}]"))).collect()
}

/// A 32-byte hex fingerprint, for pin tables.
pub const fn hex32(s: &str) -> [u8; 32] {
    let b = s.as_bytes();
    let mut out = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        out[i] = (nibble(b[2 * i]) << 4) | nibble(b[2 * i + 1]);
        i += 1;
    }
    out
}

const fn nibble(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        b'A'..=b'F' => c - b'A' + 10,
        _ => panic!("not hex"),
    }
}
