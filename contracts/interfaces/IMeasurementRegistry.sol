// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Claims} from "./IClaims.sol";

/// @title IMeasurementRegistry
/// @notice Governed allowlist of launch measurements per (programId, teeType, measurement), with validity
/// windows, permanent revocation, and a per-TEE-type evidence policy (DESIGN §4).
/// @custom:security-contact security@teezk.invalid
interface IMeasurementRegistry {
    /// @notice Validity window of one allowed measurement. A zero `validFrom` means "not present". `id` (from 1, in
    /// order of addition) names the entry compactly: an EnclaveRegistry stores it instead of the 32-byte
    /// (programId, measurement) pair. `requiresGpu`: a CPU measurement of a program that requires a GPU
    /// (copied from the program's flag when added), admitted only with GPU claims (checkCompositeClaims).
    struct MeasurementEntry {
        uint64 validFrom;
        uint64 validUntil;
        uint32 id;
        bool requiresGpu;
    }

    /// @notice Evidence policy for one TEE type.
    /// @param acceptedTcbStatuses Bit `s` set accepts `Claims.tcbStatus == s` (0..6, 254 UNKNOWN, 255 NOT_APPLICABLE).
    /// @param minSvn Lane-wise minimum of `Claims.svn`: every 8-bit lane of svn must reach the same lane here.
    /// @param maxEvidenceAge Largest accepted `block.timestamp - Claims.timestamp`, in seconds; must be nonzero.
    struct TeePolicy {
        uint256 acceptedTcbStatuses;
        uint48 minSvn;
        uint64 maxEvidenceAge;
    }

    // ----------------------------------------------------------------------------------------------- errors

    /// @notice Thrown when a TEE type is not one of 1 TDX, 2 SEV_SNP, 3 NITRO, 4 NVIDIA_GPU, 5 SGX.
    error InvalidTeeType(uint8 teeType);
    /// @notice Thrown when a program id or measurement is zero.
    error ZeroIdentifier();
    /// @notice Thrown when a validity window is empty or ends in the past.
    error InvalidValidityWindow(uint64 validFrom, uint64 validUntil);
    /// @notice Thrown when adding a measurement already present for that program and TEE type.
    error MeasurementAlreadyAdded(bytes32 programId, uint8 teeType, bytes32 measurement);
    /// @notice Thrown when a measurement is not allowed now for the program and TEE type.
    error MeasurementNotAllowed(bytes32 programId, uint8 teeType, bytes32 measurement);
    /// @notice Thrown when adding, rotating to or re-revoking a revoked measurement: revocation is permanent.
    error MeasurementIsRevoked(uint8 teeType, bytes32 measurement);
    /// @notice Thrown when a rotation's grace period exceeds MAX_GRACE_PERIOD.
    error GracePeriodTooLong(uint64 gracePeriod, uint64 maxGracePeriod);
    /// @notice Thrown when a TEE type has no policy set.
    error TeePolicyNotSet(uint8 teeType);
    /// @notice Thrown when a policy would accept nothing or accept evidence of unbounded age.
    error InvalidTeePolicy(uint8 teeType);
    /// @notice Thrown when the claims' TCB status is not in the TEE type's accepted set.
    error TcbStatusNotAccepted(uint8 teeType, uint8 tcbStatus);
    /// @notice Thrown when a lane of the claims' SVN is below the same lane of the TEE type's minimum or of the
    /// minimum set for the root that anchored the evidence (the product, for SEV-SNP).
    error SvnTooLow(uint8 teeType, uint48 svn, uint48 minSvn);
    /// @notice Thrown when the evidence is older than the TEE type's maximum age.
    error EvidenceTooOld(uint64 timestamp, uint64 maxEvidenceAge, uint256 now_);
    /// @notice Thrown when the evidence time is later than the block time plus MAX_CLOCK_SKEW.
    error EvidenceFromFuture(uint64 timestamp, uint256 now_);
    /// @notice Thrown when the root certificate that anchored the evidence is not allowed for the TEE type.
    error RootHashNotAllowed(uint8 teeType, bytes32 rootHash);
    /// @notice Thrown when the evidence comes from a debuggable TEE.
    error DebugNotAllowed(uint8 teeType);
    /// @notice Thrown when NVIDIA GPU claims (type 4) are checked as an enclave on their own: GPU evidence attests
    /// the GPU, not the CPU code that holds the key, so it is only ever the second half of a composite whose CPU
    /// claims carry the binding.
    error GpuClaimsNotStandalone(uint8 teeType);
    /// @notice Thrown when a program that requires a GPU gets an enclave without GPU claims.
    error GpuEvidenceRequired(bytes32 programId);
    /// @notice Thrown when the GPU claims at `index` of a composite are not NVIDIA GPU claims (type 4).
    error NotGpuClaims(uint256 index, uint8 teeType);
    /// @notice Thrown when the GPU claims at `index` of a composite do not carry the CPU claims' binding as their
    /// nonce (report data): the GPU did not answer this enclave's challenge.
    error GpuBindingMismatch(uint256 index, bytes32 expected, bytes32 reportData);
    /// @notice Thrown when a composite carries more than MAX_GPUS GPU claims.
    error TooManyGpus(uint256 count, uint256 max);
    /// @notice Thrown when setting a program's GPU requirement after measurements were added for it.
    error ProgramHasMeasurements(bytes32 programId);
    /// @notice Thrown when allowing an already allowed root hash or disallowing one not allowed.
    error RootHashUnchanged(uint8 teeType, bytes32 rootHash, bool allowed);
    /// @notice Thrown when adding a liveness sink that is already added.
    error LivenessSinkAlreadyAdded(address sink);
    /// @notice Thrown when removing a liveness sink that was never added.
    error LivenessSinkNotFound(address sink);
    /// @notice Thrown when adding a sink beyond MAX_LIVENESS_SINKS (each one costs every revocation a call).
    error TooManyLivenessSinks(uint256 max);
    /// @notice Thrown when removing a sink without enough gas left to give it SINK_NOTICE_GAS for the notice.
    error NotEnoughGasForSinkNotice(uint256 noticeGas);
    /// @notice Thrown when a sink names another registry as its epoch source (a wiring mistake).
    error LivenessSinkSourceMismatch(address sink, address source);

