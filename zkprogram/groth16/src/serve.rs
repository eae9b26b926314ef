//! The request loop: one JSON object per line on stdin, one reply per line on stdout, in order.
//!
//! `{"id", "op": "prove", "zkey": path, "wtns": hex}` → `{"id", "proof", "publicSignals", "proveMs", "peakRssMiB"}`
//! `{"id", "op": "verify", "verificationKey": path, "proof", "publicSignals"}` → `{"id", "valid"}`
//! Any failure → `{"id", "error"}`. Parsed keys are kept by path, so later requests are warm.

use crate::proof::{fr, fr_json, parse_proof, parse_verification_key, proof_json, prove, verify};
use crate::zkey::{read_wtns, read_zkey, Zkey};
use ark_bn254::Bn254;
use ark_groth16::PreparedVerifyingKey;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::time::Instant;

#[derive(Default)]
pub struct Keys {
    zkeys: HashMap<String, Zkey>,
    verification_keys: HashMap<String, PreparedVerifyingKey<Bn254>>,
}

/// The process's resident-set high-water mark (Linux `VmHWM`), in MiB; absent elsewhere.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn string_field<'a>(request: &'a Value, name: &str) -> Result<&'a str, String> {
    request[name].as_str().ok_or_else(|| format!("`{name}` missing"))
}

impl Keys {
    fn zkey(&mut self, path: &str) -> Result<&Zkey, String> {
        if !self.zkeys.contains_key(path) {
            let bytes = std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))?;
            self.zkeys.insert(path.to_string(), read_zkey(&bytes).map_err(|e| format!("{path}: {e}"))?);
        }
        Ok(&self.zkeys[path])
    }

    fn verification_key(&mut self, path: &str) -> Result<&PreparedVerifyingKey<Bn254>, String> {
        if !self.verification_keys.contains_key(path) {
            let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
            let value: Value = serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
            self.verification_keys.insert(path.to_string(), parse_verification_key(&value).map_err(|e| format!("{path}: {e}"))?);
        }
        Ok(&self.verification_keys[path])
    }

    fn prove(&mut self, request: &Value) -> Result<Value, String> {
        let started = Instant::now();
        let witness_hex = string_field(request, "wtns")?;
        let witness = read_wtns(&hex::decode(witness_hex).map_err(|e| format!("wtns: {e}"))?)?;
        let zkey = self.zkey(string_field(request, "zkey")?)?;
        let (proof, public) = prove(zkey, &witness)?;
        Ok(json!({
            "proof": proof_json(&proof),
            "publicSignals": public.iter().map(fr_json).collect::<Vec<_>>(),
            "proveMs": started.elapsed().as_secs_f64() * 1000.0,
            "peakRssMiB": peak_rss_mib(),
        }))
    }

    fn verify(&mut self, request: &Value) -> Result<Value, String> {
        let proof = parse_proof(&request["proof"])?;
        let public = request["publicSignals"].as_array().ok_or("`publicSignals` missing")?.iter().map(fr).collect::<Result<Vec<_>, _>>()?;
        let key = self.verification_key(string_field(request, "verificationKey")?)?;
        let valid = match proof {
            Some(proof) => verify(key, &proof, &public)?,
            None => false,
        };
        Ok(json!({ "valid": valid }))
    }

    pub fn handle(&mut self, line: &str) -> Value {
        let request: Value = match serde_json::from_str(line) {
            Ok(request) => request,
            Err(e) => return json!({ "id": null, "error": format!("not JSON: {e}") }),
        };
        let outcome = match request["op"].as_str() {
            Some("prove") => self.prove(&request),
            Some("verify") => self.verify(&request),
            _ => Err("`op` must be prove or verify".to_string()),
        };
        let mut reply = outcome.unwrap_or_else(|error| json!({ "error": error }));
        reply["id"] = request["id"].clone();
        reply
    }
}

/// Serves requests until stdin closes (the parent exiting closes it, so this process never outlives it).
pub fn serve(input: impl BufRead, mut output: impl Write) -> std::io::Result<()> {
    let mut keys = Keys::default();
    for line in input.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let reply = keys.handle(&line);
        writeln!(output, "{reply}")?;
        output.flush()?;
    }
    Ok(())
}
