//! Proving with SP1 (feature `sp1`): not built or exercised on machines without the SP1 toolchain.
use std::path::Path;
use sp1_sdk::{HashableKey, ProverClient, SP1Stdin};
use teezk_zk_core::{Error, ErrorCode, ProgramInput};

/// Where `cargo prove build` in ../program leaves the guest ELF.
pub const DEFAULT_ELF: &str = "program/target/elf-compilation/riscv32im-succinct-zkvm-elf/release/teezk-zk-program";

fn sp1_error(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::PROVER_FAILED, message)
}

fn load_elf(path: &Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|e| Error::new(ErrorCode::SP1_UNAVAILABLE, format!("guest ELF {}: {e}; run `cargo prove build` in zkprogram/program", path.display())))
}

pub fn vkey(elf: &Path) -> Result<(), Error> {
    let elf = load_elf(elf)?;
    let client = ProverClient::from_env();
    let (_, vk) = client.setup(&elf);
    println!("{}", vk.bytes32());
    Ok(())
}

pub fn prove(input: &ProgramInput, groth16: bool, elf: &Path, out: Option<&Path>) -> Result<(), Error> {
    if !groth16 {
        return Err(Error::new(ErrorCode::CONFIG_INVALID, "only --groth16 proofs are verifiable on-chain; pass --groth16"));
    }
    // Fail fast with the typed error before spending minutes proving.
    teezk_zk_core::run(input)?;
    let elf = load_elf(elf)?;
    let client = ProverClient::from_env();
    let (pk, vk) = client.setup(&elf);
    let mut stdin = SP1Stdin::new();
    stdin.write(input);
    let proof = client.prove(&pk, &stdin).groth16().run().map_err(|e| sp1_error(format!("SP1 proving failed: {e}")))?;
    client.verify(&proof, &vk).map_err(|e| sp1_error(format!("the SP1 proof does not verify: {e}")))?;
    let json = serde_json::json!({
        "programVKey": vk.bytes32(),
        "publicValues": format!("0x{}", hex::encode(proof.public_values.as_slice())),
        "proof": format!("0x{}", hex::encode(proof.bytes())),
    });
    match out {
        Some(path) => std::fs::write(path, json.to_string()).map_err(|e| Error::new(ErrorCode::CONFIG_INVALID, format!("{}: {e}", path.display())))?,
        None => println!("{json}"),
    }
    Ok(())
}
