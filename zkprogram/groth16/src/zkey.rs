//! Readers for snarkjs' binary artifacts: the Groth16 proving key (`.zkey`) and the witness (`.wtns`).
//!
//! Both are iden3 "binfile" containers: a 4-byte magic, a version, then `(type u32, size u64, bytes)` sections.
//! The layout follows snarkjs' `zkey_utils.js` and `wtns_utils.js`. ark-circom reads the same format but pulls in
//! wasmer unconditionally (see docs/decisions.md), so the few sections the prover needs are read here.

use ark_bn254::{Bn254, Fq, Fq2, Fr, G1Affine, G2Affine};
use ark_ff::{BigInteger256, PrimeField, Zero};
use ark_groth16::{ProvingKey, VerifyingKey};
use ark_relations::r1cs::ConstraintMatrices;
use ark_serialize::CanonicalDeserialize;
use std::collections::HashMap;

/// One sparse row of the A or B matrix: `(coefficient, signal index)` pairs.
pub type Row = Vec<(Fr, usize)>;

/// Everything the prover needs from a `.zkey`: the key, and A/B over the whole domain (the public-input
/// constraints snarkjs appends are already among the rows).
pub struct Zkey {
    pub proving_key: ProvingKey<Bn254>,
    pub n_public: usize,
    pub n_vars: usize,
    /// A and B over the whole domain (C is A·B row by row in snarkjs' scheme, so it stays empty).
    pub matrices: ConstraintMatrices<Fr>,
}

fn fail<T>(message: impl Into<String>) -> Result<T, String> {
    Err(message.into())
}

/// The sections of a binfile, by type; each type appears at most once in the files this reads.
fn sections<'a>(bytes: &'a [u8], magic: &[u8; 4]) -> Result<HashMap<u32, &'a [u8]>, String> {
    if bytes.len() < 12 || &bytes[..4] != magic {
        return fail(format!("not a {} file", String::from_utf8_lossy(magic)));
    }
    let count = u32::from_le_bytes(bytes[8..12].try_into().unwrap());
    let mut found = HashMap::new();
    let mut at = 12usize;
    for _ in 0..count {
        let header = bytes.get(at..at + 12).ok_or("truncated section header")?;
        let kind = u32::from_le_bytes(header[..4].try_into().unwrap());
        let size = usize::try_from(u64::from_le_bytes(header[4..12].try_into().unwrap())).map_err(|_| "section too large")?;
        let start = at + 12;
        let end = start.checked_add(size).ok_or("section size overflows")?;
        let body = bytes.get(start..end).ok_or("truncated section")?;
        if found.insert(kind, body).is_some() {
            return fail(format!("section {kind} appears twice"));
        }
        at = end;
    }
    Ok(found)
}

/// A little-endian cursor over one section that fails instead of reading past the end.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Cursor { bytes, at: 0 }
    }
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let out = self.bytes.get(self.at..self.at + n).ok_or("section ends early")?;
        self.at += n;
        Ok(out)
    }
    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().unwrap()))
    }
    fn bigint(&mut self) -> Result<BigInteger256, String> {
        BigInteger256::deserialize_uncompressed(self.take(32)?).map_err(|e| e.to_string())
    }
    /// A base-field element as snarkjs stores it: Montgomery form, which is arkworks' internal form too.
    fn fq(&mut self) -> Result<Fq, String> {
        let raw = self.bigint()?;
        if raw >= Fq::MODULUS {
            return fail("coordinate is not reduced");
        }
        Ok(Fq::new_unchecked(raw))
    }
    /// A coefficient: snarkjs stores `c·R²` (Montgomery of the Montgomery form), so one conversion out of
    /// Montgomery form yields the internal representation of `c`.
    fn coefficient(&mut self) -> Result<Fr, String> {
        let raw = self.bigint()?;
        if raw >= Fr::MODULUS {
            return fail("coefficient is not reduced");
        }
        let once = Fr::new_unchecked(raw).into_bigint();
        Ok(Fr::new_unchecked(once))
    }
    fn g1(&mut self) -> Result<G1Affine, String> {
        let (x, y) = (self.fq()?, self.fq()?);
        if x.is_zero() && y.is_zero() {
            return Ok(G1Affine::identity());
        }
        let point = G1Affine::new_unchecked(x, y);
        if !point.is_on_curve() {
            return fail("G1 point is not on the curve");
        }
        Ok(point)
    }
    fn g2(&mut self) -> Result<G2Affine, String> {
        let x = Fq2::new(self.fq()?, self.fq()?);
        let y = Fq2::new(self.fq()?, self.fq()?);
        if x.is_zero() && y.is_zero() {
            return Ok(G2Affine::identity());
        }
        let point = G2Affine::new_unchecked(x, y);
        // The zkey is a local, trusted artifact: an on-curve check catches corruption; the (costly) subgroup
        // check is kept for proofs, which come from outside (see proof.rs).
        if !point.is_on_curve() {
            return fail("G2 point is not on the curve");
        }
        Ok(point)
    }
    fn g1s(&mut self, n: usize) -> Result<Vec<G1Affine>, String> {
        (0..n).map(|_| self.g1()).collect()
    }
}