    // ----------------------------------------------------------------------------------------------- events

    /// @notice Emitted when the governor allows a measurement for a program and TEE type.
    event MeasurementAdded(
        bytes32 indexed programId, uint8 indexed teeType, bytes32 indexed measurement, uint64 validFrom, uint64 validUntil
    );
    /// @notice Emitted when the governor rotates a measurement: `newMeasurement` is allowed now and
    /// `oldMeasurement` expires at `oldExpiresAt`.
    event MeasurementRotated(
        bytes32 indexed programId,
        uint8 indexed teeType,
        bytes32 indexed oldMeasurement,
        bytes32 newMeasurement,
        uint64 oldExpiresAt
    );
    /// @notice Emitted when the guardian revokes a measurement for every program, permanently.
    event MeasurementRevoked(uint8 indexed teeType, bytes32 indexed measurement, address indexed guardian);
    /// @notice Emitted when the governor sets a TEE type's evidence policy.
    event TeePolicySet(uint8 indexed teeType, uint256 acceptedTcbStatuses, uint48 minSvn, uint64 maxEvidenceAge);
    /// @notice Emitted when the governor sets the lane-wise SVN minimum for evidence anchored at one root.
    event RootMinSvnSet(uint8 indexed teeType, bytes32 indexed rootHash, uint48 minSvn);
    /// @notice Emitted when the governor allows or disallows a root certificate hash for a TEE type.
    event RootHashSet(uint8 indexed teeType, bytes32 indexed rootHash, bool allowed);
    /// @notice Emitted when the governor says whether a program's enclaves must come with GPU claims.
    event ProgramGpuRequirementSet(bytes32 indexed programId, bool required);
    /// @notice Emitted when a TEE type's admission rules tighten (a root disallowed, a TCB status no longer
    /// accepted, a lane of the type's or a root's SVN minimum raised): every key of that type admitted at or before
    /// `at` stops being live at once and must re-attest.
    event TeePolicyTightened(uint8 indexed teeType, uint64 at);
    /// @notice Emitted when the liveness epoch advances (a revocation, a rotation, or a key removal reported by a
    /// holder of LIVENESS_EPOCH_ROLE): liveness cached under an earlier epoch must be checked again in full.
    event LivenessEpochAdvanced(uint64 epoch, address indexed by);
    /// @notice Emitted when the governor adds a contract that receives every liveness epoch.
    event LivenessSinkAdded(address indexed sink, uint64 epoch);
    /// @notice Emitted when the governor or guardian removes a liveness sink; `notified`: it was told to stop
    /// trusting its copy (false only for a sink whose pushes revert).
    event LivenessSinkRemoved(address indexed sink, bool notified);

