//! Proving and verifying, and the snarkjs JSON forms of proofs, verification keys and public signals.

use crate::reduction::SnarkjsReduction;
use crate::zkey::Zkey;
use ark_bn254::{Bn254, Fq, Fq2, Fr, G1Affine, G2Affine};
use ark_ec::AffineRepr;
use ark_ff::{BigInteger256, PrimeField, UniformRand};
use ark_groth16::{prepare_verifying_key, Groth16, PreparedVerifyingKey, Proof, VerifyingKey};
use num_bigint::BigUint;
use serde_json::{json, Value};

/// Proves with fresh randomness; returns the proof and the public signals (witness[1..=nPublic]).
pub fn prove(zkey: &Zkey, witness: &[Fr]) -> Result<(Proof<Bn254>, Vec<Fr>), String> {
    if witness.len() != zkey.n_vars {
        return Err(format!("the witness has {} values, the zkey expects {}", witness.len(), zkey.n_vars));
    }
    let mut rng = rand::thread_rng();
    let (r, s) = (Fr::rand(&mut rng), Fr::rand(&mut rng));
    let matrices = &zkey.matrices;
    let proof = Groth16::<Bn254, SnarkjsReduction>::create_proof_with_reduction_and_matrices(
        &zkey.proving_key,
        r,
        s,
        matrices,
        matrices.num_instance_variables,
        matrices.num_constraints,
        witness,
    )
    .map_err(|e| format!("proving failed: {e}"))?;
    Ok((proof, witness[1..=zkey.n_public].to_vec()))
}

pub fn verify(key: &PreparedVerifyingKey<Bn254>, proof: &Proof<Bn254>, public: &[Fr]) -> Result<bool, String> {
    if public.len() + 1 != key.vk.gamma_abc_g1.len() {
        return Err(format!("{} public signals, the key expects {}", public.len(), key.vk.gamma_abc_g1.len() - 1));
    }
    Groth16::<Bn254>::verify_proof(key, proof, public).map_err(|e| e.to_string())
}

fn decimal(value: impl Into<BigUint>) -> Value {
    Value::String(value.into().to_string())
}

fn fq_json(x: Fq) -> Value {
    decimal(x.into_bigint())
}

pub fn fr_json(x: &Fr) -> Value {
    decimal(x.into_bigint())
}

/// A proof as snarkjs writes it (projective coordinates with z = 1).
pub fn proof_json(proof: &Proof<Bn254>) -> Value {
    let g1 = |p: G1Affine| json!([fq_json(p.x), fq_json(p.y), "1"]);
    let b = proof.b;
    json!({
        "pi_a": g1(proof.a),
        "pi_b": [[fq_json(b.x.c0), fq_json(b.x.c1)], [fq_json(b.y.c0), fq_json(b.y.c1)], ["1", "0"]],
        "pi_c": g1(proof.c),
        "protocol": "groth16",
        "curve": "bn128",
    })
}

/// A canonical decimal below `modulus`; anything else (hex, sign, leading zeros, out of range) is refused.
fn parse_below(value: &Value, modulus: BigInteger256) -> Result<BigInteger256, String> {
    let text = value.as_str().ok_or("expected a decimal string")?;
    let canonical = !text.is_empty() && text.len() <= 78 && text.bytes().all(|c| c.is_ascii_digit()) && (text == "0" || !text.starts_with('0'));
    if !canonical {
        return Err(format!("not a canonical decimal: {}", text.chars().take(80).collect::<String>()));
    }
    let parsed: BigUint = text.parse().map_err(|_| "not a decimal")?;
    let limbs = BigInteger256::try_from(parsed).map_err(|_| "value exceeds 256 bits")?;
    if limbs >= modulus {
        return Err("value is not below the field modulus".into());
    }
    Ok(limbs)
}

fn fq(value: &Value) -> Result<Fq, String> {
    Ok(Fq::from_bigint(parse_below(value, Fq::MODULUS)?).unwrap())
}

pub fn fr(value: &Value) -> Result<Fr, String> {
    Ok(Fr::from_bigint(parse_below(value, Fr::MODULUS)?).unwrap())
}

fn items(value: &Value, n: usize) -> Result<&Vec<Value>, String> {
    match value.as_array() {
        Some(items) if items.len() == n => Ok(items),
        _ => Err(format!("expected an array of {n}")),
    }
}

/// A G1 point in snarkjs' projective JSON (z = 1 only); None when it is not on the curve.
fn g1(value: &Value) -> Result<Option<G1Affine>, String> {
    let v = items(value, 3)?;
    if v[2] != "1" {
        return Err("G1 point is not affine (z ≠ 1)".into());
    }
    let point = G1Affine::new_unchecked(fq(&v[0])?, fq(&v[1])?);
    Ok(point.is_on_curve().then_some(point))
}

/// A G2 point in snarkjs' projective JSON (z = 1 only); None when it is not on the curve or not in the
/// prime-order subgroup (the twist has a large cofactor, so on-curve alone would admit small-order points).
fn g2(value: &Value) -> Result<Option<G2Affine>, String> {
    let v = items(value, 3)?;
    let pair = |value: &Value| -> Result<Fq2, String> {
        let c = items(value, 2)?;
        Ok(Fq2::new(fq(&c[0])?, fq(&c[1])?))
    };
    if v[2] != json!(["1", "0"]) {
        return Err("G2 point is not affine (z ≠ 1)".into());
    }
    let point = G2Affine::new_unchecked(pair(&v[0])?, pair(&v[1])?);
    Ok((point.is_on_curve() && point.is_in_correct_subgroup_assuming_on_curve()).then_some(point))
}

fn on_curve<T>(point: Option<T>, what: &str) -> Result<T, String> {
    point.ok_or_else(|| format!("{what} is not a valid curve point"))
}

/// A proof, or None when a point is off the curve or outside the subgroup: such a proof is well-formed but
/// false, as snarkjs and the on-chain verifier (whose precompile call fails) answer. Bad JSON is an error.
pub fn parse_proof(value: &Value) -> Result<Option<Proof<Bn254>>, String> {
    let (a, b, c) = (g1(&value["pi_a"])?, g2(&value["pi_b"])?, g1(&value["pi_c"])?);
    Ok(a.zip(b).zip(c).map(|((a, b), c)| Proof { a, b, c }))
}

/// A snarkjs `verification_key.json` (Groth16, BN254), prepared for pairing.
pub fn parse_verification_key(value: &Value) -> Result<PreparedVerifyingKey<Bn254>, String> {
    if value["protocol"] != "groth16" || value["curve"] != "bn128" {
        return Err("not a BN254 Groth16 verification key".into());
    }
    let ic = value["IC"].as_array().ok_or("IC missing")?;
    let vk = VerifyingKey {
        alpha_g1: on_curve(g1(&value["vk_alpha_1"])?, "vk_alpha_1")?,
        beta_g2: on_curve(g2(&value["vk_beta_2"])?, "vk_beta_2")?,
        gamma_g2: on_curve(g2(&value["vk_gamma_2"])?, "vk_gamma_2")?,
        delta_g2: on_curve(g2(&value["vk_delta_2"])?, "vk_delta_2")?,
        gamma_abc_g1: ic.iter().map(|p| on_curve(g1(p)?, "IC")).collect::<Result<_, _>>()?,
    };
    if AffineRepr::is_zero(&vk.alpha_g1) || vk.gamma_abc_g1.is_empty() {
        return Err("degenerate verification key".into());
    }
    Ok(prepare_verifying_key(&vk))
}
