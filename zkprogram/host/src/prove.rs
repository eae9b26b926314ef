//! `prove --groth16`, `vkey` and `verify --groth16`: the SP1 half of the CLI protocol. The subcommands exist in
//! every build so a caller always gets a typed answer; without the `sp1` feature each one fails with
//! `SP1_UNAVAILABLE` and says how to rebuild. With it they run the SP1 SDK (not exercised on machines without
//! the SP1 toolchain; see zkprogram/README.md).
use std::path::{Path, PathBuf};
use teezk_zk_core::{Error, ErrorCode, ProgramInput};

/// Where `cargo prove build` in zkprogram/program leaves the guest ELF, relative to zkprogram/.
pub const ELF_FROM_WORKSPACE: &str = "program/target/elf-compilation/riscv32im-succinct-zkvm-elf/release/teezk-zk-program";

/// The guest ELF: `--elf`, else `TEEZK_ZK_ELF`, else next to this binary's workspace (target/release/../../program/…),
/// so callers in any working directory (the TypeScript backend runs from the repository root) find it.
pub fn resolve_elf(explicit: Option<&Path>) -> PathBuf {
    if let Some(path) = explicit {
        return path.to_path_buf();
    }
    if let Some(path) = std::env::var_os("TEEZK_ZK_ELF") {
        return PathBuf::from(path);
    }
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().and_then(Path::parent).and_then(Path::parent).map(|ws| ws.join(ELF_FROM_WORKSPACE)))
        .unwrap_or_else(|| PathBuf::from(ELF_FROM_WORKSPACE))
}

#[cfg_attr(not(feature = "sp1"), allow(dead_code))]
/// What `prove` prints (last stdout line) and writes to `--out`: the three arguments of
/// `ISP1Verifier.verifyProof(programVKey, publicValues, proof)`, as 0x-hex.
pub fn proof_json(program_vkey: &str, public_values: &[u8], proof: &[u8]) -> serde_json::Value {
    serde_json::json!({
        "programVKey": program_vkey,
        "publicValues": format!("0x{}", hex::encode(public_values)),
        "proof": format!("0x{}", hex::encode(proof)),
    })
}

pub fn parse_hex(text: &str, what: &str) -> Result<Vec<u8>, Error> {
    let body = text.trim().strip_prefix("0x").unwrap_or(text.trim());
    hex::decode(body).map_err(|_| Error::new(ErrorCode::CONFIG_INVALID, format!("{what} is not 0x-hex")))
}

#[cfg_attr(not(feature = "sp1"), allow(dead_code))]
fn write_out(json: &serde_json::Value, out: Option<&Path>) -> Result<(), Error> {
    if let Some(path) = out {
        std::fs::write(path, json.to_string()).map_err(|e| Error::new(ErrorCode::CONFIG_INVALID, format!("{}: {e}", path.display())))?;
    }
    println!("{json}");
    Ok(())
}

#[cfg(not(feature = "sp1"))]
mod backend {
    use super::*;

    fn unavailable(what: &str) -> Error {
        Error::new(
            ErrorCode::SP1_UNAVAILABLE,
            format!(
                "teezk-zk was built without the `sp1` feature, so it cannot {what}. Install the SP1 toolchain \
                 (curl -L https://sp1up.succinct.xyz | bash && sp1up), build the guest (cd zkprogram/program && cargo prove build) \
                 and rebuild the host (cd zkprogram && cargo build --release -p teezk-zk-host --features sp1)"
            ),
        )
    }

    pub fn available(what: &str) -> Result<(), Error> {
        Err(unavailable(what))
    }

    pub fn prove(_input: &ProgramInput, _elf: &Path, _out: Option<&Path>) -> Result<(), Error> {
        Err(unavailable("prove"))
    }

    pub fn vkey(_elf: &Path) -> Result<(), Error> {
        Err(unavailable("compute the program verification key"))
    }

    pub fn verify(_proof: &[u8], _public_values: &[u8], _vkey: &str) -> Result<bool, Error> {
        Err(unavailable("verify SP1 Groth16 proofs"))
    }
}

#[cfg(feature = "sp1")]
mod backend {
    use super::*;
    use sp1_sdk::{HashableKey, Prover, ProverClient, SP1Stdin};

