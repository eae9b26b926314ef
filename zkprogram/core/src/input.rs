//! What the guest reads (and the host builds from files): one serde value, so the SP1 guest takes it with
//! `sp1_zkvm::io::read()` and the native host passes the same value to [`crate::run`].
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Mode {
    /// Journal = `abi.encode(Claims)`.
    Attest,
    /// Journal = `abi.encode(Claims, Receipt, bytes32 domainSeparator, ReceiptBinding)`, after checking the
    /// receipt against the evidence.
    Receipt,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Evidence {
    /// COSE_Sign1 attestation document bytes.
    Nitro { document: Vec<u8> },
    /// Report (raw, Azure HCL or Azure JSON), DER certificates (VCEK/VLEK, ASK/ASVK, ARK) in any order, and DER
    /// CRLs (AMD KDS: the ARK's list of revoked ASKs/ASVKs), applied when their issuer is in the chain. Without one
    /// that applies the claims say tcbStatus UNKNOWN (254), which an on-chain policy must accept explicitly.
    SevSnp {
        evidence: Vec<u8>,
        certificates: Vec<Vec<u8>>,
        #[serde(default)]
        crls: Vec<Vec<u8>>,
    },
    /// Quote and optional collateral; `tdx` says which TEE the caller asked for.
    Dcap { quote: Vec<u8>, collateral: Option<dcap_qvl::QuoteCollateralV3>, tdx: bool },
    /// SPDM GET_MEASUREMENTS request ‖ response, the device chain (DER, leaf first), and the nonce the
    /// caller expects (checked when given).
    Nvidia { report: Vec<u8>, certificates: Vec<Vec<u8>>, expected_nonce: Option<[u8; 32]> },
}

/// The EIP-712 `Receipt` fields as plain bytes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptFields {
    pub program_id: [u8; 32],
    pub input_digest: [u8; 32],
    pub output_digest: [u8; 32],
    pub proof_digest: [u8; 32],
    pub issued_at: u64,
    pub nonce: [u8; 32],
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ReceiptInput {
    pub receipt: ReceiptFields,
    /// 65-byte r ‖ s ‖ v (v 27/28 or 0/1) over the EIP-712 digest.
    pub signature: Vec<u8>,
    pub witness: Vec<u8>,
    pub output: Vec<u8>,
    /// DESIGN §3 binding inputs: reportData must equal keccak256(abi.encode("teezk/v1", enclaveAddress,
    /// keccak256(hpkePublicKey), bindingNonce)).
    pub enclave_address: [u8; 20],
    pub hpke_public_key: Vec<u8>,
    pub binding_nonce: [u8; 32],
    /// EIP-712 domain of the ReceiptVerifier contract.
    pub chain_id: u64,
    pub verifying_contract: [u8; 20],
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ProgramInput {
    pub mode: Mode,
    pub evidence: Evidence,
    /// Verification time, milliseconds since the epoch (Nitro compares at millisecond precision).
    pub now_ms: u64,
    pub receipt: Option<ReceiptInput>,
    /// SHA-256 fingerprints of root certificates to accept besides the vendor pins (TypeScript's
    /// `extraTrustedRoots`: dev roots of simulated TEEs). Safe to leave to the prover: the root that anchored the
    /// chain is committed as `Claims.rootHash`, and the contracts accept only the root hashes governance allowed
    /// per TEE type (MeasurementRegistry.setRootHashAllowed).
    #[serde(default)]
    pub extra_trusted_roots: Vec<[u8; 32]>,
}
