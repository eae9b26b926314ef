//! Rejections carry the stable codes of TypeScript's `src/errors/codes.ts`, so a caller handles Rust and
//! TypeScript verdicts alike.
use alloc::string::String;
use core::fmt;

macro_rules! codes {
    ($($name:ident),* $(,)?) => {
        /// The subset of `src/errors/codes.ts` this crate raises; the string form is the TypeScript code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[allow(non_camel_case_types)]
        pub enum ErrorCode { $($name),* }
        impl ErrorCode {
            pub const fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$name => stringify!($name)),* }
            }
        }
    };
}

codes!(
    INPUT_TOO_LARGE,
    INPUT_EMPTY,
    INPUT_ENCODING,
    UNKNOWN_EVIDENCE_TYPE,
    TRUNCATED,
    TRAILING_DATA,
    MALFORMED,
    UNSUPPORTED_VERSION,
    CERT_PARSE,
    CERT_CHAIN_INVALID,
    CERT_EXPIRED,
    CERT_REVOKED,
    ROOT_NOT_TRUSTED,
    SIGNATURE_INVALID,
    UNSUPPORTED_ALGORITHM,
    COLLATERAL_MISSING,
    COLLATERAL_INVALID,
    COLLATERAL_EXPIRED,
    COLLATERAL_MISMATCH,
    CRL_INVALID,
    COSE_INVALID,
    NITRO_DOCUMENT_INVALID,
    QUOTE_INVALID,
    QE_REPORT_INVALID,
    QE_IDENTITY_MISMATCH,
    TCB_NOT_FOUND,
    TCB_REVOKED,
    TDX_MODULE_MISMATCH,
    SNP_REPORT_INVALID,
    SNP_TCB_MISMATCH,
    SPDM_INVALID,
    GPU_NONCE_MISMATCH,
    GPU_FWID_MISMATCH,
    GPU_EVIDENCE_SET_INVALID,
    GPU_NOT_AN_ENCLAVE,
    EVIDENCE_FROM_FUTURE,
    RECEIPT_MISMATCH,
    PROVER_FAILED,
    SP1_UNAVAILABLE,
    BINDING_MISMATCH,
    CONFIG_INVALID,
    INTERNAL,
);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub code: ErrorCode,
    pub message: String,
}

pub type Result<T> = core::result::Result<T, Error>;

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error { code, message: message.into() }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

#[cfg(feature = "std")]
impl std::error::Error for Error {}

/// `bail!(CODE, "format", args…)`: return early with a typed error.
#[macro_export]
macro_rules! bail {
    ($code:ident, $($arg:tt)*) => {
        return Err($crate::error::Error::new($crate::error::ErrorCode::$code, alloc::format!($($arg)*)))
    };
}

/// `ensure!(cond, CODE, "format", args…)`.
#[macro_export]
macro_rules! ensure {
    ($cond:expr, $code:ident, $($arg:tt)*) => {
        if !$cond { $crate::bail!($code, $($arg)*); }
    };
}