fn section<'a>(found: &HashMap<u32, &'a [u8]>, kind: u32) -> Result<Cursor<'a>, String> {
    found.get(&kind).map(|body| Cursor::new(body)).ok_or_else(|| format!("section {kind} missing"))
}

fn expect_prime(cursor: &mut Cursor, modulus: BigInteger256, what: &str) -> Result<(), String> {
    if cursor.u32()? != 32 || cursor.bigint()? != modulus {
        return fail(format!("{what} is not BN254's"));
    }
    Ok(())
}

/// Reads a snarkjs Groth16 `.zkey` over BN254.
pub fn read_zkey(bytes: &[u8]) -> Result<Zkey, String> {
    let found = sections(bytes, b"zkey")?;
    if section(&found, 1)?.u32()? != 1 {
        return fail("not a Groth16 zkey");
    }
    let mut header = section(&found, 2)?;
    expect_prime(&mut header, Fq::MODULUS, "base field")?;
    expect_prime(&mut header, Fr::MODULUS, "scalar field")?;
    let n_vars = header.u32()? as usize;
    let n_public = header.u32()? as usize;
    let domain_size = header.u32()? as usize;
    if !domain_size.is_power_of_two() || n_public >= n_vars {
        return fail("inconsistent zkey header");
    }
    let alpha_g1 = header.g1()?;
    let beta_g1 = header.g1()?;
    let beta_g2 = header.g2()?;
    let gamma_g2 = header.g2()?;
    let delta_g1 = header.g1()?;
    let delta_g2 = header.g2()?;

    let gamma_abc_g1 = section(&found, 3)?.g1s(n_public + 1)?;
    let (a_rows, b_rows) = read_coefficients(&mut section(&found, 4)?, n_vars, domain_size)?;
    let a_query = section(&found, 5)?.g1s(n_vars)?;
    let b_g1_query = section(&found, 6)?.g1s(n_vars)?;
    let mut b2 = section(&found, 7)?;
    let b_g2_query = (0..n_vars).map(|_| b2.g2()).collect::<Result<Vec<_>, _>>()?;
    let l_query = section(&found, 8)?.g1s(n_vars - n_public - 1)?;
    let h_query = section(&found, 9)?.g1s(domain_size)?;

    let vk = VerifyingKey { alpha_g1, beta_g2, gamma_g2, delta_g2, gamma_abc_g1 };
    let proving_key = ProvingKey { vk, beta_g1, delta_g1, a_query, b_g1_query, b_g2_query, h_query, l_query };
    let matrices = ConstraintMatrices {
        num_instance_variables: n_public + 1,
        num_witness_variables: n_vars - n_public - 1,
        num_constraints: domain_size,
        a_num_non_zero: a_rows.iter().map(Vec::len).sum(),
        b_num_non_zero: b_rows.iter().map(Vec::len).sum(),
        c_num_non_zero: 0,
        a: a_rows,
        b: b_rows,
        c: Vec::new(),
    };
    Ok(Zkey { proving_key, n_public, n_vars, matrices })
}

fn read_coefficients(cursor: &mut Cursor, n_vars: usize, domain_size: usize) -> Result<(Vec<Row>, Vec<Row>), String> {
    let count = cursor.u32()? as usize;
    // Each coefficient takes 44 bytes: refuse a count the section cannot hold before allocating for it.
    if count.checked_mul(44).is_none_or(|needed| needed > cursor.bytes.len()) {
        return fail("coefficient count exceeds the section");
    }
    let mut rows = [vec![Row::new(); domain_size], vec![Row::new(); domain_size]];
    for _ in 0..count {
        let matrix = cursor.u32()? as usize;
        let constraint = cursor.u32()? as usize;
        let signal = cursor.u32()? as usize;
        let value = cursor.coefficient()?;
        if matrix > 1 || constraint >= domain_size || signal >= n_vars {
            return fail("coefficient out of range");
        }
        rows[matrix][constraint].push((value, signal));
    }
    let [a, b] = rows;
    Ok((a, b))
}

/// Reads a `.wtns` witness over BN254's scalar field: values in canonical (not Montgomery) form.
pub fn read_wtns(bytes: &[u8]) -> Result<Vec<Fr>, String> {
    let found = sections(bytes, b"wtns")?;
    let mut header = section(&found, 1)?;
    expect_prime(&mut header, Fr::MODULUS, "witness field")?;
    let count = header.u32()? as usize;
    let mut values = section(&found, 2)?;
    if count.checked_mul(32) != Some(values.bytes.len()) {
        return fail("witness section size does not match its count");
    }
    (0..count)
        .map(|_| Fr::from_bigint(values.bigint()?).ok_or_else(|| "witness value is not reduced".to_string()))
        .collect()
}
