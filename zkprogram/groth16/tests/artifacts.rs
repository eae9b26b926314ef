//! The readers against the committed membership artifacts, and what they refuse. Proving end to end needs a
//! witness from circom's wasm, so the differential suite (test/prover/nativeGroth16Differential.test.ts) covers it.

use ark_bn254::{Fq, Fq2, Fr, G2Affine};
use ark_ec::AffineRepr;
use ark_ff::{Field, PrimeField};
use serde_json::{json, Value};
use std::path::PathBuf;
use teezk_groth16::proof::{parse_proof, parse_verification_key};
use teezk_groth16::serve::Keys;
use teezk_groth16::zkey::{read_wtns, read_zkey};

fn membership(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../circuits/build/membership").join(file)
}

fn verification_key_json() -> Value {
    serde_json::from_str(&std::fs::read_to_string(membership("verification_key.json")).unwrap()).unwrap()
}

#[test]
fn the_zkey_holds_the_same_verification_key_as_verification_key_json() {
    let zkey = read_zkey(&std::fs::read(membership("membership_final.zkey")).unwrap()).unwrap();
    let from_json = parse_verification_key(&verification_key_json()).unwrap();
    assert_eq!(zkey.n_public, 4);
    assert_eq!(zkey.proving_key.vk, from_json.vk);
    assert_eq!(zkey.matrices.a.len(), zkey.proving_key.h_query.len());
}

#[test]
fn a_truncated_or_corrupted_zkey_is_refused_without_panicking() {
    let bytes = std::fs::read(membership("membership_final.zkey")).unwrap();
    for cut in [0, 3, 11, 12, 40, 100, 1_000, 10_000, 100_000, bytes.len() / 2, bytes.len() - 1] {
        assert!(read_zkey(&bytes[..cut]).is_err(), "cut at {cut}");
    }
    let mut wrong_magic = bytes.clone();
    wrong_magic[0] = b'Z';
    assert!(read_zkey(&wrong_magic).is_err());
    // A section claiming more bytes than the file holds.
    let mut huge_section = bytes.clone();
    huge_section[16..24].copy_from_slice(&u64::MAX.to_le_bytes());
    assert!(read_zkey(&huge_section).is_err());
}

/// A `.wtns` as snarkjs writes it: header section (n8, prime, count), then the values.
fn wtns(values: &[[u8; 32]], declared: u32) -> Vec<u8> {
    let mut header = 32u32.to_le_bytes().to_vec();
    header.extend_from_slice(&ark_ff::BigInteger::to_bytes_le(&Fr::MODULUS));
    header.extend_from_slice(&declared.to_le_bytes());
    let body: Vec<u8> = values.concat();
    let mut out = b"wtns".to_vec();
    out.extend_from_slice(&2u32.to_le_bytes());
    out.extend_from_slice(&2u32.to_le_bytes());
    for (kind, section) in [(1u32, header), (2, body)] {
        out.extend_from_slice(&kind.to_le_bytes());
        out.extend_from_slice(&(section.len() as u64).to_le_bytes());
        out.extend_from_slice(&section);
    }
    out
}

fn le(x: u64) -> [u8; 32] {
    let mut out = [0u8; 32];
    out[..8].copy_from_slice(&x.to_le_bytes());
    out
}

#[test]
fn a_witness_is_read_in_canonical_form_and_out_of_field_values_are_refused() {
    assert_eq!(read_wtns(&wtns(&[le(1), le(7)], 2)).unwrap(), vec![Fr::from(1u64), Fr::from(7u64)]);
    let modulus: [u8; 32] = ark_ff::BigInteger::to_bytes_le(&Fr::MODULUS).try_into().unwrap();
    assert!(read_wtns(&wtns(&[le(1), modulus], 2)).is_err());
    assert!(read_wtns(&wtns(&[le(1), le(7)], 3)).is_err(), "count larger than the section");
    assert!(read_wtns(&wtns(&[le(1), le(7)], u32::MAX)).is_err());
}

/// A point on the G2 twist outside the prime-order subgroup (the twist's cofactor is large, so the first
/// on-curve x found is almost surely such a point; the assertion checks it).
fn g2_outside_subgroup() -> G2Affine {
    for i in 1u64.. {
        if let Some(point) = G2Affine::get_point_from_x_unchecked(Fq2::new(Fq::from(i), Fq::ONE), false) {
            assert!(point.is_on_curve());
            if !point.is_in_correct_subgroup_assuming_on_curve() {
                return point;
            }
        }
    }
    unreachable!()
}

fn g2_json(point: G2Affine) -> Value {
    let d = |x: Fq| Value::String(x.into_bigint().to_string());
    json!([[d(point.x.c0), d(point.x.c1)], [d(point.y.c0), d(point.y.c1)], ["1", "0"]])
}

#[test]
fn a_proof_with_a_small_subgroup_b_or_an_off_curve_a_is_false_not_accepted() {
    let generator = json!(["1", "2", "1"]);
    let b_generator = g2_json(G2Affine::generator());
    let valid_shape = json!({ "pi_a": generator, "pi_b": b_generator, "pi_c": generator });
    assert!(parse_proof(&valid_shape).unwrap().is_some());
    let outside = json!({ "pi_a": generator, "pi_b": g2_json(g2_outside_subgroup()), "pi_c": generator });
    assert!(parse_proof(&outside).unwrap().is_none());
    let off_curve = json!({ "pi_a": ["1", "3", "1"], "pi_b": b_generator, "pi_c": generator });
    assert!(parse_proof(&off_curve).unwrap().is_none());
}

#[test]
fn non_canonical_or_projective_coordinates_are_errors() {
    let b = g2_json(G2Affine::generator());
    for pi_a in [json!(["01", "2", "1"]), json!(["0x1", "2", "1"]), json!(["-1", "2", "1"]), json!(["1", "2", "2"]), json!(["1", "2"])] {
        assert!(parse_proof(&json!({ "pi_a": pi_a, "pi_b": b, "pi_c": ["1", "2", "1"] })).is_err(), "{pi_a}");
    }
    let p = Fq::MODULUS.to_string();
    assert!(parse_proof(&json!({ "pi_a": [p, "2", "1"], "pi_b": b, "pi_c": ["1", "2", "1"] })).is_err());
}

#[test]
fn the_request_loop_answers_bad_requests_with_errors_and_keeps_serving() {
    let mut keys = Keys::default();
    assert!(keys.handle("not json")["error"].is_string());
    assert!(keys.handle(r#"{"id":1,"op":"launch"}"#)["error"].is_string());
    let truncated = keys.handle(r#"{"id":2,"op":"prove","zkey":"/nonexistent","wtns":"77746e73"}"#);
    assert_eq!(truncated["id"], 2);
    assert!(truncated["error"].is_string());
    let vk = membership("verification_key.json");
    let generator = json!(["1", "2", "1"]);
    let request = json!({
        "id": 3, "op": "verify", "verificationKey": vk,
        "proof": { "pi_a": generator, "pi_b": g2_json(G2Affine::generator()), "pi_c": generator },
        "publicSignals": ["1", "2", "3", "4"],
    });
    assert_eq!(keys.handle(&request.to_string()), json!({ "id": 3, "valid": false }));
    let mut wrong_count = request.clone();
    wrong_count["publicSignals"] = json!(["1"]);
    assert!(keys.handle(&wrong_count.to_string())["error"].is_string());
}