    // -------------------------------------------------------------------------------------------- governor

    /// @notice Allows `measurement` for (`programId`, `teeType`) from `validFrom` (0: now) until `validUntil`
    /// (0: no end). Governor only.
    function addMeasurement(bytes32 programId, uint8 teeType, bytes32 measurement, uint64 validFrom, uint64 validUntil)
        external;

    /// @notice Allows `newMeasurement` now and lets `oldMeasurement` expire `gracePeriod` seconds from now (or
    /// earlier, if its window already ends sooner). Governor only.
    function rotateMeasurement(
        bytes32 programId,
        uint8 teeType,
        bytes32 oldMeasurement,
        bytes32 newMeasurement,
        uint64 gracePeriod
    ) external;

    /// @notice Sets the evidence policy of `teeType`. Governor only. When it accepts a TCB status fewer or raises
    /// the SVN minimum, every live key of the type stops being live at once (see policyTightenedAt).
    function setTeePolicy(uint8 teeType, TeePolicy calldata policy) external;

    /// @notice Says whether `programId`'s enclaves must come with NVIDIA GPU claims (a composite registration).
    /// Governor only, before the program's first measurement (entries copy the flag).
    function setProgramRequiresGpu(bytes32 programId, bool required) external;

    /// @notice Allows or disallows a root certificate hash (sha256 of its DER) for `teeType`. Governor only.
    /// Disallowing one stops every live key of the type being live at once (see policyTightenedAt).
    function setRootHashAllowed(uint8 teeType, bytes32 rootHash, bool allowed) external;

    /// @notice Sets the lane-wise SVN minimum for evidence of `teeType` anchored at `rootHash`, on top of the TEE
    /// type's `minSvn`. SEV-SNP products have their own ARK, so this is the per-product minimum (Milan, Genoa,
    /// Turin number their firmware differently). Zero clears it. Raising a lane ends the type's live keys at once
    /// (see policyTightenedAt).
    function setRootMinSvn(uint8 teeType, bytes32 rootHash, uint48 minSvn) external;

    // -------------------------------------------------------------------------------------------- guardian

    /// @notice Revokes `measurement` of `teeType` at once, for every program, permanently. Guardian only.
    function revokeMeasurement(uint8 teeType, bytes32 measurement) external;

    // ------------------------------------------------------------------------------------ liveness epoch

    /// @notice Advances the liveness epoch. LIVENESS_EPOCH_ROLE only (the EnclaveRegistry, when it removes a key).
    function advanceLivenessEpoch() external;

    /// @notice Makes `sink` receive every liveness epoch from now on, starting with the current one. Governor only.
    /// @dev Every advance calls each sink and reverts if one does (a sink that missed an advance would keep
    /// trusting revoked keys), so add only contracts whose `mirrorLivenessEpoch` cannot revert for this registry
    /// (BatchReceipts); the guardian can remove a sink that does.
    function addLivenessSink(address sink) external;

    /// @notice Stops pushing to `sink` after pushing it NOT_MIRRORED, so it stops trusting its copy. Governor or
    /// guardian (a sink whose pushes revert blocks revocations until removed; it is removed even if that last
    /// push reverts too).
    function removeLivenessSink(address sink) external;

    /// @notice The contracts that receive every liveness epoch.
    function livenessSinks() external view returns (address[] memory);

    // ----------------------------------------------------------------------------------------------- views

