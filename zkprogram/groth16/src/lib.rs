//! A native Groth16 prover and verifier over snarkjs' BN254 artifacts (`.zkey`, `.wtns`,
//! `verification_key.json`), on arkworks. The teezk TypeScript backend drives it through `serve`.

pub mod proof;
pub mod reduction;
pub mod serve;
pub mod zkey;
