//! teezk evidence verification for the SP1 zkVM program and its native host.
//!
//! Verifies the evidence formats of the TypeScript `src/evidence/` (AWS Nitro documents, AMD SEV-SNP reports,
//! Intel TDX/SGX DCAP quotes, NVIDIA SPDM GPU reports) and produces the same DESIGN §2 [`Claims`], ABI-encoded
//! byte for byte like TypeScript's `encodeClaims`. `no_std` + `alloc` (the zkVM guest); feature `std` (default)
//! for the host. Every rejection is an [`Error`] with one of TypeScript's stable codes.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod claims;
pub mod crl;
pub mod dcap;
pub mod error;
pub mod hash;
pub mod input;
pub mod journal;
pub mod nitro;
pub mod nvidia;
pub mod pem;
pub mod receipt;
pub mod snp;
pub mod x509;

pub use claims::{Claims, Receipt, ReceiptBinding, TcbStatus, TeeType};
pub use error::{Error, ErrorCode, Result};
pub use input::{Evidence, Mode, ProgramInput, ReceiptInput};
pub use journal::{inspect_gpu_evidence, run};