    /// @notice True when `measurement` is allowed now for (`programId`, `teeType`): inside its window and not revoked.
    function isAllowed(bytes32 programId, uint8 teeType, bytes32 measurement) external view returns (bool);

    /// @notice True when `measurement` of `teeType` has been revoked.
    function isRevoked(uint8 teeType, bytes32 measurement) external view returns (bool);

    /// @notice A counter that advances whenever something may end an enclave key's liveness before the deadline
    /// known when it was registered: a revocation, a rotation (it shortens a window), a tightened policy or
    /// disallowed root, or a key removal. A cache of
    /// "allowed until T" taken at epoch e stays exact while the epoch is still e; after that, check in full.
    function livenessEpoch() external view returns (uint64);

    /// @notice The validity window and id stored for (`programId`, `teeType`, `measurement`); zeros when absent.
    function measurementEntry(bytes32 programId, uint8 teeType, bytes32 measurement)
        external
        view
        returns (MeasurementEntry memory);

    /// @notice The evidence policy of `teeType`; all zeros when unset.
    function teePolicy(uint8 teeType) external view returns (TeePolicy memory);

    /// @notice True when `rootHash` is an allowed anchor for `teeType`.
    function isRootHashAllowed(uint8 teeType, bytes32 rootHash) external view returns (bool);

    /// @notice The lane-wise SVN minimum set for `rootHash` (zero when none).
    function rootMinSvn(uint8 teeType, bytes32 rootHash) external view returns (uint48);

    /// @notice Reverts with the first failed rule when `claims` are not acceptable for `programId` now as an
    /// enclave's claims on their own: not GPU claims (type 4), measurement allowed, TCB status accepted, evidence
    /// age, root hash, SVN lanes against the TEE type's and the root's minimums, not debug, and not a program that
    /// requires a GPU.
    function checkClaims(bytes32 programId, Claims calldata claims) external view;

    /// @notice True when `programId`'s enclaves must come with NVIDIA GPU claims.
    function programRequiresGpu(bytes32 programId) external view returns (bool);

    /// @notice checkClaims, then what a registry caches about the admission: the entry's id, the end of its window,
    /// and the current liveness epoch. Reverts with GpuEvidenceRequired for a program that requires a GPU.
    function checkClaimsEntry(bytes32 programId, Claims calldata claims)
        external
        view
        returns (uint32 entryId, uint64 validUntil, uint64 epoch);

    /// @notice Checks a composite: `claims` are the CPU enclave's (as checkClaims, except that a program requiring a
    /// GPU is fine), and each of `gpus` (1..MAX_GPUS) is NVIDIA GPU claims whose report data (the GPU nonce) equals
    /// `claims.reportData` and which pass the program's type-4 allowlist and policy (measurement, TCB status, SVN,
    /// age, root, not debug).
    /// @return entryId The CPU claims' entry.
    /// @return validUntil The earliest window end of the CPU and GPU entries.
    /// @return epoch The current liveness epoch.
    /// @return gpuEntryIds The entry of each GPU's measurement, in order.
    function checkCompositeClaims(bytes32 programId, Claims calldata claims, Claims[] calldata gpus)
        external
        view
        returns (uint32 entryId, uint64 validUntil, uint64 epoch, uint32[] memory gpuEntryIds);

    /// @notice The measurement of entry `entryId`; zero when no such entry.
    function entryMeasurement(uint32 entryId) external view returns (bytes32);

    /// @notice When entry `entryId` is the entry of (`programId`, `teeType`) for its measurement, is allowed now
    /// (inside its window, not revoked), and a key admitted under it at `admittedAt` was admitted after the type's
    /// rules last tightened, the end of its window; otherwise 0.
    function entryAllowedUntil(bytes32 programId, uint8 teeType, uint32 entryId, uint64 admittedAt)
        external
        view
        returns (uint64);

    /// @notice When the admission rules of `teeType` last tightened (a root disallowed, a TCB status dropped, a lane
    /// of the type's or a root's SVN minimum raised); 0 if never. Keys of the type admitted at or before it are not
    /// live.
    function policyTightenedAt(uint8 teeType) external view returns (uint64);
}
