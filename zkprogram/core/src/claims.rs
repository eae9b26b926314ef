//! DESIGN §2 Claims and the EIP-712 Receipt, declared once with `sol!` so the ABI encoding is the Solidity one
//! (`contracts/interfaces/IClaims.sol`, TypeScript `encodeClaims`).
use alloy_sol_types::sol;

sol! {
    /// The compact record every layer shares (DESIGN §2).
    #[derive(Debug, PartialEq, Eq)]
    struct Claims {
        uint8 teeType;
        bytes32 measurement;
        bytes32 reportData;
        bytes32 platformId;
        bytes32 rootHash;
        uint64 timestamp;
        uint8 tcbStatus;
        uint48 svn;
        bool debug;
    }

    /// DESIGN §4 ReceiptVerifier: what an enclave signs (EIP-712) for one proving job.
    #[derive(Debug, PartialEq, Eq)]
    struct Receipt {
        bytes32 programId;
        bytes32 inputDigest;
        bytes32 outputDigest;
        bytes32 proofDigest;
        uint64 issuedAt;
        bytes32 nonce;
    }

    /// The DESIGN §3 binding inputs behind `Claims.reportData`, committed after the receipt so Sp1ReceiptVerifier
    /// can check the nonce's freshness (a recent block hash or an issued challenge) and name the enclave.
    #[derive(Debug, PartialEq, Eq)]
    struct ReceiptBinding {
        address enclave;
        bytes32 hpkeKeyHash;
        bytes32 nonce;
    }
}

/// `svn` has six 8-bit lanes (TypeScript `src/claims/svnLanes.ts`).
pub const SVN_MASK: u64 = (1 << 48) - 1;

/// DESIGN §2 `teeType` ids.
pub struct TeeType;
impl TeeType {
    pub const TDX: u8 = 1;
    pub const SEV_SNP: u8 = 2;
    pub const NITRO: u8 = 3;
    pub const NVIDIA_GPU: u8 = 4;
    pub const SGX: u8 = 5;
}

/// DESIGN §2 `tcbStatus` values, with TypeScript's 5, 6 (Intel's combined statuses) and 254 (no collateral).
pub struct TcbStatus;
impl TcbStatus {
    pub const UP_TO_DATE: u8 = 0;
    pub const SW_HARDENING_NEEDED: u8 = 1;
    pub const CONFIGURATION_NEEDED: u8 = 2;
    pub const OUT_OF_DATE: u8 = 3;
    pub const REVOKED: u8 = 4;
    pub const CONFIGURATION_AND_SW_HARDENING_NEEDED: u8 = 5;
    pub const OUT_OF_DATE_CONFIGURATION_NEEDED: u8 = 6;
    pub const UNKNOWN: u8 = 254;
    pub const NOT_APPLICABLE: u8 = 255;
}

/// Everything a vendor verifier found, before it becomes [`Claims`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimsFields {
    pub tee_type: u8,
    pub measurement: [u8; 32],
    pub report_data: [u8; 32],
    pub platform_id: [u8; 32],
    pub root_hash: [u8; 32],
    pub timestamp: u64,
    pub tcb_status: u8,
    /// DESIGN §2 lane vector: six 8-bit lanes (lane 0 lowest), compared lane by lane; below 2^48.
    pub svn: u64,
    pub debug: bool,
}

impl From<ClaimsFields> for Claims {
    fn from(f: ClaimsFields) -> Self {
        Claims {
            teeType: f.tee_type,
            measurement: f.measurement.into(),
            reportData: f.report_data.into(),
            platformId: f.platform_id.into(),
            rootHash: f.root_hash.into(),
            timestamp: f.timestamp,
            tcbStatus: f.tcb_status,
            svn: alloy_primitives::aliases::U48::from(f.svn & SVN_MASK),
            debug: f.debug,
        }
    }
}