    pub fn available(_what: &str) -> Result<(), Error> {
        Ok(())
    }

    fn load_elf(path: &Path) -> Result<Vec<u8>, Error> {
        std::fs::read(path).map_err(|e| {
            Error::new(ErrorCode::SP1_UNAVAILABLE, format!("guest ELF {}: {e}; run `cargo prove build` in zkprogram/program (or pass --elf / set TEEZK_ZK_ELF)", path.display()))
        })
    }

    pub fn vkey(elf: &Path) -> Result<(), Error> {
        let elf = load_elf(elf)?;
        let client = ProverClient::builder().cpu().build();
        let (_, vk) = client.setup(&elf);
        println!("{}", vk.bytes32());
        Ok(())
    }

    pub fn prove(input: &ProgramInput, elf: &Path, out: Option<&Path>) -> Result<(), Error> {
        // Fail fast with the typed error before spending minutes proving evidence the guest would reject.
        teezk_zk_core::run(input)?;
        let elf = load_elf(elf)?;
        // SP1_PROVER=cpu|cuda|network|mock selects the prover (network needs NETWORK_PRIVATE_KEY).
        let client = ProverClient::from_env();
        let (pk, vk) = client.setup(&elf);
        let mut stdin = SP1Stdin::new();
        stdin.write(input);
        let proof = client
            .prove(&pk, &stdin)
            .groth16()
            .run()
            .map_err(|e| Error::new(ErrorCode::PROVER_FAILED, format!("SP1 proving failed: {e}")))?;
        client.verify(&proof, &vk).map_err(|e| Error::new(ErrorCode::PROVER_FAILED, format!("the SP1 proof does not verify: {e}")))?;
        write_out(&proof_json(&vk.bytes32(), proof.public_values.as_slice(), &proof.bytes()), out)
    }

    /// Checks the on-chain form of the proof (4-byte verifier selector ‖ Groth16 proof) exactly as the
    /// SP1VerifierGateway would, against SP1's pinned Groth16 verifying key.
    pub fn verify(proof: &[u8], public_values: &[u8], vkey: &str) -> Result<bool, Error> {
        Ok(sp1_verifier::Groth16Verifier::verify(proof, public_values, vkey, &sp1_verifier::GROTH16_VK_BYTES).is_ok())
    }
}

/// `prove --groth16`: Groth16 is the only SP1 wrapping the contracts here accept (Sp1*Verifier and the Groth16
/// SP1VerifierGateway), so the flag is required to make the choice explicit.
pub fn prove(input: &ProgramInput, groth16: bool, elf: &Path, out: Option<&Path>) -> Result<(), Error> {
    if !groth16 {
        return Err(Error::new(ErrorCode::CONFIG_INVALID, "only Groth16-wrapped proofs are verifiable on-chain; pass --groth16"));
    }
    backend::prove(input, elf, out)
}

/// `SP1_UNAVAILABLE` before any input is read when this build cannot prove.
pub fn available(what: &str) -> Result<(), Error> {
    backend::available(what)
}

pub fn vkey(elf: &Path) -> Result<(), Error> {
    backend::vkey(elf)
}

/// `verify --groth16`: prints `{"valid": bool}`; a proof that is well-formed hex but wrong is `false`, not an error.
pub fn verify(groth16: bool, proof: &str, public_values: &str, vkey: &str) -> Result<(), Error> {
    if !groth16 {
        return Err(Error::new(ErrorCode::CONFIG_INVALID, "only Groth16-wrapped proofs are supported; pass --groth16"));
    }
    let proof = parse_hex(proof, "--proof")?;
    let public_values = parse_hex(public_values, "--public-values")?;
    let key = parse_hex(vkey, "--vkey")?;
    if key.len() != 32 {
        return Err(Error::new(ErrorCode::CONFIG_INVALID, "--vkey must be the bytes32 program key printed by `teezk-zk vkey`"));
    }
    let valid = backend::verify(&proof, &public_values, &format!("0x{}", hex::encode(key)))?;
    println!("{}", serde_json::json!({ "valid": valid }));
    Ok(())
}
